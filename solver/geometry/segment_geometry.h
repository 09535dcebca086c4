#pragma once
/**
 * @file Parametric lumbar motion segment (two vertebrae, disc, posterior elements) with
 * optional instrumentation, described implicitly: classify(point) says which region a point
 * belongs to. The voxel mesher (voxel_mesh.h) turns that into a hexahedral mesh.
 *
 * Axes (STYLE.md): x left->right, y posterior->anterior, z inferior->superior; mm.
 * Origin: centre of the disc's mid-plane; the upper vertebra lies at z > 0.
 */
#include <deal.II/base/point.h>

#include "geometry/regions.h"

#include <memory>
#include <optional>
#include <string>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::geometry
{
  /** Dimensions of one vertebra as read from meshes/lumbar_dimensions.csv (mm). */
  struct VertebraDimensions
  {
    std::string name;            ///< "L4"
    double body_height;          ///< posterior-anterior mean body height [mm]
    double upper_endplate_width; ///< [mm] (x)
    double upper_endplate_depth; ///< [mm] (y)
    double lower_endplate_width; ///< [mm]
    double lower_endplate_depth; ///< [mm]
    double pedicle_height;       ///< [mm] (z)
    double pedicle_width;        ///< [mm] (x)
    double canal_depth;          ///< [mm] (y)
    double canal_width;          ///< [mm] (x)
    double transverse_span;      ///< tip-to-tip transverse-process span [mm] (x)
  };

  /**
   * Reads the per-level table (CSV with a header line; '#' comments) and returns the row of
   * `vertebra` ("L1".."L5", "S1"). Throws std::runtime_error naming the file and the level.
   */
  VertebraDimensions read_vertebra_dimensions(const std::string &csv_file,
                                              const std::string &vertebra);

  /**
   * Disc height of a lumbar level pair ("L4-L5") from the age regression of
   * spine-data.md section 3 (men; cm in the source, mm here). Throws for an unknown level.
   */
  double disc_height_from_age(const std::string &level, double age_years);

  /**
   * Area of the superellipse |x/a|^n + |y/b|^n <= 1 divided by a*b:
   * 4 Gamma(1 + 1/n)^2 / Gamma(1 + 2/n); pi for the ellipse (n = 2), 4 for the rectangle.
   */
  double superellipse_area_factor(double n);

  /** Geometry and instrumentation parameters (all lengths mm, angles degrees). */
  struct SegmentParameters
  {
    std::string level = "L4-L5";            ///< adjacent lumbar pair L1-L2 .. L5-S1
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

    struct Screws
    {
      bool present = false;
      double diameter = 6.5;    ///< mm (thread outer diameter)
      double length = 45;       ///< mm, entry point to tip
      double medial_angle = 10; ///< deg, convergence in the transverse plane
      double cranial_angle = 0; ///< deg, tilt in the sagittal plane (+ = tip cranial)
      double head_height = 12;  ///< mm, from entry point back to the rod axis
      std::string material = "Ti-6Al-4V";
    } screws;

    struct Rods
    {
      bool present = false;
      double diameter = 5.5; ///< mm
      double overhang = 5;   ///< mm beyond the screw heads at each end
      std::string material = "Ti-6Al-4V";
    } rods;

    struct Cage
    {
      std::string type = "none"; ///< none | TLIF | PLIF
      double length = 28;        ///< mm, footprint long side
      double width = 11;         ///< mm, footprint short side
      double wall_thickness = 2; ///< mm; the window inside holds graft
      double tlif_angle = 30;    ///< deg between the TLIF cage's long axis and the x axis
      double plif_offset = 9;    ///< mm, |x| of each PLIF cage centre
      bool graft_in_window = true;
      std::string nucleus_after_discectomy = "removed"; ///< removed | graft
      /** Facet joints resected for the approach: none | approach side | bilateral. */
      std::string facetectomy = "none";
      std::string material = "PEEK";
    } cage;

    struct PosterolateralGraft
    {
      bool present = false;
      double width = 10;    ///< mm (x) of each graft strip
      double thickness = 6; ///< mm (y)
    } posterolateral_graft;

    /** Declares every entry (with unit in its documentation) in subsections
     *  "Geometry" and "Instrumentation" of prm. */
    static void declare_parameters(dealii::ParameterHandler &prm);
    /** Reads them back; throws std::invalid_argument naming the parameter on bad values
     *  (negative lengths, unknown level, screws without room, ...). Builds a SegmentGeometry
     *  to run the checks that need the anatomy, so it also throws std::runtime_error if the
     *  dimension table cannot be read. */
    void parse_parameters(dealii::ParameterHandler &prm);
  };

  /** Axis-aligned box [lo, hi]. */
  struct BoundingBox3
  {
    dealii::Point<3> lo, hi;
  };

  /**
   * The segment as an implicit geometry. Construction computes all derived dimensions; then
   * classify() is a pure, thread-safe function of the point.
   */
  class SegmentGeometry
  {
  public:
    explicit SegmentGeometry(const SegmentParameters &parameters);

    /** Region at point p, or std::nullopt outside the model (air, canal, removed nucleus). */
    std::optional<Region> classify(const dealii::Point<3> &p) const;

    /**
     * Sets the mesh resolution h [mm] that thin layers must survive: the cortical shell and
     * the endplates become at least h thick, the facet cartilage at least 2h (it is centred
     * on the face plane z = 0, so a voxel layer there always has an even number of cells).
     * h = 0 (the default) restores the physical thicknesses. build_voxel_mesh() applies its
     * own h to a copy; call this on your copy to read the thicknesses the mesh uses, e.g. to
     * scale the shell modulus by cortical_thickness / cortical_thickness_used().
     */
    void set_resolution(double h);

    /** Cortical shell thickness classify() uses: max(cortical thickness, h) [mm]. */
    double cortical_thickness_used() const;
    /** Endplate thickness classify() uses: max(endplate thickness, h) [mm]. */
    double endplate_thickness_used() const;
    /** Facet cartilage thickness classify() uses: max(facet cartilage thickness, 2h) [mm]. */
    double facet_cartilage_thickness_used() const;

    /** Box enclosing every point that classify() assigns a region. */
    BoundingBox3 bounding_box() const;

    /** z of the top of the upper body (load surface) and bottom of the lower body (support). */
    double top_z() const;
    double bottom_z() const;
    /** Disc height actually used [mm]. */
    double disc_height() const;
    /** Semi-axes [mm] (a lateral, b anteroposterior) of the disc's outline at height z. */
    void disc_semi_axes(double z, double &a, double &b) const;
    /** Exponent n of the superellipse |x/a|^n + |y/b|^n = 1 outlining the bodies and disc. */
    double outline_exponent() const;
    /** Names of the upper and lower vertebra ("L4", "L5"). */
    std::string upper_name() const;
    std::string lower_name() const;

    /** Volume [mm^3] of a region computed from the analytic shapes where it has a closed
     *  form (screw, rod, cage, graft in the cage window); std::nullopt otherwise. Used by
     *  the tests that check the voxel mesh against the geometry. */
    std::optional<double> analytic_volume(Region r) const;

    /** Cross-section [mm^2] of a ligament region as drawn (normal to z), so that its modulus
     *  can be scaled to the real ligament's axial stiffness E*A; nullopt for other regions. */
    std::optional<double> ligament_drawn_area(Region r) const;

    const SegmentParameters &parameters() const;

  private:
    // implementation detail, see segment_geometry.cc
    struct Impl;
    std::shared_ptr<const Impl> impl;
  };
} // namespace bonefusion::geometry
