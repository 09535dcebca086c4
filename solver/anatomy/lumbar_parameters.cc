#include "anatomy/lumbar_parameters.h"
#include "anatomy/lumbar_levels.h"
#include "io/number_text.h"
#include "loads/surface_load_case.h"

#include <deal.II/base/parameter_handler.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace bonefusion::anatomy
{
  namespace
  {
    [[noreturn]] void fail(const std::string &key, const std::string &message)
    {
      throw std::invalid_argument("Geometry/" + key + ": " + message);
    }
  } // namespace

  void LumbarParameters::declare_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii;
    const LumbarParameters d;
    const auto length = Patterns::Double(0);

    prm.enter_subsection("Geometry");
    prm.declare_entry("Level", d.level, Patterns::Selection("L1-L2|L2-L3|L3-L4|L4-L5|L5-S1"),
                      "Pair of adjacent vertebrae modelled, upper-lower; replaced by "
                      "\"Levels\" when that is set. [-]");
    prm.declare_entry("Levels", d.levels, Patterns::Anything(),
                      "Contiguous range of vertebrae in one model, upper-lower, from L1 to S1: "
                      "L3-S1 is L3, L4, L5 and S1 with the discs L3-L4, L4-L5 and L5-S1 (a "
                      "single segment such as L4-L5 is the shortest range). The column is "
                      "loaded at the top vertebra and held at the bottom one. Empty means "
                      "\"Level\". [-]");
    prm.declare_entry("Sagittal alignment", d.alignment, Patterns::Selection("straight|lordotic"),
                      "straight: vertebrae stacked on one axis, discs of uniform height (the "
                      "model of a single segment so far); lordotic: each disc a wedge that "
                      "opens anteriorly by its segmental lordosis (\"Segmental lordosis\"), "
                      "the vertebrae following the curve; the top vertebra stays level. The "
                      "wedge brings the vertebrae together behind the disc, so the "
                      "interspinous and flavum bands are shorter; their modulus is scaled to "
                      "keep the straight segment's axial stiffness (docs/model.md, \"Posterior "
                      "ligaments of a wedge disc\"). [-]");
    prm.declare_entry("Segmental lordosis", d.segmental_lordosis, Patterns::Anything(),
                      "Lordosis of each disc from top to bottom, comma-separated, positive "
                      "opening anteriorly (used with Sagittal alignment = lordotic). Empty "
                      "means the published means per level (L1-L2 1.2, L2-L3 5.9, L3-L4 9.1, "
                      "L4-L5 12.7, L5-S1 21.6; docs/sources.md, \"Segmental lordosis\"). "
                      "[deg]");
    prm.declare_entry("Column rotation", "0", Patterns::Selection("0|90|180|270"),
                      "Turns the whole model (anatomy, implants, frames, loads) about the global "
                      "vertical z axis through the origin by a quarter turn or two or three. "
                      "Quarter turns map the voxel grid onto itself, so the turned model's mesh "
                      "is the turned mesh and every per-level result is the same: a check of "
                      "the frames. (Other angles are not offered yet: with the stair-cased "
                      "support of a tilted sacrum they let part of the load bypass the lowest "
                      "disc.) [deg]");
    prm.declare_entry(
      "Vertebra shape", d.vertebra_shape, Patterns::Selection("blocks|anatomical"),
      "anatomical (default): "
      "bodies with a waist and concave endplates (the disc fills the domes), a hatchet-shaped "
      "spinous process, transverse processes as tapered rods with rounded tips, round "
      "articular processes and facet pads of the same area as the blocks', pedicles "
      "converging at their level's transverse angle (5 deg at L1 to 25 deg at L5, Dickman "
      "1992), laminae that lean back and arch over the interlaminar window, with rounded edges; "
      "blocks: the posterior elements as boxes and straight-walled bodies (the shapes "
      "of the first parametric segment, on which the sliding facet joints were calibrated "
      "with pads; kept for comparison) (docs/model.md, \"Vertebra shapes\"). How the facet "
      "joints are drawn is 'Facet surfaces'. [-]");
    prm.declare_entry(
      "Facet surfaces", d.facet_surfaces, Patterns::Selection("pads|curved"),
      "How the facet joints' cartilage and articular processes are drawn. curved "
      "(default): the real, near-vertical joint: a "
      "cylindrical surface of 15 mm radius, concave posteromedially, facing the midline at "
      "its level's published angle to the sagittal plane (Masharawi 2004, as 'Facet "
      "orientation = per level'), 1.3 times as tall as wide with the pad's area; the upper "
      "vertebra's inferior articular process hangs behind it, the lower one's superior "
      "process rises in front of it, each 8 mm thick, and no bone of one vertebra comes "
      "within a voxel of the other's except across the cartilage (docs/model.md, \"Curved "
      "facet joints\"). pads: a layer across the disc's mid-surface between two columns of "
      "bone (the shapes the sliding-joint parameters were fitted on); the joint's "
      "orientation lives only in the joint law. [-]");
    prm.declare_entry(
      "Facet orientation", d.facet_orientation, Patterns::Selection("uniform|per level"),
      "How the facet joints turn from level to level in the transverse plane (used by the "
      "sliding-joint law, 'Facet joints/Contact = sliding joint'). per level (default): "
      "'Joint angle' is the L4-L5 joints' angle and the other levels differ from it as the "
      "published means do (Masharawi 2004: L1-L2 22.4 deg more sagittal, L2-L3 15.9, L3-L4 "
      "8.0, L5-S1 as L4-L5; docs/model.md, \"Facet orientation per level\"), as the curved "
      "surfaces are drawn. uniform: every joint at 'Facet joints/Joint angle' to the "
      "sagittal plane (with curved surfaces, the law then disagrees with the drawn surface "
      "above L4-L5). [-]");
    prm.declare_entry("Dimensions file", "", Patterns::Anything(),
                      "CSV table of vertebra dimensions per level; empty means the shipped "
                      "meshes/lumbar_dimensions.csv. [path]");
    prm.declare_entry(
      "Age", io::number_text(d.age), Patterns::Double(0, 120),
      "Age used by the disc height regression (docs/sources.md, \"Disc height\"). [years]");
    prm.declare_entry("Disc height", io::number_text(d.disc_height), length,
                      "Height of the intervertebral disc; 0 means from the age regression. [mm]");
    prm.declare_entry("Cortical shell thickness", io::number_text(d.cortical_thickness), length,
                      "Physical thickness of the cortical shell of the vertebral bodies; the "
                      "mesh uses at least one voxel. [mm]");
    prm.declare_entry("Endplate thickness", io::number_text(d.endplate_thickness), length,
                      "Thickness of the bony endplates; the mesh uses at least one voxel. [mm]");
    prm.declare_entry(
      "Outline exponent", io::number_text(d.outline_exponent), Patterns::Double(2, 10),
      "Exponent n of the superellipse |x/a|^n + |y/b|^n = 1 that outlines the cross-section "
      "of the vertebral bodies and the disc (a, b: half the endplate width and depth of the "
      "dimension table; the posterior wall is flat). 2 is an ellipse; larger values give the "
      "fuller, kidney-like outline of real endplates. The default 3 gives the L4-L5 disc "
      "1 429 mm^2 (ellipse: 1 283 mm^2; in vitro 1 500-1 800 mm^2, docs/sources.md, \"Disc "
      "area\"); the disc's bending and torsional stiffness grow with it (docs/model.md). "
      "[-]");
    prm.declare_entry("Nucleus area fraction", io::number_text(d.nucleus_area_fraction),
                      Patterns::Double(0, 1),
                      "Cross-section of the (elliptic) nucleus pulposus as a fraction of the "
                      "disc's cross-section. [-]");
    prm.declare_entry("Facet cartilage thickness", io::number_text(d.facet_cartilage_thickness),
                      length,
                      "Thickness of the cartilage layer of each facet joint; the mesh uses at "
                      "least two voxels. [mm]");
    prm.declare_entry("Ligaments", d.ligaments ? "true" : "false", Patterns::Bool(),
                      "Model the anterior and posterior longitudinal ligaments, the ligamentum "
                      "flavum and the interspinous/supraspinous ligaments as soft solid bands "
                      "tied to the bone (their modulus is scaled to the real E*A). [-]");
    prm.declare_entry("Longitudinal ligament thickness",
                      io::number_text(d.longitudinal_ligament_thickness), length,
                      "Thickness of the anterior and posterior longitudinal ligament bands; the "
                      "mesh uses at least one voxel. [mm]");
    prm.declare_entry("Anterior ligament width", io::number_text(d.anterior_ligament_width), length,
                      "Width (x) of the anterior longitudinal ligament band. [mm]");
    prm.declare_entry("Posterior ligament width", io::number_text(d.posterior_ligament_width),
                      length, "Width (x) of the posterior longitudinal ligament band. [mm]");
    prm.leave_subsection();
  }

  void LumbarParameters::parse_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Geometry");
    level = prm.get("Level");
    levels = prm.get("Levels");
    alignment = prm.get("Sagittal alignment");
    segmental_lordosis = prm.get("Segmental lordosis");
    column_rotation = prm.get_double("Column rotation");
    vertebra_shape = prm.get("Vertebra shape");
    facet_orientation = prm.get("Facet orientation");
    facet_surfaces = prm.get("Facet surfaces");
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

    check();
  }

  void LumbarParameters::check() const
  {
    const auto positive = [](const std::string &key, const double v) {
      if (!(v > 0))
        fail(key, "must be positive, got " + io::number_text(v) + " [mm]");
    };
    positive("Cortical shell thickness", cortical_thickness);
    positive("Endplate thickness", endplate_thickness);
    positive("Facet cartilage thickness", facet_cartilage_thickness);
    if (disc_height < 0)
      fail("Disc height",
           "must be positive or 0 (from age), got " + io::number_text(disc_height) + " [mm]");
    if (!(outline_exponent >= 2 && outline_exponent <= 10))
      fail("Outline exponent", "must lie between 2 (ellipse) and 10 (almost a rectangle), got " +
                                 io::number_text(outline_exponent));
    if (!(nucleus_area_fraction > 0 && nucleus_area_fraction < 1))
      fail("Nucleus area fraction",
           "must lie strictly between 0 and 1, got " + io::number_text(nucleus_area_fraction));
    if (vertebra_shape != "blocks" && vertebra_shape != "anatomical")
      fail("Vertebra shape", "must be blocks or anatomical, got '" + vertebra_shape + "'");
    if (facet_orientation != "uniform" && facet_orientation != "per level")
      fail("Facet orientation",
           "must be uniform or per level, got '" + facet_orientation + "'");
    if (facet_surfaces != "pads" && facet_surfaces != "curved")
      fail("Facet surfaces", "must be pads or curved, got '" + facet_surfaces + "'");
    if (alignment != "straight" && alignment != "lordotic")
      fail("Sagittal alignment", "must be straight or lordotic, got '" + alignment + "'");
    const std::vector<std::string> names = vertebrae();
    std::vector<std::string> segments;
    for (unsigned int k = 0; k + 1 < names.size(); ++k)
      segments.push_back(names[k] + "-" + names[k + 1]);
    lordosis(segments);
  }

  std::vector<std::string> LumbarParameters::vertebrae() const
  {
    return levels.empty() ? vertebra_range(level, "Geometry/Level") :
                            vertebra_range(levels, "Geometry/Levels");
  }

  std::vector<double> LumbarParameters::lordosis(const std::vector<std::string> &segments) const
  {
    if (alignment == "straight")
      return std::vector<double>(segments.size(), 0.0);
    if (segmental_lordosis.find_first_not_of(" \t") == std::string::npos)
      {
        std::vector<double> angles;
        for (const std::string &s : segments)
          angles.push_back(published_segmental_lordosis(s));
        return angles;
      }
    std::vector<double> angles;
    std::stringstream list(segmental_lordosis);
    std::string item;
    while (std::getline(list, item, ','))
      {
        const auto first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
        item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
        const double angle = loads::parse_finite_number(item, "Geometry/Segmental lordosis");
        if (!(std::abs(angle) <= 40))
          fail("Segmental lordosis",
               "angles must lie between -40 and 40, got " + io::number_text(angle) + " [deg]");
        angles.push_back(angle);
      }
    if (angles.size() != segments.size())
      fail("Segmental lordosis", "expected " + std::to_string(segments.size()) +
                                   " angles, one per disc from the top (" +
                                   std::to_string(segments.size()) + " discs in the model), got " +
                                   std::to_string(angles.size()));
    return angles;
  }
} // namespace bonefusion::anatomy
