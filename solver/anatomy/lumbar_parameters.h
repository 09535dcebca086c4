#pragma once
/**
 * @file Parameters of the parametric lumbar anatomy (subsection "Geometry"): which vertebrae,
 * their dimension table, disc heights, thin layers, outline and ligaments. Lengths in mm.
 */
#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::anatomy
{
  struct LumbarParameters
  {
    std::string level = "L4-L5";            ///< adjacent lumbar pair L1-L2 .. L5-S1
    std::string levels;                     ///< contiguous range "L3-S1"; empty = level
    std::string alignment = "straight";     ///< straight | lordotic
    std::string segmental_lordosis;         ///< degrees per disc, top to bottom; empty = table
    double column_rotation = 0;             ///< whole model about the global z axis [deg]
    std::string vertebra_shape = "anatomical"; ///< anatomical | blocks
    std::string facet_orientation = "per level"; ///< per level | uniform
    std::string facet_surfaces = "curved";       ///< curved | pads
    std::string dimensions_file;            ///< CSV table; empty = meshes/lumbar_dimensions.csv
    double age = 45;                        ///< years, for the disc height regression
    double disc_height = 0;                 ///< mm; 0 = from the age regression
    double cortical_thickness = 0.5;        ///< mm, physical shell thickness
    double endplate_thickness = 1.0;        ///< mm
    double outline_exponent = 3;            ///< n of the superellipse outline of bodies and disc
    double nucleus_area_fraction = 0.4;     ///< nucleus cross-section / disc cross-section
    double facet_cartilage_thickness = 1.0; ///< mm
    bool ligaments = true;                  ///< model ALL, PLL, flavum, interspinous
    double longitudinal_ligament_thickness = 1.5; ///< mm, drawn at least one voxel thick
    double anterior_ligament_width = 20;          ///< mm (x)
    double posterior_ligament_width = 10;         ///< mm (x)

    /** Declares subsection "Geometry" (all but "Source" and "Mesh file"). */
    static void declare_parameters(dealii::ParameterHandler &prm);
    /** Reads it back; throws std::invalid_argument naming "Geometry/<key>" for values that
     *  are wrong on their own (non-positive thicknesses, exponent outside [2, 10], ...). */
    void parse_parameters(dealii::ParameterHandler &prm);
    /** The checks of parse_parameters() on the values as they are. */
    void check() const;

    /** The vertebrae modelled, top to bottom ("Levels", else "Level"); throws
     *  std::invalid_argument naming the parameter for a range that is not one. */
    std::vector<std::string> vertebrae() const;
    /** Lordosis of each of the discs `segments` (top to bottom) [deg]: zeros for a straight
     *  column, else the list given or the published means. Throws std::invalid_argument
     *  naming "Geometry/Segmental lordosis" for a wrong count, a non-number or |angle| > 40. */
    std::vector<double> lordosis(const std::vector<std::string> &segments) const;
  };
} // namespace bonefusion::anatomy
