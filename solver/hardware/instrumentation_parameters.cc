#include "hardware/instrumentation_parameters.h"
#include "io/number_text.h"

#include <deal.II/base/parameter_handler.h>

#include <cmath>
#include <stdexcept>

namespace bonefusion::hardware
{
  namespace
  {
    [[noreturn]] void fail(const std::string &key, const std::string &message)
    {
      throw std::invalid_argument(key + ": " + message);
    }
  } // namespace

  void InstrumentationParameters::declare_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii;
    const InstrumentationParameters d;
    const auto length = Patterns::Double(0);
    const auto angle = Patterns::Double(-60, 60);

    prm.enter_subsection("Instrumentation");
    {
      const auto &s = d.screws;
      prm.enter_subsection("Pedicle screws");
      prm.declare_entry("Present", s.present ? "true" : "false", Patterns::Bool(),
                        "Whether both vertebrae carry two pedicle screws each. [-]");
      prm.declare_entry("Diameter", io::number_text(s.diameter), length,
                        "Outer thread diameter of each pedicle screw. [mm]");
      prm.declare_entry("Length", io::number_text(s.length), length,
                        "Length of each screw shank from the entry point to the tip. [mm]");
      prm.declare_entry("Medial angle", io::number_text(s.medial_angle), angle,
                        "Convergence of each screw towards the midline in the transverse "
                        "plane; positive tips converge. [degrees]");
      prm.declare_entry("Cranial angle", io::number_text(s.cranial_angle), angle,
                        "Tilt of each screw in the sagittal plane; positive tips point "
                        "cranially. [degrees]");
      prm.declare_entry("Head height", io::number_text(s.head_height), length,
                        "Distance from the entry point straight back to the rod axis; the head "
                        "diameter is 1.5 times the screw diameter. [mm]");
      prm.declare_entry("Levels", s.levels, Patterns::Anything(),
                        "Vertebrae that get screws, comma-separated from the top (L4, L5, S1); "
                        "empty means every vertebra of the model. [-]");
      prm.declare_entry("Sides", s.sides, Patterns::Selection("both|left|right"),
                        "Bilateral screws, or only on one side (unilateral fixation). [-]");
      prm.declare_entry("Material", s.material, Patterns::Anything(),
                        "Name of the screw material in the material library. [-]");
      prm.declare_entry(
        "Interface", s.interface, Patterns::Selection("bonded|loosened"),
        "How the screws hold in the bone. bonded: tied to the bone along the whole shank (the "
        "screw as placed at surgery, with no slip or toggle). loosened: a layer of fibrous "
        "tissue ('Halo thickness', region material 'Region materials/screw halo') replaces "
        "the bone around each shank, the radiolucent halo of a loosened screw; it also stands "
        "for the compliance of a weak screw-bone interface. [-]");
      prm.declare_entry("Halo thickness", io::number_text(s.halo_thickness), length,
                        "Loosened screws: thickness of the fibrous layer around each shank "
                        "(radiolucent zones of 1 mm or more are read as loosening). It is drawn "
                        "at least one voxel thick, with its modulus scaled by drawn / real "
                        "thickness so that its stiffness across the layer is the real one's. "
                        "[mm]");
      prm.leave_subsection();
    }
    {
      const auto &r = d.rods;
      prm.enter_subsection("Rods");
      prm.declare_entry("Present", r.present ? "true" : "false", Patterns::Bool(),
                        "Whether a rod joins the two screw heads on each side; needs pedicle "
                        "screws. [-]");
      prm.declare_entry("Diameter", io::number_text(r.diameter), length,
                        "Diameter of each rod. [mm]");
      prm.declare_entry("Overhang", io::number_text(r.overhang), length,
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
      prm.declare_entry("Length", io::number_text(c.length), length,
                        "Long side of each cage footprint. [mm]");
      prm.declare_entry("Width", io::number_text(c.width), length,
                        "Short side of each cage footprint. [mm]");
      prm.declare_entry("Wall thickness", io::number_text(c.wall_thickness), length,
                        "Wall thickness of the hollow cage around its graft window. [mm]");
      prm.declare_entry("TLIF angle", io::number_text(c.tlif_angle), angle,
                        "Angle between the TLIF cage's long side and the x axis; positive "
                        "puts the right end anterior (approach from the left). [degrees]");
      prm.declare_entry("PLIF offset", io::number_text(c.plif_offset), length,
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
      prm.declare_entry("Levels", c.levels, Patterns::Anything(),
                        "Discs that get a cage (each after its discectomy, with its own graft), "
                        "comma-separated (L4-L5, L5-S1); empty means the model's only disc "
                        "(a model of several segments must name them). [-]");
      prm.leave_subsection();
    }
    {
      const auto &g = d.posterolateral_graft;
      prm.enter_subsection("Posterolateral graft");
      prm.declare_entry("Present", g.present ? "true" : "false", Patterns::Bool(),
                        "Whether a graft strip bridges the transverse processes on each side. "
                        "[-]");
      prm.declare_entry("Width", io::number_text(g.width), length,
                        "Mediolateral width of each graft strip. [mm]");
      prm.declare_entry("Thickness", io::number_text(g.thickness), length,
                        "Thickness of each graft strip behind the transverse processes. [mm]");
      prm.declare_entry("Levels", g.levels, Patterns::Anything(),
                        "Segments whose transverse processes the strips bridge, "
                        "comma-separated (L4-L5, L5-S1); empty means the model's only segment. "
                        "[-]");
      prm.leave_subsection();
    }
    prm.declare_entry("Facetectomy", d.facetectomy, Patterns::Anything(),
                      "Facet joints resected besides those of the cage's approach, as "
                      "'<segment> left|right|both' items, comma-separated (L4-L5 left, L5-S1 "
                      "both); empty means none. A resected joint loses its cartilage and both "
                      "articular processes. [-]");
    prm.declare_entry("Resected ligaments", d.resected_ligaments, Patterns::Anything(),
                      "Ligaments cut at surgery, as '<segment> <ligament>' items, "
                      "comma-separated, the ligament one of 'anterior longitudinal ligament', "
                      "'posterior longitudinal ligament', 'ligamentum flavum', 'interspinous "
                      "ligament' (the interspinous band stands for the supraspinous ligament "
                      "too), e.g. 'L4-L5 interspinous ligament, L4-L5 ligamentum flavum' for an "
                      "open midline decompression; empty means none. A cut band leaves its "
                      "space empty. [-]");
    prm.leave_subsection();
  }

  void InstrumentationParameters::parse_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Instrumentation");
    prm.enter_subsection("Pedicle screws");
    screws.present = prm.get_bool("Present");
    screws.diameter = prm.get_double("Diameter");
    screws.length = prm.get_double("Length");
    screws.medial_angle = prm.get_double("Medial angle");
    screws.cranial_angle = prm.get_double("Cranial angle");
    screws.head_height = prm.get_double("Head height");
    screws.material = prm.get("Material");
    screws.levels = prm.get("Levels");
    screws.sides = prm.get("Sides");
    screws.interface = prm.get("Interface");
    screws.halo_thickness = prm.get_double("Halo thickness");
    if (screws.interface == "loosened" && !(screws.halo_thickness > 0))
      fail("Instrumentation/Pedicle screws/Halo thickness",
           "a loosened screw needs a halo thicker than 0 mm, got " +
             io::number_text(screws.halo_thickness) + " [mm]");
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
    cage.levels = prm.get("Levels");
    prm.leave_subsection();
    prm.enter_subsection("Posterolateral graft");
    posterolateral_graft.present = prm.get_bool("Present");
    posterolateral_graft.width = prm.get_double("Width");
    posterolateral_graft.thickness = prm.get_double("Thickness");
    posterolateral_graft.levels = prm.get("Levels");
    prm.leave_subsection();
    facetectomy = prm.get("Facetectomy");
    resected_ligaments = prm.get("Resected ligaments");
    prm.leave_subsection();
    check();
  }

