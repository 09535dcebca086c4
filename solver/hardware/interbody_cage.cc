#include "hardware/interbody_cage.h"
#include "io/number_text.h"

#include <cmath>
#include <stdexcept>

namespace bonefusion::hardware
{
  namespace
  {
    constexpr double pi = 3.14159265358979323846;
    // Cage centre in front of the disc centre, as a fraction of the disc's depth: cages are
    // placed in the anterior half of the disc space, on the strong ring apophysis.
    constexpr double cage_anterior = 0.05;

  } // namespace

  InterbodyCage::InterbodyCage(const InstrumentationParameters::Cage &parameters,
                               const anatomy::Anatomy &anatomy, const std::string &segment_name)
    : prm(parameters)
    , segment(segment_name)
    , disc(anatomy.disc(segment_name))
  {
    const model::DiscShape &shape = disc.shape;
    // * mean depth of the two endplates
    const double y_cage = cage_anterior * (shape.upper_semi_depth + shape.lower_semi_depth);
    const double angle = prm.tlif_angle * pi / 180.;
    if (prm.type == "TLIF")
      {
        footprints.push_back(
          {0, y_cage, std::cos(angle), std::sin(angle), prm.length / 2, prm.width / 2});
        sides.push_back(model::Side::left);
      }
    else if (prm.type == "PLIF")
      for (const int s : {-1, 1}) // long side along y: rotated by 90 degrees
        {
          footprints.push_back({s * prm.plif_offset, y_cage, 0, 1, prm.length / 2, prm.width / 2});
          sides.push_back(s < 0 ? model::Side::left : model::Side::right);
        }
    else
      throw std::invalid_argument("Instrumentation/Cage/Type: must be TLIF or PLIF for a cage, "
                                  "got '" +
                                  prm.type + "'");

    for (const auto &f : footprints)
      for (const int i : {-1, 1})
        for (const int j : {-1, 1})
          for (const double z : {-shape.height / 2, shape.height / 2})
            {
              double a, b;
              shape.semi_axes(z, a, b);
              const dealii::Point<3> c = f.corner(i, j);
              if (!anatomy::inside_superellipse_section(c[0], c[1], a, b, 0, shape.outline_exponent,
                                                        disc.posterior_cut))
                throw std::invalid_argument("Instrumentation/Cage/Length: the " + prm.type +
                                            " cage footprint (" + io::number_text(prm.length) +
                                            " x " + io::number_text(prm.width) +
                                            " mm) does not fit inside the " + segment +
                                            " disc outline; use a shorter or narrower cage [mm]");
            }
  }

  std::string InterbodyCage::description() const
  {
    return std::to_string(footprints.size()) + " " + prm.type + " cage(s) (" + prm.material +
           ") in " + segment + (prm.graft_in_window ? ", graft in the window" : "");
  }

  void InterbodyCage::add_to(model::Model &m)
  {
    const int s = m.segment(segment);
    const model::RegionId nucleus = m.region(model::Tissue::nucleus, model::no_index, s);
    for (unsigned int k = 0; k < footprints.size(); ++k)
      {
        const std::string name = segment + " " +
                                 (footprints.size() > 1 ? model::side_name(sides[k]) + " " : "") +
                                 prm.type + " cage";
        model::Region r;
        r.name = name;
        r.tissue = model::Tissue::cage;
        r.body = m.add_body({name, model::BodyKind::implant, segment, disc.frame});
        r.segment = s;
        r.material = prm.material;
        r.load_path = "cage";
        r.preoperative = nucleus; // the cage takes the disc's centre
        walls.push_back(m.regions.add(r));
      }
    model::Region g;
    g.name = segment + " graft";
    g.tissue = model::Tissue::graft;
    g.segment = s;
    g.material = "bone graft";
    g.load_path = "graft";
    g.preoperative = nucleus;
    graft = m.regions.add(g);
  }

  Claim InterbodyCage::classify(const dealii::Point<3> &p) const
  {
    const dealii::Point<3> q = disc.frame.to_local(p);
    if (!(std::abs(q[2]) <= disc.shape.height / 2))
      return Claim::none();
    for (unsigned int k = 0; k < footprints.size(); ++k)
      {
        const auto &f = footprints[k];
        const auto [u, w] = f.local(q);
        if (std::abs(u) <= f.half_length && std::abs(w) <= f.half_width)
          {
            const double t = prm.wall_thickness;
            if (std::abs(u) <= f.half_length - t && std::abs(w) <= f.half_width - t)
              return Claim::of(prm.graft_in_window ? std::optional<model::RegionId>(graft) :
                                                     std::nullopt);
            return Claim::of(walls[k]);
          }
      }
    return Claim::none();
  }

  anatomy::Box InterbodyCage::bounding_box() const
  {
    anatomy::Box b;
    bool first = true;
    for (const auto &f : footprints)
      for (const int i : {-1, 1})
        for (const int j : {-1, 1})
          for (const double z : {-disc.shape.height / 2, disc.shape.height / 2})
            {
              dealii::Point<3> c = f.corner(i, j);
              c[2] = z;
              const dealii::Point<3> g = disc.frame.to_global(c);
              if (first)
                b.lo = b.hi = g, first = false;
              else
                b.extend({g, g});
            }
    return b;
  }

  double InterbodyCage::wall_volume() const
  {
    const double l = prm.length, w = prm.width, t = prm.wall_thickness;
    return footprints.size() * (l * w - (l - 2 * t) * (w - 2 * t)) * disc.shape.height;
  }

  double InterbodyCage::window_volume() const
  {
    const double l = prm.length, w = prm.width, t = prm.wall_thickness;
    return footprints.size() * (l - 2 * t) * (w - 2 * t) * disc.shape.height;
  }
} // namespace bonefusion::hardware
