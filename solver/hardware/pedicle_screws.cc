#include "hardware/pedicle_screws.h"
#include "io/number_text.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bonefusion::hardware
{
  namespace
  {
    using dealii::Point;
    using Vec = dealii::Tensor<1, 3>;
    constexpr double pi = 3.14159265358979323846;
    constexpr double head_diameter_factor = 1.5; // screw head (tulip) diameter / thread diameter
    const std::string key = "Instrumentation/Pedicle screws/";

    double radians(const double degrees)
    {
      return degrees * pi / 180.;
    }

    [[noreturn]] void fail(const std::string &entry, const std::string &message)
    {
      throw std::invalid_argument(key + entry + ": " + message);
    }
  } // namespace

  PedicleScrews::PedicleScrews(const InstrumentationParameters::Screws &parameters,
                               const anatomy::Anatomy &anatomy, std::vector<std::string> vertebrae)
    : prm(parameters)
    , resolution(anatomy.resolution())
  {
    if (vertebrae.empty())
      vertebrae = anatomy.vertebrae();
    const double al = radians(prm.medial_angle), be = radians(prm.cranial_angle);
    for (const std::string &name : vertebrae)
      {
        const anatomy::VertebraLandmarks &v = anatomy.vertebra(name);
        for (const int sx : {-1, 1})
          {
            if ((sx < 0 && prm.sides == "right") || (sx > 0 && prm.sides == "left"))
              continue;
            // Direction in the vertebra's frame: tips converge by the medial angle and tilt
            // by the cranial angle.
            const Vec d(
              {-sx * std::sin(al) * std::cos(be), std::cos(al) * std::cos(be), std::sin(be)});
            // The trajectory passes through the pedicle's centre at mid-length (its isthmus),
            // so a converging screw enters lateral of the pedicle axis, as in the surgical
            // technique.
            const Point<3> isthmus(sx * v.pedicle_x, (v.wall_y + v.canal_back_y) / 2, v.pedicle_z);
            const double y_entry = v.lamina_back_y;
            const Point<3> entry = isthmus + ((y_entry - isthmus[1]) / d[1]) * d;

            Screw screw;
            screw.vertebra = name;
            screw.side = sx < 0 ? model::Side::left : model::Side::right;
            screw.frame = v.frame;
            screw.shank.start = entry;
            screw.shank.axis = d;
            screw.shank.length = prm.length;
            screw.shank.radius = prm.diameter / 2;
            screw.shank.finish();
            const double rh = head_radius();
            screw.head = {entry[0], entry[2], rh, rh, y_entry - prm.head_height, y_entry};
            screw.head_end = Point<3>(entry[0], y_entry - prm.head_height, entry[2]);
            screw.bounds = screw.shank.bounds;
            screw.bounds.extend(anatomy::box(entry[0] - rh, entry[0] + rh, screw.head.y0,
                                             screw.head.y1, entry[2] - rh, entry[2] + rh));

            // Checks against the anatomy.
            const double fit = std::min(v.pedicle_width, v.pedicle_height);
            if (prm.diameter >= fit)
              fail("Diameter", io::number_text(prm.diameter) + " mm does not fit the " + name +
                                 " pedicle (" + io::number_text(fit) + " mm) [mm]");
            // Largest shank length whose tip (with its radius) stays inside the body.
            double l_max = -1;
            for (double t = 0; t < 200; t += 0.05)
              if (anatomy.inside_vertebral_body(
                    name, v.frame.to_global(screw.shank.start + t * screw.shank.axis),
                    screw.shank.radius))
                l_max = t;
            if (l_max < 0)
              fail("Medial angle", "the screw trajectory misses the " + name + " body (medial " +
                                     io::number_text(prm.medial_angle) + ", cranial " +
                                     io::number_text(prm.cranial_angle) + " degrees)");
            if (prm.length > l_max)
              fail("Length", io::number_text(prm.length) + " mm screws leave the " + name +
                               " body; at most " + io::number_text(std::floor(l_max * 10) / 10) +
                               " mm fit with these angles [mm]");
            const Point<3> tip = screw.shank.start + screw.shank.length * screw.shank.axis;
            if (tip[0] * screw.shank.start[0] <= 0 || std::abs(tip[0]) < screw.shank.radius)
              fail("Medial angle", "the left and right " + name +
                                     " screws meet at the midline, got " +
                                     io::number_text(prm.medial_angle) + " [degrees]");
            placed.push_back(screw);
          }
      }
  }

  std::string PedicleScrews::description() const
  {
    std::string text = std::to_string(placed.size()) + " pedicle screws (" + prm.material + ", " +
                       io::number_text(prm.diameter) + " x " + io::number_text(prm.length) + " mm)";
    if (prm.interface == "loosened")
      text += ", loosened: fibrous halo " + io::number_text(prm.halo_thickness) + " mm, drawn " +
              io::number_text(drawn_halo_thickness()) + " mm";
    return text;
  }

  double PedicleScrews::head_radius() const
  {
    return head_diameter_factor * prm.diameter / 2;
  }

  void PedicleScrews::add_to(model::Model &m)
  {
    for (Screw &s : placed)
      {
        const std::string name = s.vertebra + " " + model::side_name(s.side) + " pedicle screw";
        const int body = m.add_body({name, model::BodyKind::implant, s.vertebra, s.frame});
        model::Region r;
        r.name = name;
        r.tissue = model::Tissue::screw;
        r.body = body;
        r.material = prm.material;
        r.load_path = "rods_screws";
        // Before surgery the screw's place was the vertebra's cancellous bone.
        r.preoperative = m.region(model::Tissue::cancellous, m.body(s.vertebra));
        s.region = m.regions.add(r);
        if (prm.interface == "loosened")
          {
            model::Region halo;
            halo.name = s.vertebra + " " + model::side_name(s.side) + " screw halo";
            halo.tissue = model::Tissue::screw_halo;
            // Bone that turned to fibrous tissue: part of the vertebra, not of the screw.
            halo.body = m.body(s.vertebra);
            halo.material = ""; // the tissue's default ('Region materials/screw halo')
            halo.preoperative = r.preoperative;
            s.halo = m.regions.add(halo);
          }
      }
  }

  double PedicleScrews::drawn_halo_thickness() const
  {
    // A voxel shares a node with a screw voxel when its centre is within sqrt(3) h of that
    // voxel's centre: a thinner halo would leave screw and bone tied at edges and corners.
    return std::max(prm.halo_thickness, std::sqrt(3.) * resolution);
  }

  Claim PedicleScrews::classify_bone_lining(const Point<3> &p) const
  {
    if (prm.interface != "loosened")
      return Claim::none();
    const double reach = drawn_halo_thickness();
    for (const Screw &s : placed)
      {
        const Point<3> q = s.frame.to_local(p);
        if (!anatomy::box(s.bounds.lo[0] - reach, s.bounds.hi[0] + reach, s.bounds.lo[1] - reach,
                          s.bounds.hi[1] + reach, s.bounds.lo[2] - reach, s.bounds.hi[2] + reach)
               .contains(q))
          continue; // most bone points: far from this screw
        // Distance to the shank (its axis segment less the radius: a cylinder around the
        // shank, a half ball around the tip) and to the head's cylinder, which sits on the
        // bone at the entry point.
        const double along = std::clamp((q - s.shank.start) * s.shank.axis, 0., s.shank.length);
        const double to_shank =
          (q - (s.shank.start + along * s.shank.axis)).norm() - s.shank.radius;
        const double radial = std::hypot(q[0] - s.head.x, q[2] - s.head.z) - s.head.ax,
                     axial = std::max(s.head.y0 - q[1], q[1] - s.head.y1);
        const double to_head = std::hypot(std::max(radial, 0.), std::max(axial, 0.));
        if (std::min(to_shank, to_head) <= reach)
          return Claim::of(s.halo);
      }
    return Claim::none();
  }

  double PedicleScrews::modulus_scale(const model::Region &region) const
  {
    // Across a thin layer the stiffness per area is E / t: a halo drawn thicker than it is
    // gets a stiffer material, so that its stiffness across the layer does not depend on the
    // voxel size (the bone it takes the place of does: docs/model.md).
    if (region.tissue == model::Tissue::screw_halo)
      return drawn_halo_thickness() / prm.halo_thickness;
    return 1;
  }

  Claim PedicleScrews::classify(const Point<3> &p) const
  {
    for (const Screw &s : placed)
      {
        const Point<3> q = s.frame.to_local(p);
        if (s.bounds.contains(q) && (s.shank.contains(q) || s.head.contains(q)))
          return Claim::of(s.region);
      }
    return Claim::none();
  }

  anatomy::Box PedicleScrews::bounding_box() const
  {
    anatomy::Box b = anatomy::to_global(placed.at(0).bounds, placed.at(0).frame);
    for (const Screw &s : placed)
      b.extend(anatomy::to_global(s.bounds, s.frame));
    return b;
  }

  double PedicleScrews::analytic_volume(const std::vector<anatomy::Cylinder> &rods) const
  {
    double v = 0;
    for (const Screw &s : placed)
      {
        const double rs = s.shank.radius, rh = s.head.ax;
        // Shank and head cylinders overlap in the wedge behind the entry plane that the
        // tilted shank's flat end sticks into: (2/3) r^3 tan(theta).
        const double cos_t = s.shank.axis[1];
        const double wedge = 2. / 3. * rs * rs * rs * std::sqrt(1 - cos_t * cos_t) / cos_t;
        v += pi * rs * rs * s.shank.length + pi * rh * rh * prm.head_height - wedge;
      }
    // A rod fills half of its own cross-section inside each head on its side: integral over
    // x of the rod's half-chord times the head's chord, clipped to the rod's ends. The rod is
    // taken as parallel to the head's axis normal (it tilts by ~1 degree). Screws are listed
    // per vertebra (left, right), rods per side (left, right).
    for (unsigned int i = 0; i < placed.size() && !rods.empty(); ++i)
      {
        const Screw &s = placed[i];
        const anatomy::Cylinder &rod = rods[i % 2];
        const double rr = rod.radius, rh = s.head.ax, zc = s.head.z;
        const double z0 = std::min(rod.start[2], (rod.start + rod.length * rod.axis)[2]);
        const double z1 = std::max(rod.start[2], (rod.start + rod.length * rod.axis)[2]);
        const unsigned int n = 4000;
        double integral = 0;
        for (unsigned int q = 0; q < n; ++q)
          {
            const double x = -rr + (q + 0.5) * 2 * rr / n;
            const double half_chord = std::sqrt(std::max(0., rh * rh - x * x));
            const double zl = std::max(zc - half_chord, z0), zh = std::min(zc + half_chord, z1);
            integral += std::sqrt(rr * rr - x * x) * std::max(0., zh - zl) * 2 * rr / n;
          }
        v -= integral;
      }
    return v;
  }

  Point<3> PedicleScrews::rod_seat(const unsigned int i) const
  {
    return placed.at(i).frame.to_global(placed.at(i).head_end);
  }
} // namespace bonefusion::hardware
