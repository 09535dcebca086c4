#pragma once
/**
 * @file The parametric lumbar anatomy: vertebrae from the dimension table stacked straight
 * along the column's axis with a disc between each pair, each vertebra a body (cortical shell,
 * cancellous core, bony endplates, superellipse outline with a flat posterior wall) and its
 * posterior elements (pedicles, lamina, spinous and transverse processes, articular
 * processes), each segment with its disc (annulus, elliptic nucleus), two facet joints
 * (cartilage pads between the articular processes) and four ligament bands.
 *
 * Frame: the column's frame is the global one, x left->right, y posterior->anterior, z
 * inferior->superior [mm]; the mid-surface of the lowest disc is the plane z = 0, so a single
 * segment is centred on its disc as before.
 */
#include "anatomy/anatomy.h"
#include "anatomy/facet_surface.h"
#include "anatomy/lumbar_parameters.h"
#include "anatomy/vertebra_table.h"

#include <array>
#include <memory>

namespace bonefusion::anatomy
{
  class LumbarColumn : public Anatomy
  {
  public:
    /**
     * The vertebrae named in `vertebrae` (top to bottom, adjacent levels, e.g. {"L3", "L4",
     * "L5"}); empty = the two of parameters.level. Throws std::invalid_argument naming the
     * Geometry parameter for unknown levels and std::runtime_error if the dimension table
     * cannot be read.
     */
    explicit LumbarColumn(const LumbarParameters &parameters,
                          std::vector<std::string> vertebrae = {});
    ~LumbarColumn() override;

    void add_to(model::Model &model) override;
    void set_resolution(double h) override;
    double resolution() const override { return h_resolution; }
    std::optional<model::RegionId> classify(const dealii::Point<3> &p) const override;
    Box bounding_box() const override;
    double modulus_scale(const model::Region &region) const override;
    std::vector<std::string> vertebrae() const override;
    const VertebraLandmarks &vertebra(const std::string &name) const override;
    bool inside_vertebral_body(const std::string &name, const dealii::Point<3> &p,
                               double inset) const override;
    std::vector<std::string> segments() const override;
    const DiscLandmarks &disc(const std::string &segment) const override;
    void resect_facet_joint(const std::string &segment, model::Side side) override;
    void resect_ligament(const std::string &segment, model::Tissue ligament) override;
    void remove_nucleus(const std::string &segment, std::optional<model::RegionId> fill) override;

    /** Thicknesses classify() uses at the resolution set: max(physical, h) for the cortical
     *  shell and the endplates, max(physical, 2h) for the facet cartilage [mm]. */
    double cortical_thickness_used() const;
    double endplate_thickness_used() const;
    double facet_cartilage_thickness_used() const;

    /** Cross-section [mm^2] of a ligament region as drawn (normal to the segment's axis), so
     *  that its modulus can be matched to the real E*A; nullopt for other regions. */
    std::optional<double> ligament_drawn_area(const model::Region &region) const;

    const LumbarParameters &parameters() const;

  private:
    struct Vertebra;
    struct Segment;
    LumbarParameters prm;
    std::vector<Vertebra> column; // top to bottom
    std::vector<Segment> discs;   // discs[k] between column[k] and column[k + 1]
    double h_resolution = 0;
    double t_cortical = 0, t_endplate = 0, t_facet = 0, t_ligament = 0; // thicknesses used
    double nucleus_axis_fraction = 0;

    /** Factor on a posterior ligament band's modulus that keeps its axial stiffness [N/mm]
     *  what it is in the straight segment when the disc is a wedge (1 if straight): segment
     *  k's {interspinous, flavum} factors, measured once per resolution on an intact
     *  lordotic and an intact straight twin of this column (posterior_band_factors()). */
    double posterior_band_length_factor(unsigned int segment, model::Tissue band) const;
    const std::vector<std::array<double, 2>> &posterior_band_factors() const;
    /** Mean over the band's depth and width of 1 / (its free length along the disc's normal)
     *  [1/mm], the lengths measured through classify_point() (0 where the band is absent);
     *  needs the column registered in a model. */
    double mean_inverse_band_length(const Segment &s, const Box &band, model::RegionId id) const;
    mutable std::vector<std::array<double, 2>> band_factors;
    mutable double band_factors_resolution = -1;
    Box bounds;
    bool registered = false;

    const Vertebra &find_vertebra(const std::string &name) const;
    Segment &find_segment(const std::string &name);
    const Segment &find_segment(const std::string &name) const;
    void build_posterior_elements();
    /** True if q (in the disc's frame) lies within the disc's outline at its height; then
     *  `region` is the annulus, the nucleus or what fills the nucleus' place (empty where a
     *  discectomy left a void, which nothing else may claim). */
    bool classify_disc(const Segment &s, const dealii::Point<3> &q,
                       std::optional<model::RegionId> &region) const;
    std::optional<model::RegionId> classify_ligament(const dealii::Point<3> &p) const;
    /** classify(); with `separate`, curved joints' articular processes give way next to the
     *  other vertebra's bone (next_to_other_vertebra). */
    std::optional<model::RegionId> classify_point(const dealii::Point<3> &p, bool separate) const;
    /** Facet surfaces = curved: the cartilage of a joint at p, or the articular process
     *  of a joint at p (then `process_of` is its vertebra's index in `column`, else -1). */
    std::optional<model::RegionId> classify_curved_joint(const dealii::Point<3> &p,
                                                         int &process_of) const;
    /** True if one of the 26 voxel centres around p (spacing: the resolution) lies in the
     *  bone of a vertebra other than column[vertebra]. */
    bool next_to_other_vertebra(const dealii::Point<3> &p, int vertebra) const;
  };
} // namespace bonefusion::anatomy
