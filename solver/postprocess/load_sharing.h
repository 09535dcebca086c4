#pragma once
/**
 * @file Force and moment carried through a horizontal plane by each region.
 *
 * Method (exact discrete equilibrium): for the layer of cells directly below the plane z = z_p,
 * the element internal forces K_e u_e at the nodes on the plane are the forces that the part
 * below transmits to everything above. Summed over all cells they equal the applied load up
 * to the linear solver's residual, so per-region sums are a conservative load split.
 * The plane must be a plane of cell faces (the voxel mesh puts z = 0 on one).
 */
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include "mechanics/elastic_system.h"

#include <map>

namespace bonefusion::postprocess
{
  /** Resultant transmitted by one region: force [N] and moment [N mm] about a point. */
  struct Resultant
  {
    dealii::Tensor<1, 3> force;
    dealii::Tensor<1, 3> moment;
  };

  /**
   * Per-material-id resultants through the plane z = plane_z, moments about `reference`.
   * Collective over the system's communicator; every rank gets the full map.
   */
  std::map<unsigned int, Resultant> plane_resultants(const mechanics::ElasticSystem &system,
                                                     const mechanics::Vector &ghosted_solution,
                                                     double plane_z,
                                                     const dealii::Point<3> &reference);
} // namespace bonefusion::postprocess
