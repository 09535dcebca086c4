#pragma once
/**
 * @file Range of motion per motion segment: the rigid motion of the upper vertebral body
 * relative to the lower one (least-squares fits of their nodal displacements), as rotations
 * about the segment's own axes (x lateral, y anterior, z along the disc normal) [deg], the
 * rotation about the load's axis and the axial displacement along the disc normal [mm]; then
 * the applied load. Columns: rotation_x_deg, rotation_y_deg, rotation_z_deg,
 * primary_rotation_deg, axial_displacement_mm (per segment, model::Model::segment_column),
 * applied_force_z_N, applied_moment_{x,y,z}_Nmm.
 *
 * In a run over time it takes a simulated flexion-extension radiograph each step: the pure
 * moments +-Context::range_of_motion_moment about the loaded vertebra's lateral axis are
 * solved on the current state and the segment's rotation between them is reported
 * (rom_flexion_extension_deg).
 */
#include "postprocess/postprocessor.h"

namespace bonefusion::postprocess
{
  /** Rotation of segment s's upper body relative to its lower one (global components) [deg]
   *  and their relative translation at `reference` [mm], measured from `rest` (the swollen
   *  rest state of a finite-strain solve; null: from the reference configuration).
   *  Collective. */
  std::pair<dealii::Tensor<1, 3>, dealii::Tensor<1, 3>>
  relative_motion(const model::Model &model, const mechanics::ElasticSystem &system,
                  const mechanics::Vector &solution, int s, const dealii::Point<3> &reference,
                  const mechanics::Vector *rest = nullptr);

  class SegmentMotion : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    explicit SegmentMotion(const Context &context);
    void evaluate(const SolvedLoad &load, io::StatisticsTable &table) override;
    void evaluate(SolvedDay &day, io::StatisticsTable &table) override;

  private:
    const Context &context;
  };
} // namespace bonefusion::postprocess
