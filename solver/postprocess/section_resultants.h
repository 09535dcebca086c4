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

#include <functional>
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

  /** Which cells lie on the lower side of a section (they transmit the load across it). */
  using BelowSection = std::function<bool(const mechanics::CellIterator &)>;

  /** Cells whose centre lies on the negative side of `plane` (normal plane.superior). */
  BelowSection below_plane(const model::Frame &plane);

  /** The faces of `cell` on the cut of a section: for a cell below it, its faces shared with
   *  a cell that is not, and its boundary faces lying in `plane` (empty for other cells). */
  std::vector<unsigned int> cut_faces(const mechanics::CellIterator &cell,
                                      const model::Frame &plane, const BelowSection &below);

  /** True if `cell` lies below the section with a face on its cut. */
  inline bool on_cut(const mechanics::CellIterator &cell, const model::Frame &plane,
                     const BelowSection &below)
  {
    return !cut_faces(cell, plane, below).empty();
  }

  /**
   * Per-material-id resultants through the section whose plane passes through plane.origin
   * normal to plane.superior (global components), moments about `reference`; the cells below
   * it are `below` (default: below the plane; a model with several segments passes the cells
   * of the lower part of the column, so that the cut follows one disc and crosses nothing
   * else). Collective over the system's communicator; every rank gets the full map (regions
   * that carry nothing are left out).
   * `finite_strain`: the nodal forces are the hyperelastic cells' internal forces and the
   * moments are taken at the nodes' deformed positions (a finite-strain cell is balanced in
   * moment about its deformed nodes, not its reference ones).
   */
  std::map<unsigned int, Resultant> section_resultants(const mechanics::ElasticSystem &system,
                                                       const mechanics::Vector &ghosted_solution,
                                                       const model::Frame &plane,
                                                       const dealii::Point<3> &reference,
                                                       const BelowSection &below = {},
                                                       bool finite_strain = false);
} // namespace bonefusion::postprocess