  void InstrumentationParameters::check() const
  {
    const InstrumentationParameters &p = *this;
    auto positive = [](const std::string &key, const double v) {
      if (!(v > 0))
        fail(key, "must be positive, got " + io::number_text(v) + " [mm]");
    };
    if (p.screws.present)
      {
        const std::string k = "Instrumentation/Pedicle screws/";
        positive(k + "Diameter", p.screws.diameter);
        positive(k + "Length", p.screws.length);
        positive(k + "Head height", p.screws.head_height);
        if (std::abs(p.screws.medial_angle) >= 45)
          fail(k + "Medial angle", "must lie in (-45, 45), got " +
                                     io::number_text(p.screws.medial_angle) + " [degrees]");
        if (p.screws.sides != "both" && p.screws.sides != "left" && p.screws.sides != "right")
          fail(k + "Sides", "must be both, left or right, got '" + p.screws.sides + "'");
        if (std::abs(p.screws.cranial_angle) >= 45)
          fail(k + "Cranial angle", "must lie in (-45, 45), got " +
                                      io::number_text(p.screws.cranial_angle) + " [degrees]");
      }
    if (p.rods.present)
      {
        if (!p.screws.present)
          fail("Instrumentation/Rods/Present",
               "rods need pedicle screws, but Instrumentation/Pedicle screws/Present = false");
        positive("Instrumentation/Rods/Diameter", p.rods.diameter);
        if (p.rods.overhang < 0)
          fail("Instrumentation/Rods/Overhang",
               "must not be negative, got " + io::number_text(p.rods.overhang) + " [mm]");
        if (p.screws.head_height <= p.rods.diameter / 2)
          fail("Instrumentation/Pedicle screws/Head height",
               "must exceed the rod radius (" + io::number_text(p.rods.diameter / 2) +
                 " mm) so the rod "
                 "sits on the head, got " +
                 io::number_text(p.screws.head_height) + " [mm]");
      }
    const std::string c = "Instrumentation/Cage/";
    if (p.cage.type != "none" && p.cage.type != "TLIF" && p.cage.type != "PLIF")
      fail(c + "Type", "must be none, TLIF or PLIF, got '" + p.cage.type + "'");
    if (p.cage.nucleus_after_discectomy != "removed" && p.cage.nucleus_after_discectomy != "graft")
      fail(c + "Nucleus after discectomy",
           "must be removed or graft, got '" + p.cage.nucleus_after_discectomy + "'");
    if (p.cage.type != "none")
      {
        positive(c + "Length", p.cage.length);
        positive(c + "Width", p.cage.width);
        positive(c + "Wall thickness", p.cage.wall_thickness);
        if (p.cage.width > p.cage.length)
          fail(c + "Width", "must not exceed the length (" + io::number_text(p.cage.length) +
                              " mm), got " + io::number_text(p.cage.width) + " [mm]");
        if (p.cage.wall_thickness >= p.cage.width / 2)
          fail(c + "Wall thickness", "must be less than half the width (" +
                                       io::number_text(p.cage.width / 2) + " mm), got " +
                                       io::number_text(p.cage.wall_thickness) + " [mm]");
        if (p.cage.type == "PLIF" && p.cage.plif_offset < p.cage.width / 2)
          fail(c + "PLIF offset", "the two PLIF cages overlap: the offset must be at least "
                                  "half the width (" +
                                    io::number_text(p.cage.width / 2) + " mm), got " +
                                    io::number_text(p.cage.plif_offset) + " [mm]");
      }
    if (p.posterolateral_graft.present)
      {
        positive("Instrumentation/Posterolateral graft/Width", p.posterolateral_graft.width);
        positive("Instrumentation/Posterolateral graft/Thickness",
                 p.posterolateral_graft.thickness);
      }
  }
} // namespace bonefusion::hardware
