#pragma once
/**
 * @file Force and moment each region carries through a section of the model.
 *
 * Method (exact discrete equilibrium): the section splits the cells into those below a plane
 * (centre on the negative side of its normal) and those above. For every cell below, the
 * element internal forces K_e u_e at its nodes on the cut (its faces shared with a cell above,
 * and its boundary faces lying in the plane) are the forces the part below transmits to
 * everything above. Summed over all cells they equal the applied load up to the linear
 * solver's residual, so per-region sums are a conservative load split. On a voxel mesh whose
 * grid holds the plane, the cut is the plane itself; on a tilted plane it is the stair-cased
 * surface of cell faces closest to it.
 */
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include "mechanics/elastic_system.h"
#include "model/frame.h"

#include <map>
#include <vector>

namespace bonefusion::postprocess
{
  /** Resultant transmitted by one region: force [N] and moment [N mm] about a point. */
  struct Resultant
  {
    dealii::Tensor<1, 3> force;
    dealii::Tensor<1, 3> moment;
  };

  /** The faces of `cell` on the cut of the section through `plane` (empty for cells above
   *  it or away from it). */
  std::vector<unsigned int> cut_faces(const mechanics::CellIterator &cell,
                                      const model::Frame &plane);

  /** True if `cell` lies below the plane with a face on its cut. */
  inline bool on_cut(const mechanics::CellIterator &cell, const model::Frame &plane)
  {
    return !cut_faces(cell, plane).empty();
  }

  /**
   * Per-material-id resultants through the section whose plane passes through plane.origin
   * normal to plane.superior (global components), moments about `reference`. Collective over
   * the system's communicator; every rank gets the full map (regions that carry nothing are
   * left out).
   */
  std::map<unsigned int, Resultant> section_resultants(const mechanics::ElasticSystem &system,
                                                       const mechanics::Vector &ghosted_solution,
                                                       const model::Frame &plane,
                                                       const dealii::Point<3> &reference);
} // namespace bonefusion::postprocess
