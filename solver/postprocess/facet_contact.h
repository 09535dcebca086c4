#pragma once
/**
 * @file How the facet joints touch under one load: per joint, the area of cartilage pressed
 * together, the largest and the mean contact pressure. The joint force itself comes from the
 * load-sharing cut (load_sharing.h); this is what a pressure-sensitive film between the
 * articular processes would show in a cadaver test.
 *
 * A joint cell (sliding joint, mechanics/contact_layers.h) is in contact while its
 * cell-mean closure presses the processes together and the joint carries it
 * (mechanics::engaged_joint_stress > 0). Its share of the contact area is its volume over
 * the drawn cartilage layer's thickness (its footprint on the layer), and its pressure is
 * k |g|, the force along the joint normal per footprint area (as the ParaView field
 * facet_contact_pressure). Joints drawn without the sliding-joint law (bonded or
 * compression-only pads) have no contact measure: NaN.
 */
#include "mechanics/elastic_system.h"
#include "postprocess/postprocessor.h"

#include <functional>

namespace bonefusion::postprocess
{
  /** Contact of one joint layer under one solution. */
  struct JointContactMeasure
  {
    double area = 0;          ///< cartilage footprint in contact [mm^2]
    double peak_pressure = 0; ///< largest cell pressure [MPa]
    double force = 0;         ///< sum of pressure x footprint [N]
    bool has_joint = false;   ///< some cell of the layer holds a joint (on any rank)

    /** force / area, 0 without contact [MPa]. */
    double mean_pressure() const { return area > 0 ? force / area : 0.0; }
  };

  /**
   * Measures the contact of the cells `in_joint` of a layer drawn `thickness` [mm] thick, on
   * all ranks (collective), with the system's current material. The finite-strain path
   * passes every joint engaged and the sign of its closure decides; the linear path's open
   * cells carry no joint stiffness: both read the same way.
   */
  JointContactMeasure measure_joint_contact(const mechanics::ElasticSystem &system,
                                            const mechanics::Vector &ghosted_solution,
                                            const std::function<bool(const mechanics::CellIterator &)> &in_joint,
                                            double thickness);

  /** Columns facet_<side>_contact_area_mm2, facet_<side>_peak_contact_pressure_MPa and
   *  facet_<side>_mean_contact_pressure_MPa of every facet joint, per motion segment. */
  class FacetContact : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    explicit FacetContact(const Context &context);
    void evaluate(const SolvedLoad &load, io::StatisticsTable &table) override;

  private:
    const Context &context;
  };
} // namespace bonefusion::postprocess
