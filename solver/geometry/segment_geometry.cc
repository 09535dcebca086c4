#include "geometry/segment_geometry.h"

#include <deal.II/base/parameter_handler.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace bonefusion::geometry
{
  namespace
  {
    using dealii::Point;
    using Vec = dealii::Tensor<1, 3>;
    constexpr double pi = 3.14159265358979323846;

    double radians(const double degrees)
    {
      return degrees * pi / 180.;
    }

    // ---- Shape constants of the blocky anatomy (not in the dimension table). -------------
    // Posterior body wall flattened at 90 % of the semi-depth: gives the kidney-like flat
    // wall the pedicles attach to and removes ~2 % of the ellipse's area (~3 % at n = 3).
    constexpr double posterior_cut = 0.9;
    // The shell test shrinks the outline's semi-axes by the thickness; for the ellipse that
    // curve pokes out of the true inner offset curve by < 1 % of the thickness for the aspect
    // ratios here (for n >= 3 it never does), so 2 % extra keeps every voxel within the
    // thickness of the surface in the shell.
    constexpr double shell_margin = 1.02;
    // Pedicle axis height above the body's inferior face, as a fraction of body height:
    // lumbar pedicles join the upper half of the body.
    constexpr double pedicle_level = 0.62;
    constexpr double lamina_thickness = 6.;      // mm (y), typical lumbar lamina
    constexpr double lamina_drop = 0.55;         // lamina reaches this * H below the pedicle axis
    constexpr double spinous_width = 6.;         // mm (x)
    constexpr double spinous_length = 0.85;      // * body depth (~30 mm at L4)
    constexpr double spinous_below = 0.5;        // * H below the pedicle axis
    constexpr double spinous_above = 0.15;       // * H above the pedicle axis
    constexpr double transverse_height = 10.;    // mm (z) of a transverse process
    constexpr double transverse_behind = 2.;     // mm behind the canal's posterior wall
    constexpr double transverse_front = 6.;      // mm in front of it
    constexpr double facet_depth = 12.;          // mm (y) of the facet joint footprint
    constexpr double facet_width = 0.8;          // * pedicle width (x)
    constexpr double facet_lateral = 0.25;       // * pedicle width lateral of the pedicle axis
    constexpr double nucleus_shift = 0.05;       // nucleus centre behind the disc centre, * depth
    constexpr double cage_anterior = 0.05;       // cage centre in front of the disc centre, * depth
    constexpr double head_diameter_factor = 1.5; // screw head (tulip) diameter / thread diameter
    constexpr double graft_gap = 3.;             // mm between pedicle and posterolateral graft

    [[noreturn]] void fail(const std::string &key, const std::string &message)
    {
      throw std::invalid_argument(key + ": " + message);
    }

    std::string str(const double value)
    {
      std::ostringstream s;
      s << value;
      return s.str();
    }

    /** Axis-aligned box. */
    struct Box
    {
      Point<3> lo, hi;
      bool contains(const Point<3> &p) const
      {
        return p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1] && p[2] >= lo[2] &&
               p[2] <= hi[2];
      }
      void extend(const Box &b)
      {
        for (unsigned int d = 0; d < 3; ++d)
          {
            lo[d] = std::min(lo[d], b.lo[d]);
            hi[d] = std::max(hi[d], b.hi[d]);
          }
      }
    };

    Box box(double x0, double x1, double y0, double y1, double z0, double z1)
    {
      return {Point<3>(std::min(x0, x1), std::min(y0, y1), std::min(z0, z1)),
              Point<3>(std::max(x0, x1), std::max(y0, y1), std::max(z0, z1))};
    }

    /** Finite circular cylinder from `start` along unit `axis`, flat ends. */
    struct Cylinder
    {
      Point<3> start;
      Vec axis;
      double length = 0, radius = 0;
      Box bounds;
      void finish()
      {
        const Point<3> end = start + length * axis;
        bounds = box(start[0], end[0], start[1], end[1], start[2], end[2]);
        for (unsigned int d = 0; d < 3; ++d)
          bounds.lo[d] -= radius, bounds.hi[d] += radius;
      }
      bool contains(const Point<3> &p) const
      {
        if (!bounds.contains(p))
          return false;
        const Vec q = p - start;
        const double s = q * axis;
        return s >= 0 && s <= length && (q - s * axis).norm_square() <= radius * radius;
      }
    };

    /** Elliptic cylinder along y (pedicle): semi-axes ax (x), az (z). */
    struct EllipticY
    {
      double x, z, ax, az, y0, y1;
      bool contains(const Point<3> &p) const
      {
        const double u = (p[0] - x) / ax, w = (p[2] - z) / az;
        return p[1] >= y0 && p[1] <= y1 && u * u + w * w <= 1;
      }
    };

    /** Rectangle footprint rotated about z (cage), extruded over the disc height. */
    struct Footprint
    {
      double cx, cy, c, s, half_length, half_width;
      // local coordinates: u along the long side, v along the short side
      std::pair<double, double> local(const Point<3> &p) const
      {
        const double dx = p[0] - cx, dy = p[1] - cy;
        return {dx * c + dy * s, -dx * s + dy * c};
      }
      Point<3> corner(int i, int j) const
      {
        const double u = i * half_length, v = j * half_width;
        return Point<3>(cx + u * c - v * s, cy + u * s + v * c, 0);
      }
    };

    /**
     * Body and disc cross-section: the superellipse |x/A|^n + |y/B|^n <= 1 with a flat
     * posterior wall, its semi-axes shrunk by `inset`. With the 2 % shell margin the shrunk
     * outline stays at least `inset` inside the outer one everywhere for n = 2 ... 3
     * (closest at the axes; at the rounded corners up to 4.5 % farther at n = 2.2, 14 % at
     * n = 3), so the shell test below holds for the exponents in use.
     */
    bool inside_section(double x, double y, double a, double b, double inset, double n)
    {
      const double A = a - inset, B = b - inset;
      if (A <= 0 || B <= 0 || y < -posterior_cut * b + inset)
        return false;
      const double u = std::abs(x) / A, v = std::abs(y) / B;
      if (n == 2)
        return u * u + v * v <= 1;
      return u <= 1 && v <= 1 && std::pow(u, n) + std::pow(v, n) <= 1;
    }

    /** One pedicle screw: shank cylinder plus a head cylinder going straight back (-y). */
    struct Screw
    {
      Cylinder shank;
      EllipticY head;    // circular: ax = az
      Point<3> head_end; // centre of the head's posterior face = point on the rod axis
      Box bounds;
    };
  } // namespace

  // ------------------------------------------------------------------------------------------
  VertebraDimensions read_vertebra_dimensions(const std::string &csv_file,
                                              const std::string &vertebra)
  {
    std::ifstream in(csv_file);
    if (!in)
      throw std::runtime_error("cannot open the vertebra dimension table '" + csv_file + "'");
    const std::vector<std::string> fields = {"name",
                                             "body_height",
                                             "upper_endplate_width",
                                             "upper_endplate_depth",
                                             "lower_endplate_width",
                                             "lower_endplate_depth",
                                             "pedicle_height",
                                             "pedicle_width",
                                             "canal_depth",
                                             "canal_width",
                                             "transverse_span"};
    std::vector<std::string> header;
    std::string line;
    unsigned int line_no = 0;
    while (std::getline(in, line))
      {
        ++line_no;
        if (line.empty() || line[0] == '#' || line.find_first_not_of(" \t\r") == std::string::npos)
          continue;
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');)
          {
            const auto b = cell.find_first_not_of(" \t\r"), e = cell.find_last_not_of(" \t\r");
            cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
          }
        if (header.empty())
          {
            header = cells;
            for (const auto &f : fields)
              if (std::find(header.begin(), header.end(), f) == header.end())
                throw std::runtime_error(csv_file + ": header lacks the column '" + f + "'");
            continue;
          }
        if (cells.size() != header.size())
          throw std::runtime_error(csv_file + ":" + std::to_string(line_no) + ": expected " +
                                   std::to_string(header.size()) + " columns");
        std::map<std::string, std::string> row;
        for (unsigned int i = 0; i < cells.size(); ++i)
          row[header[i]] = cells[i];
        if (row["name"] != vertebra)
          continue;
        auto number = [&](const std::string &f) {
          try
            {
              std::size_t used = 0;
              const double v = std::stod(row[f], &used);
              if (used == row[f].size() && v > 0)
                return v;
            }
          catch (const std::exception &)
            {
            }
          throw std::runtime_error(csv_file + ":" + std::to_string(line_no) + ": column '" + f +
                                   "' of " + vertebra + " is not a positive number: '" + row[f] +
                                   "'");
        };
        return {vertebra,
                number("body_height"),
                number("upper_endplate_width"),
                number("upper_endplate_depth"),
                number("lower_endplate_width"),
                number("lower_endplate_depth"),
                number("pedicle_height"),
                number("pedicle_width"),
                number("canal_depth"),
                number("canal_width"),
                number("transverse_span")};
      }
    throw std::runtime_error("vertebra '" + vertebra + "' not found in the dimension table '" +
                             csv_file + "'");
  }

  double disc_height_from_age(const std::string &level, const double age_years)
  {
    // spine-data.md section 3: disc height [cm] = a + b * age (men), here converted to mm.
    static const std::map<std::string, std::pair<double, double>> regression = {
      {"L1-L2", {0.680, 0.0062}},
      {"L2-L3", {0.832, 0.0067}},
      {"L3-L4", {1.105, 0.0055}},
      {"L4-L5", {1.076, 0.0070}},
      {"L5-S1", {0.973, 0.0086}}};
    const auto it = regression.find(level);
    if (it == regression.end())
      throw std::invalid_argument("unknown lumbar level '" + level +
                                  "' (valid: L1-L2, L2-L3, L3-L4, L4-L5, L5-S1)");
    return 10. * (it->second.first + it->second.second * age_years);
  }

  double superellipse_area_factor(const double n)
  {
    const double g = std::tgamma(1 + 1 / n);
    return 4 * g * g / std::tgamma(1 + 2 / n);
  }

  // ------------------------------------------------------------------------------------------
  void SegmentParameters::declare_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii;
    const SegmentParameters d;
    const auto length = Patterns::Double(0);
    const auto angle = Patterns::Double(-60, 60);

    prm.enter_subsection("Geometry");
    prm.declare_entry("Level", d.level, Patterns::Selection("L1-L2|L2-L3|L3-L4|L4-L5|L5-S1"),
                      "Pair of adjacent vertebrae modelled, upper-lower. [-]");
    prm.declare_entry("Dimensions file", "", Patterns::Anything(),
                      "CSV table of vertebra dimensions per level; empty means the shipped "
                      "meshes/lumbar_dimensions.csv. [path]");
    prm.declare_entry("Age", str(d.age), Patterns::Double(0, 120),
                      "Age used by the disc height regression (spine-data.md section 3). [years]");
    prm.declare_entry("Disc height", str(d.disc_height), length,
                      "Height of the intervertebral disc; 0 means from the age regression. [mm]");
    prm.declare_entry("Cortical shell thickness", str(d.cortical_thickness), length,
                      "Physical thickness of the cortical shell of the vertebral bodies; the "
                      "mesh uses at least one voxel. [mm]");
    prm.declare_entry("Endplate thickness", str(d.endplate_thickness), length,
                      "Thickness of the bony endplates; the mesh uses at least one voxel. [mm]");
    prm.declare_entry(
      "Outline exponent", str(d.outline_exponent), Patterns::Double(2, 10),
      "Exponent n of the superellipse |x/a|^n + |y/b|^n = 1 that outlines the cross-section "
      "of the vertebral bodies and the disc (a, b: half the endplate width and depth of the "
      "dimension table; the posterior wall is flat). 2 is an ellipse; larger values give the "
      "fuller, kidney-like outline of real endplates. The default 3 gives the L4-L5 disc "
      "1 429 mm^2 (ellipse: 1 283 mm^2; in vitro 1 500-1 800 mm^2, spine-data.md "
      "section 4); the disc's bending and torsional stiffness grow with it (docs/model.md). "
      "[-]");
    prm.declare_entry("Nucleus area fraction", str(d.nucleus_area_fraction), Patterns::Double(0, 1),
                      "Cross-section of the (elliptic) nucleus pulposus as a fraction of the "
                      "disc's cross-section. [-]");
    prm.declare_entry("Facet cartilage thickness", str(d.facet_cartilage_thickness), length,
                      "Thickness of the cartilage layer of each facet joint; the mesh uses at "
                      "least two voxels. [mm]");
    prm.declare_entry("Ligaments", d.ligaments ? "true" : "false", Patterns::Bool(),
                      "Model the anterior and posterior longitudinal ligaments, the ligamentum "
                      "flavum and the interspinous/supraspinous ligaments as soft solid bands "
                      "tied to the bone (their modulus is scaled to the real E*A). [-]");
    prm.declare_entry("Longitudinal ligament thickness", str(d.longitudinal_ligament_thickness),
                      length,
                      "Thickness of the anterior and posterior longitudinal ligament bands; the "
                      "mesh uses at least one voxel. [mm]");
    prm.declare_entry("Anterior ligament width", str(d.anterior_ligament_width), length,
                      "Width (x) of the anterior longitudinal ligament band. [mm]");
    prm.declare_entry("Posterior ligament width", str(d.posterior_ligament_width), length,
                      "Width (x) of the posterior longitudinal ligament band. [mm]");
    prm.leave_subsection();

    prm.enter_subsection("Instrumentation");
    {
      const auto &s = d.screws;
      prm.enter_subsection("Pedicle screws");
      prm.declare_entry("Present", s.present ? "true" : "false", Patterns::Bool(),
                        "Whether both vertebrae carry two pedicle screws each. [-]");
      prm.declare_entry("Diameter", str(s.diameter), length,
                        "Outer thread diameter of each pedicle screw. [mm]");
      prm.declare_entry("Length", str(s.length), length,
                        "Length of each screw shank from the entry point to the tip. [mm]");
      prm.declare_entry("Medial angle", str(s.medial_angle), angle,
                        "Convergence of each screw towards the midline in the transverse "
                        "plane; positive tips converge. [degrees]");
      prm.declare_entry("Cranial angle", str(s.cranial_angle), angle,
                        "Tilt of each screw in the sagittal plane; positive tips point "
                        "cranially. [degrees]");
      prm.declare_entry("Head height", str(s.head_height), length,
                        "Distance from the entry point straight back to the rod axis; the head "
                        "diameter is 1.5 times the screw diameter. [mm]");
      prm.declare_entry("Material", s.material, Patterns::Anything(),
                        "Name of the screw material in the material library. [-]");
      prm.leave_subsection();
    }
    {
      const auto &r = d.rods;
      prm.enter_subsection("Rods");
      prm.declare_entry("Present", r.present ? "true" : "false", Patterns::Bool(),
                        "Whether a rod joins the two screw heads on each side; needs pedicle "
                        "screws. [-]");
      prm.declare_entry("Diameter", str(r.diameter), length, "Diameter of each rod. [mm]");
      prm.declare_entry("Overhang", str(r.overhang), length,
                        "Rod length beyond the screw head centres at each end. [mm]");
      prm.declare_entry("Material", r.material, Patterns::Anything(),
                        "Name of the rod material in the material library. [-]");
      prm.leave_subsection();
    }
    {
      const auto &c = d.cage;
      prm.enter_subsection("Cage");
      prm.declare_entry("Type", c.type, Patterns::Selection("none|TLIF|PLIF"),
                        "Interbody cage: none, one oblique TLIF cage, or two parallel PLIF "
                        "cages; a cage removes the nucleus. [-]");
      prm.declare_entry("Length", str(c.length), length, "Long side of each cage footprint. [mm]");
      prm.declare_entry("Width", str(c.width), length, "Short side of each cage footprint. [mm]");
      prm.declare_entry("Wall thickness", str(c.wall_thickness), length,
                        "Wall thickness of the hollow cage around its graft window. [mm]");
      prm.declare_entry("TLIF angle", str(c.tlif_angle), angle,
                        "Angle between the TLIF cage's long side and the x axis; positive "
                        "puts the right end anterior (approach from the left). [degrees]");
      prm.declare_entry("PLIF offset", str(c.plif_offset), length,
                        "Distance of each PLIF cage centre from the midline. [mm]");
      prm.declare_entry("Graft in window", c.graft_in_window ? "true" : "false", Patterns::Bool(),
                        "Whether the cage window is packed with graft (else left empty). [-]");
      prm.declare_entry("Nucleus after discectomy", c.nucleus_after_discectomy,
                        Patterns::Selection("removed|graft"),
                        "What fills the removed nucleus around the cage: nothing, or graft. "
                        "[-]");
      prm.declare_entry(
        "Facetectomy", c.facetectomy, Patterns::Selection("none|approach side|bilateral"),
        "Facet joints resected to reach the disc: none; the approach side's joint (TLIF: the "
        "side the cage enters from, see TLIF angle); or both (e.g. PLIF with wide "
        "decompression). A resected joint loses its cartilage and both articular processes, "
        "so it carries nothing. [-]");
      prm.declare_entry("Material", c.material, Patterns::Anything(),
                        "Name of the cage material in the material library. [-]");
      prm.leave_subsection();
    }
    {
      const auto &g = d.posterolateral_graft;
      prm.enter_subsection("Posterolateral graft");
      prm.declare_entry("Present", g.present ? "true" : "false", Patterns::Bool(),
                        "Whether a graft strip bridges the transverse processes on each side. "
                        "[-]");
      prm.declare_entry("Width", str(g.width), length,
                        "Mediolateral width of each graft strip. [mm]");
      prm.declare_entry("Thickness", str(g.thickness), length,
                        "Thickness of each graft strip behind the transverse processes. [mm]");
      prm.leave_subsection();
    }
    prm.leave_subsection();
  }

  void SegmentParameters::parse_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Geometry");
    level = prm.get("Level");
    dimensions_file = prm.get("Dimensions file");
    age = prm.get_double("Age");
    disc_height = prm.get_double("Disc height");
    cortical_thickness = prm.get_double("Cortical shell thickness");
    endplate_thickness = prm.get_double("Endplate thickness");
    outline_exponent = prm.get_double("Outline exponent");
    nucleus_area_fraction = prm.get_double("Nucleus area fraction");
    facet_cartilage_thickness = prm.get_double("Facet cartilage thickness");
    ligaments = prm.get_bool("Ligaments");
    longitudinal_ligament_thickness = prm.get_double("Longitudinal ligament thickness");
    anterior_ligament_width = prm.get_double("Anterior ligament width");
    posterior_ligament_width = prm.get_double("Posterior ligament width");
    prm.leave_subsection();

    prm.enter_subsection("Instrumentation");
    prm.enter_subsection("Pedicle screws");
    screws.present = prm.get_bool("Present");
    screws.diameter = prm.get_double("Diameter");
    screws.length = prm.get_double("Length");
    screws.medial_angle = prm.get_double("Medial angle");
    screws.cranial_angle = prm.get_double("Cranial angle");
    screws.head_height = prm.get_double("Head height");
    screws.material = prm.get("Material");
    prm.leave_subsection();
    prm.enter_subsection("Rods");
    rods.present = prm.get_bool("Present");
    rods.diameter = prm.get_double("Diameter");
    rods.overhang = prm.get_double("Overhang");
    rods.material = prm.get("Material");
    prm.leave_subsection();
    prm.enter_subsection("Cage");
    cage.type = prm.get("Type");
    cage.length = prm.get_double("Length");
    cage.width = prm.get_double("Width");
    cage.wall_thickness = prm.get_double("Wall thickness");
    cage.tlif_angle = prm.get_double("TLIF angle");
    cage.plif_offset = prm.get_double("PLIF offset");
    cage.graft_in_window = prm.get_bool("Graft in window");
    cage.nucleus_after_discectomy = prm.get("Nucleus after discectomy");
    cage.facetectomy = prm.get("Facetectomy");
    cage.material = prm.get("Material");
    prm.leave_subsection();
    prm.enter_subsection("Posterolateral graft");
    posterolateral_graft.present = prm.get_bool("Present");
    posterolateral_graft.width = prm.get_double("Width");
    posterolateral_graft.thickness = prm.get_double("Thickness");
    prm.leave_subsection();
    prm.leave_subsection();

    // Building the geometry runs every check, including those that need the anatomy
    // (screws that leave the body, cages that do not fit the disc).
    SegmentGeometry check(*this);
  }

  // ------------------------------------------------------------------------------------------
  namespace
  {
    /** Checks that need no anatomy; messages name the parameter as "Subsection/Key". */
    void check_plain_parameters(const SegmentParameters &p)
    {
      auto positive = [](const std::string &key, const double v) {
        if (!(v > 0))
          fail(key, "must be positive, got " + str(v) + " [mm]");
      };
      positive("Geometry/Cortical shell thickness", p.cortical_thickness);
      positive("Geometry/Endplate thickness", p.endplate_thickness);
      positive("Geometry/Facet cartilage thickness", p.facet_cartilage_thickness);
      if (p.disc_height < 0)
        fail("Geometry/Disc height",
             "must be positive or 0 (from age), got " + str(p.disc_height) + " [mm]");
      if (!(p.outline_exponent >= 2 && p.outline_exponent <= 10))
        fail("Geometry/Outline exponent",
             "must lie between 2 (ellipse) and 10 (almost a rectangle), got " +
               str(p.outline_exponent));
      if (!(p.nucleus_area_fraction > 0 && p.nucleus_area_fraction < 1))
        fail("Geometry/Nucleus area fraction",
             "must lie strictly between 0 and 1, got " + str(p.nucleus_area_fraction));
      if (p.screws.present)
        {
          const std::string k = "Instrumentation/Pedicle screws/";
          positive(k + "Diameter", p.screws.diameter);
          positive(k + "Length", p.screws.length);
          positive(k + "Head height", p.screws.head_height);
          if (std::abs(p.screws.medial_angle) >= 45)
            fail(k + "Medial angle",
                 "must lie in (-45, 45), got " + str(p.screws.medial_angle) + " [degrees]");
          if (std::abs(p.screws.cranial_angle) >= 45)
            fail(k + "Cranial angle",
                 "must lie in (-45, 45), got " + str(p.screws.cranial_angle) + " [degrees]");
        }
      if (p.rods.present)
        {
          if (!p.screws.present)
            fail("Instrumentation/Rods/Present",
                 "rods need pedicle screws, but Instrumentation/Pedicle screws/Present = false");
          positive("Instrumentation/Rods/Diameter", p.rods.diameter);
          if (p.rods.overhang < 0)
            fail("Instrumentation/Rods/Overhang",
                 "must not be negative, got " + str(p.rods.overhang) + " [mm]");
          if (p.screws.head_height <= p.rods.diameter / 2)
            fail("Instrumentation/Pedicle screws/Head height",
                 "must exceed the rod radius (" + str(p.rods.diameter / 2) +
                   " mm) so the rod "
                   "sits on the head, got " +
                   str(p.screws.head_height) + " [mm]");
        }
      const std::string c = "Instrumentation/Cage/";
      if (p.cage.type != "none" && p.cage.type != "TLIF" && p.cage.type != "PLIF")
        fail(c + "Type", "must be none, TLIF or PLIF, got '" + p.cage.type + "'");
      if (p.cage.nucleus_after_discectomy != "removed" &&
          p.cage.nucleus_after_discectomy != "graft")
        fail(c + "Nucleus after discectomy",
             "must be removed or graft, got '" + p.cage.nucleus_after_discectomy + "'");
      if (p.cage.type != "none")
        {
          positive(c + "Length", p.cage.length);
          positive(c + "Width", p.cage.width);
          positive(c + "Wall thickness", p.cage.wall_thickness);
          if (p.cage.width > p.cage.length)
            fail(c + "Width", "must not exceed the length (" + str(p.cage.length) + " mm), got " +
                                str(p.cage.width) + " [mm]");
          if (p.cage.wall_thickness >= p.cage.width / 2)
            fail(c + "Wall thickness", "must be less than half the width (" +
                                         str(p.cage.width / 2) + " mm), got " +
                                         str(p.cage.wall_thickness) + " [mm]");
          if (p.cage.type == "PLIF" && p.cage.plif_offset < p.cage.width / 2)
            fail(c + "PLIF offset", "the two PLIF cages overlap: the offset must be at least "
                                    "half the width (" +
                                      str(p.cage.width / 2) + " mm), got " +
                                      str(p.cage.plif_offset) + " [mm]");
        }
      if (p.posterolateral_graft.present)
        {
          positive("Instrumentation/Posterolateral graft/Width", p.posterolateral_graft.width);
          positive("Instrumentation/Posterolateral graft/Thickness",
                   p.posterolateral_graft.thickness);
        }
    }

    /** One vertebra: body and posterior elements. side = +1 upper (z > 0), -1 lower. */
    struct Vertebra
    {
      VertebraDimensions dim;
      int side = 1;
      double z_lo = 0, z_hi = 0;     // body's inferior and superior faces
      double a_lo, b_lo, a_hi, b_hi; // semi-axes at z_lo and z_hi
      double x_pedicle, z_pedicle, y_wall, y_canal_back, y_lamina_back;
      double z_clip = 0;       // posterior elements only where side * z > z_clip
      double n_outline = 2;    // superellipse exponent of the body's cross-section
      std::vector<Box> blocks; // lamina, spinous, transverse, articular processes
      std::array<EllipticY, 2> pedicles;
      Box posterior_bounds;

      void semi_axes(const double z, double &a, double &b) const
      {
        const double t = (z - z_lo) / (z_hi - z_lo);
        a = a_lo + t * (a_hi - a_lo);
        b = b_lo + t * (b_hi - b_lo);
      }
      bool in_body(const Point<3> &p, const double inset) const
      {
        if (p[2] < z_lo + inset || p[2] > z_hi - inset)
          return false;
        double a, b;
        semi_axes(p[2], a, b);
        return inside_section(p[0], p[1], a, b, inset, n_outline);
      }
      bool in_posterior(const Point<3> &p) const
      {
        if (side * p[2] <= z_clip || !posterior_bounds.contains(p))
          return false;
        for (const auto &e : pedicles)
          if (e.contains(p))
            return true;
        for (const auto &b : blocks)
          if (b.contains(p))
            return true;
        return false;
      }
    };
  } // namespace

  // ------------------------------------------------------------------------------------------
  struct SegmentGeometry::Impl
  {
    SegmentParameters prm;
    double hd = 0; // disc height
    double resolution = 0;
    double t_cortical = 0, t_endplate = 0, t_facet = 0; // thicknesses used
    double t_ligament = 0;                              // longitudinal ligament band thickness used
    // Posterior ligaments spanning from the upper to the lower vertebra (made by the
    // constructor): interspinous/supraspinous and ligamentum flavum.
    Box interspinous, flavum;
    Vertebra upper, lower;
    Box facet_joints[2];                     // footprint of each joint, z range = cartilage layer
    bool facet_resected[2] = {false, false}; // x < 0, x > 0
    std::vector<Screw> screws;               // upper left, upper right, lower left, lower right
    std::vector<Cylinder> rods;
    std::vector<Footprint> cages;
    std::vector<Box> posterolateral;
    Box bounds;
    // Semi-axes of the elliptic nucleus / the disc's: its area is `Nucleus area fraction` of
    // the disc outline's, f^2 pi = fraction * superellipse_area_factor(n).
    double nucleus_axis_fraction = 0;

    void set_resolution(const double h)
    {
      resolution = h;
      t_cortical = std::max(prm.cortical_thickness, h);
      t_endplate = std::max(prm.endplate_thickness, h);
      t_facet = std::max(prm.facet_cartilage_thickness, 2 * h);
      t_ligament = std::max(prm.longitudinal_ligament_thickness, h);
      for (auto &f : facet_joints)
        f.lo[2] = -t_facet / 2, f.hi[2] = t_facet / 2;
      upper.z_clip = lower.z_clip = t_facet / 2;
    }

    void disc_semi_axes(const double z, double &a, double &b) const
    {
      const double t = (z + hd / 2) / hd;
      a = lower.a_hi + t * (upper.a_lo - lower.a_hi);
      b = lower.b_hi + t * (upper.b_lo - lower.b_hi);
    }

    Vertebra make_vertebra(const VertebraDimensions &dim, const int side) const
    {
      Vertebra v;
      v.dim = dim;
      v.side = side;
      v.n_outline = prm.outline_exponent;
      const double H = dim.body_height;
      v.z_lo = side > 0 ? hd / 2 : -hd / 2 - H;
      v.z_hi = v.z_lo + H;
      v.a_lo = dim.lower_endplate_width / 2, v.b_lo = dim.lower_endplate_depth / 2;
      v.a_hi = dim.upper_endplate_width / 2, v.b_hi = dim.upper_endplate_depth / 2;
      const double b_mid = (v.b_lo + v.b_hi) / 2;
      const double pw = dim.pedicle_width, ph = dim.pedicle_height;

      // Pedicles run from the lamina into the body; their medial walls line the canal.
      v.y_wall = -posterior_cut * b_mid;
      v.y_canal_back = v.y_wall - dim.canal_depth;
      v.y_lamina_back = v.y_canal_back - lamina_thickness;
      v.x_pedicle = dim.canal_width / 2 + pw / 2;
      v.z_pedicle = v.z_lo + pedicle_level * H;
      for (int s = 0; s < 2; ++s)
        v.pedicles[s] = {
          (s == 0 ? -1 : 1) * v.x_pedicle, v.z_pedicle, pw / 2, ph / 2, v.y_lamina_back,
          v.y_wall + 0.25 * b_mid};

      const double zp = v.z_pedicle, xo = v.x_pedicle + pw / 2;
      // Lamina: roof of the canal between the pedicles, sloping down behind the body.
      v.blocks.push_back(
        box(-xo, xo, v.y_lamina_back, v.y_canal_back, zp - lamina_drop * H, zp + ph / 2));
      // Spinous process: straight back from the lamina.
      v.blocks.push_back(box(-spinous_width / 2, spinous_width / 2,
                             v.y_lamina_back - spinous_length * 2 * b_mid, v.y_lamina_back,
                             zp - spinous_below * H, zp + spinous_above * H));
      // Transverse processes: from the pedicle-lamina junction out to half the span.
      for (const int s : {-1, 1})
        v.blocks.push_back(box(s * v.x_pedicle, s * dim.transverse_span / 2,
                               v.y_canal_back - transverse_behind,
                               v.y_canal_back + transverse_front, zp - transverse_height / 2,
                               zp + transverse_height / 2));
      // Articular processes (added by the constructor once the shared joint footprint is
      // known): the upper vertebra's inferior ones, the lower vertebra's superior ones.
      return v;
    }

    Screw make_screw(const Vertebra &v, const int sx) const
    {
      const auto &s = prm.screws;
      const double al = radians(s.medial_angle), be = radians(s.cranial_angle);
      const Vec d({-sx * std::sin(al) * std::cos(be), std::cos(al) * std::cos(be), std::sin(be)});
      // The trajectory passes through the pedicle's centre at mid-length (its isthmus), so a
      // converging screw enters lateral of the pedicle axis, as in the surgical technique.
      const Point<3> isthmus(sx * v.x_pedicle, (v.y_wall + v.y_canal_back) / 2, v.z_pedicle);
      const double y_entry = v.y_lamina_back;
      const Point<3> entry = isthmus + ((y_entry - isthmus[1]) / d[1]) * d;

      Screw screw;
      screw.shank.start = entry;
      screw.shank.axis = d;
      screw.shank.length = s.length;
      screw.shank.radius = s.diameter / 2;
      screw.shank.finish();
      const double rh = head_diameter_factor * s.diameter / 2;
      screw.head = {entry[0], entry[2], rh, rh, y_entry - s.head_height, y_entry};
      screw.head_end = Point<3>(entry[0], y_entry - s.head_height, entry[2]);
      screw.bounds = screw.shank.bounds;
      screw.bounds.extend(box(entry[0] - rh, entry[0] + rh, screw.head.y0, screw.head.y1,
                              entry[2] - rh, entry[2] + rh));
      return screw;
    }

    /** Largest shank length whose tip (with its radius) stays inside the body. */
    double max_screw_length(const Vertebra &v, const Screw &s) const
    {
      double last_inside = -1;
      for (double t = 0; t < 200; t += 0.05)
        if (v.in_body(s.shank.start + t * s.shank.axis, s.shank.radius))
          last_inside = t;
      return last_inside;
    }

    void check_anatomy() const
    {
      const std::string k = "Instrumentation/Pedicle screws/";
      for (unsigned int i = 0; i < screws.size(); ++i)
        {
          const Vertebra &v = i < 2 ? upper : lower;
          const Screw &s = screws[i];
          const double fit = std::min(v.dim.pedicle_width, v.dim.pedicle_height);
          if (prm.screws.diameter >= fit)
            fail(k + "Diameter", str(prm.screws.diameter) + " mm does not fit the " + v.dim.name +
                                   " pedicle (" + str(fit) + " mm) [mm]");
          const double l_max = max_screw_length(v, s);
          if (l_max < 0)
            fail(k + "Medial angle", "the screw trajectory misses the " + v.dim.name +
                                       " body (medial " + str(prm.screws.medial_angle) +
                                       ", cranial " + str(prm.screws.cranial_angle) + " degrees)");
          if (prm.screws.length > l_max)
            fail(k + "Length", str(prm.screws.length) + " mm screws leave the " + v.dim.name +
                                 " body; at most " + str(std::floor(l_max * 10) / 10) +
                                 " mm fit with these angles [mm]");
          const Point<3> tip = s.shank.start + s.shank.length * s.shank.axis;
          if (tip[0] * s.shank.start[0] <= 0 || std::abs(tip[0]) < s.shank.radius)
            fail(k + "Medial angle", "the left and right " + v.dim.name +
                                       " screws meet at the midline, got " +
                                       str(prm.screws.medial_angle) + " [degrees]");
        }
      for (const auto &f : cages)
        for (const int i : {-1, 1})
          for (const int j : {-1, 1})
            for (const double z : {-hd / 2, hd / 2})
              {
                double a, b;
                disc_semi_axes(z, a, b);
                const Point<3> c = f.corner(i, j);
                if (!inside_section(c[0], c[1], a, b, 0, prm.outline_exponent))
                  fail("Instrumentation/Cage/Length",
                       "the " + prm.cage.type + " cage footprint (" + str(prm.cage.length) + " x " +
                         str(prm.cage.width) + " mm) does not fit inside the " + prm.level +
                         " disc outline; use a shorter or narrower cage [mm]");
              }
    }

    std::optional<Region> classify(const Point<3> &p) const
    {
      const double z = p[2];
      for (const auto &r : rods)
        if (r.contains(p))
          return Region::rod;
      for (const auto &s : screws)
        if (s.bounds.contains(p) && (s.shank.contains(p) || s.head.contains(p)))
          return Region::screw;

      if (std::abs(z) <= hd / 2)
        {
          for (const auto &f : cages)
            {
              const auto [u, w] = f.local(p);
              if (std::abs(u) <= f.half_length && std::abs(w) <= f.half_width)
                {
                  const double t = prm.cage.wall_thickness;
                  if (std::abs(u) <= f.half_length - t && std::abs(w) <= f.half_width - t)
                    return prm.cage.graft_in_window ? std::optional<Region>(Region::graft) :
                                                      std::nullopt;
                  return Region::cage;
                }
            }
          double a, b;
          disc_semi_axes(z, a, b);
          if (inside_section(p[0], p[1], a, b, 0, prm.outline_exponent))
            {
              const double f = nucleus_axis_fraction;
              const double u = p[0] / (f * a), w = (p[1] + nucleus_shift * 2 * b) / (f * b);
              if (u * u + w * w > 1)
                return Region::annulus;
              if (cages.empty())
                return Region::nucleus;
              return prm.cage.nucleus_after_discectomy == "graft" ?
                       std::optional<Region>(Region::graft) :
                       std::nullopt;
            }
        }
      else
        {
          const Vertebra &v = z > 0 ? upper : lower;
          if (v.in_body(p, 0))
            {
              if (z - v.z_lo <= t_endplate || v.z_hi - z <= t_endplate)
                return Region::endplate;
              double a, b;
              v.semi_axes(z, a, b);
              return inside_section(p[0], p[1], a, b, shell_margin * t_cortical,
                                    prm.outline_exponent) ?
                       Region::cancellous :
                       Region::cortical;
            }
        }

      for (int s = 0; s < 2; ++s)
        if (!facet_resected[s] && facet_joints[s].contains(p))
          return Region::facet_cartilage;
      if ((z > 0 ? upper : lower).in_posterior(p))
        return Region::posterior;
      for (const auto &g : posterolateral)
        if (g.contains(p))
          return Region::posterolateral_graft;
      if (prm.ligaments)
        return ligament(p);
      return std::nullopt;
    }

    /** Ligament region at p (called only where no bone, disc or implant is). */
    std::optional<Region> ligament(const Point<3> &p) const
    {
      if (interspinous.contains(p))
        return Region::interspinous_ligament;
      if (flavum.contains(p))
        return Region::ligamentum_flavum;
      // Longitudinal ligaments: bands on the anterior and posterior surface of the disc that
      // reach a few mm onto each body, where they attach.
      const double attach = 4.0;
      if (std::abs(p[2]) > hd / 2 + attach)
        return std::nullopt;
      double a, b;
      disc_semi_axes(std::clamp(p[2], -hd / 2, hd / 2), a, b);
      if (!inside_section(p[0], p[1], a + t_ligament, b + t_ligament, 0, prm.outline_exponent))
        return std::nullopt;
      if (p[1] > 0 && std::abs(p[0]) <= prm.anterior_ligament_width / 2)
        return Region::anterior_ligament;
      if (p[1] < 0 && std::abs(p[0]) <= prm.posterior_ligament_width / 2)
        return Region::posterior_ligament;
      return std::nullopt;
    }
  };

  // ------------------------------------------------------------------------------------------
  SegmentGeometry::SegmentGeometry(const SegmentParameters &parameters)
  {
    auto impl = std::make_shared<Impl>();
    Impl &m = *impl;
    m.prm = parameters;
    m.nucleus_axis_fraction = std::sqrt(parameters.nucleus_area_fraction *
                                        superellipse_area_factor(parameters.outline_exponent) / pi);
    check_plain_parameters(parameters);

    const auto dash = parameters.level.find('-');
    double regression = 0;
    try
      {
        regression = disc_height_from_age(parameters.level, parameters.age);
      }
    catch (const std::invalid_argument &e)
      {
        fail("Geometry/Level", e.what());
      }
    m.hd = parameters.disc_height > 0 ? parameters.disc_height : regression;

    const std::string table =
      parameters.dimensions_file.empty() ?
        std::string(BONEFUSION_SOURCE_DIR) + "/meshes/lumbar_dimensions.csv" :
        parameters.dimensions_file;
    m.upper =
      m.make_vertebra(read_vertebra_dimensions(table, parameters.level.substr(0, dash)), +1);
    m.lower =
      m.make_vertebra(read_vertebra_dimensions(table, parameters.level.substr(dash + 1)), -1);

    // Facet joints: one footprint shared by both vertebrae, dorsolateral of the canal at the
    // pedicle-lamina junction; the joint surface is modelled as horizontal (a simplification:
    // real lumbar facets face mostly sagittally) so that only cartilage crosses z = 0.
    const double pw = (m.upper.dim.pedicle_width + m.lower.dim.pedicle_width) / 2;
    const double xf = (m.upper.x_pedicle + m.lower.x_pedicle) / 2 + facet_lateral * pw;
    const double yf = (m.upper.y_lamina_back + m.lower.y_lamina_back) / 2;
    // A positive TLIF angle means an approach from the left, the x < 0 side.
    const std::string &resect = parameters.cage.facetectomy;
    const int approach = parameters.cage.tlif_angle >= 0 ? 0 : 1;
    for (int s = 0; s < 2; ++s)
      m.facet_resected[s] = resect == "bilateral" || (resect == "approach side" && s == approach);
    for (int s = 0; s < 2; ++s)
      {
        const double sx = s == 0 ? -1 : 1;
        m.facet_joints[s] = box(sx * (xf - facet_width * pw / 2), sx * (xf + facet_width * pw / 2),
                                yf, yf + facet_depth, 0, 0);
        if (m.facet_resected[s])
          continue;
        for (Vertebra *v : {&m.upper, &m.lower})
          {
            // Articular process: a column from the pedicle level to the joint.
            Box column = m.facet_joints[s];
            column.lo[2] = std::min(0., v->z_pedicle);
            column.hi[2] = std::max(0., v->z_pedicle);
            v->blocks.push_back(column);
          }
      }
    for (Vertebra *v : {&m.upper, &m.lower})
      {
        v->posterior_bounds =
          box(v->pedicles[0].x - v->pedicles[0].ax, v->pedicles[1].x + v->pedicles[1].ax,
              v->pedicles[0].y0, v->pedicles[0].y1, v->pedicles[0].z - v->pedicles[0].az,
              v->pedicles[0].z + v->pedicles[0].az);
        for (const auto &b : v->blocks)
          v->posterior_bounds.extend(b);
      }
    if (parameters.facet_cartilage_thickness >= m.hd)
      fail("Geometry/Facet cartilage thickness",
           "must be less than the disc height (" + str(m.hd) + " mm), got " +
             str(parameters.facet_cartilage_thickness) + " [mm]");

    if (parameters.screws.present)
      for (const Vertebra *v : {&m.upper, &m.lower})
        for (const int sx : {-1, 1})
          m.screws.push_back(m.make_screw(*v, sx));
    if (parameters.rods.present)
      for (int s = 0; s < 2; ++s)
        {
          const Point<3> a = m.screws[2 + s].head_end, b = m.screws[s].head_end;
          Cylinder rod;
          rod.axis = (b - a) / (b - a).norm();
          rod.start = a - parameters.rods.overhang * rod.axis;
          rod.length = (b - a).norm() + 2 * parameters.rods.overhang;
          rod.radius = parameters.rods.diameter / 2;
          rod.finish();
          m.rods.push_back(rod);
        }

    const auto &c = parameters.cage;
    const double y_cage = cage_anterior * (m.upper.b_lo + m.lower.b_hi); // * mean depth
    if (c.type == "TLIF")
      m.cages.push_back({0, y_cage, std::cos(radians(c.tlif_angle)),
                         std::sin(radians(c.tlif_angle)), c.length / 2, c.width / 2});
    else if (c.type == "PLIF")
      for (const int s : {-1, 1}) // long side along y: rotated by 90 degrees
        m.cages.push_back({s * c.plif_offset, y_cage, 0, 1, c.length / 2, c.width / 2});

    if (parameters.posterolateral_graft.present)
      {
        const auto &g = parameters.posterolateral_graft;
        const double xg =
          (m.upper.x_pedicle + m.lower.x_pedicle) / 2 + pw / 2 + graft_gap + g.width / 2;
        const double y_back = (m.upper.y_canal_back + m.lower.y_canal_back) / 2 - transverse_behind;
        const double y_front =
          std::max(m.upper.y_canal_back, m.lower.y_canal_back) + transverse_front;
        // From the bottom of the lower to the top of the upper transverse process; the bone
        // overrides the strip where they overlap, so the graft wraps the processes.
        for (const int s : {-1, 1})
          m.posterolateral.push_back(box(
            s * (xg - g.width / 2), s * (xg + g.width / 2), y_back - g.thickness, y_front,
            m.lower.z_pedicle - transverse_height / 2, m.upper.z_pedicle + transverse_height / 2));
      }

    // Posterior ligaments reach 2 mm into the bone at each end (the bone wins there), so
    // they are tied to it at any voxel size.
    {
      const Vertebra &u = m.upper, &l = m.lower;
      const auto spinous_y = [](const Vertebra &v) {
        const double b_mid = (v.b_lo + v.b_hi) / 2;
        return std::make_pair(v.y_lamina_back - spinous_length * 2 * b_mid, v.y_lamina_back);
      };
      const auto [uy0, uy1] = spinous_y(u);
      const auto [ly0, ly1] = spinous_y(l);
      m.interspinous = box(-spinous_width / 2, spinous_width / 2, std::max(uy0, ly0),
                           std::min(uy1, ly1), l.z_pedicle + spinous_above * l.dim.body_height - 2,
                           u.z_pedicle - spinous_below * u.dim.body_height + 2);
      const double half_width = std::min(u.dim.canal_width, l.dim.canal_width) / 2;
      m.flavum =
        box(-half_width, half_width, std::max(u.y_lamina_back, l.y_lamina_back),
            std::min(u.y_canal_back, l.y_canal_back), l.z_pedicle + l.dim.pedicle_height / 2 - 2,
            u.z_pedicle - lamina_drop * u.dim.body_height + 2);
    }

    m.check_anatomy();
    m.set_resolution(0);

    // Bounding box of everything classify() can return.
    const double a_max = std::max({m.upper.a_lo, m.upper.a_hi, m.lower.a_lo, m.lower.a_hi});
    const double b_max = std::max({m.upper.b_lo, m.upper.b_hi, m.lower.b_lo, m.lower.b_hi});
    // The longitudinal ligament bands lie outside the disc and bodies: leave room for them.
    const double band =
      parameters.ligaments ? std::max(parameters.longitudinal_ligament_thickness, 5.) : 0;
    m.bounds =
      box(-a_max - band, a_max + band, -b_max - band, b_max + band, m.lower.z_lo, m.upper.z_hi);
    for (const Vertebra *v : {&m.upper, &m.lower})
      m.bounds.extend(v->posterior_bounds);
    for (const auto &s : m.screws)
      m.bounds.extend(s.bounds);
    for (const auto &r : m.rods)
      m.bounds.extend(r.bounds);
    for (const auto &g : m.posterolateral)
      m.bounds.extend(g);

    this->impl = impl;
  }

  std::optional<Region> SegmentGeometry::classify(const dealii::Point<3> &p) const
  {
    return impl->classify(p);
  }

  void SegmentGeometry::set_resolution(const double h)
  {
    if (!(h >= 0))
      throw std::invalid_argument("SegmentGeometry::set_resolution: h must be >= 0, got " + str(h));
    // Copy on write: copies of this geometry keep their own resolution.
    auto copy = std::make_shared<Impl>(*impl);
    copy->set_resolution(h);
    impl = copy;
  }

  double SegmentGeometry::cortical_thickness_used() const
  {
    return impl->t_cortical;
  }
  double SegmentGeometry::endplate_thickness_used() const
  {
    return impl->t_endplate;
  }
  double SegmentGeometry::facet_cartilage_thickness_used() const
  {
    return impl->t_facet;
  }

  BoundingBox3 SegmentGeometry::bounding_box() const
  {
    return {impl->bounds.lo, impl->bounds.hi};
  }

  double SegmentGeometry::top_z() const
  {
    return impl->upper.z_hi;
  }
  double SegmentGeometry::bottom_z() const
  {
    return impl->lower.z_lo;
  }
  double SegmentGeometry::disc_height() const
  {
    return impl->hd;
  }
  double SegmentGeometry::outline_exponent() const
  {
    return impl->prm.outline_exponent;
  }
  void SegmentGeometry::disc_semi_axes(const double z, double &a, double &b) const
  {
    impl->disc_semi_axes(std::clamp(z, -impl->hd / 2, impl->hd / 2), a, b);
  }
  std::string SegmentGeometry::upper_name() const
  {
    return impl->upper.dim.name;
  }
  std::string SegmentGeometry::lower_name() const
  {
    return impl->lower.dim.name;
  }
  const SegmentParameters &SegmentGeometry::parameters() const
  {
    return impl->prm;
  }

  std::optional<double> SegmentGeometry::ligament_drawn_area(const Region r) const
  {
    const Impl &m = *impl;
    const auto xy_area = [](const Box &b) { return (b.hi[0] - b.lo[0]) * (b.hi[1] - b.lo[1]); };
    switch (r)
      {
      case Region::interspinous_ligament: return xy_area(m.interspinous);
      case Region::ligamentum_flavum: return xy_area(m.flavum);
      case Region::anterior_ligament: return m.prm.anterior_ligament_width * m.t_ligament;
      case Region::posterior_ligament: return m.prm.posterior_ligament_width * m.t_ligament;
      default: return std::nullopt;
      }
  }

  std::optional<double> SegmentGeometry::analytic_volume(const Region r) const
  {
    const Impl &m = *impl;
    const auto &p = m.prm;
    switch (r)
      {
      case Region::screw:
        {
          if (m.screws.empty())
            return 0.;
          double v = 0;
          for (const auto &s : m.screws)
            {
              const double rs = s.shank.radius, rh = s.head.ax;
              // Shank and head cylinders overlap in the wedge behind the entry plane
              // y = y_entry that the tilted shank's flat end sticks into: (2/3) r^3 tan(theta).
              const double cos_t = s.shank.axis[1];
              const double wedge = 2. / 3. * rs * rs * rs * std::sqrt(1 - cos_t * cos_t) / cos_t;
              v += pi * rs * rs * s.shank.length + pi * rh * rh * p.screws.head_height - wedge;
            }
          // The rod (which overrides the screw) fills half of its own cross-section inside
          // each head: integral over x of the rod's half-chord times the head's chord,
          // clipped to the rod's ends. The rod is taken as vertical (it tilts by ~1 degree).
          for (unsigned int i = 0; i < m.rods.size() * 2; ++i)
            {
              const Screw &s = m.screws[i];
              const Cylinder &rod = m.rods[i % 2];
              const double rr = rod.radius, rh = s.head.ax, zc = s.head.z;
              const double z0 = std::min(rod.start[2], (rod.start + rod.length * rod.axis)[2]);
              const double z1 = std::max(rod.start[2], (rod.start + rod.length * rod.axis)[2]);
              const unsigned int n = 4000;
              double integral = 0;
              for (unsigned int q = 0; q < n; ++q)
                {
                  const double x = -rr + (q + 0.5) * 2 * rr / n;
                  const double half_chord = std::sqrt(std::max(0., rh * rh - x * x));
                  const double zl = std::max(zc - half_chord, z0),
                               zh = std::min(zc + half_chord, z1);
                  integral += std::sqrt(rr * rr - x * x) * std::max(0., zh - zl) * 2 * rr / n;
                }
              v -= integral;
            }
          return v;
        }
      case Region::rod:
        {
          double v = 0;
          for (const auto &rod : m.rods)
            v += pi * rod.radius * rod.radius * rod.length;
          return v;
        }
      case Region::cage:
        {
          const double l = p.cage.length, w = p.cage.width, t = p.cage.wall_thickness;
          return m.cages.size() * (l * w - (l - 2 * t) * (w - 2 * t)) * m.hd;
        }
      case Region::graft:
        {
          if (!m.cages.empty() && p.cage.nucleus_after_discectomy == "graft")
            return std::nullopt; // window plus leftover nucleus: no closed form
          if (!p.cage.graft_in_window)
            return 0.;
          const double l = p.cage.length, w = p.cage.width, t = p.cage.wall_thickness;
          return m.cages.size() * (l - 2 * t) * (w - 2 * t) * m.hd;
        }
      default: return std::nullopt;
      }
  }
} // namespace bonefusion::geometry
