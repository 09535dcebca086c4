#pragma once
/**
 * @file Rigid motion of a part of the model (e.g. the upper vertebral body) from the nodal
 * displacements of its cells, each node counted once across MPI ranks.
 */
#include "mechanics/elastic_system.h"
#include "postprocess/rigid_fit.h"

#include <functional>

namespace bonefusion::postprocess
{
  /** Fits u ~ a + omega x (x - reference) to the vertex displacements of all cells for which
   *  `selected` is true. Collective. */
  RigidMotion fit_rigid_motion(const mechanics::ElasticSystem &system,
                               const mechanics::Vector &ghosted_solution,
                               const std::function<bool(const mechanics::CellIterator &)> &selected,
                               const dealii::Point<3> &reference);
} // namespace bonefusion::postprocess
