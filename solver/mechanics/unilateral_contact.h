#pragma once
/**
 * @file Contact layers that carry compression but open in tension (a no-tension active set).
 *
 * Why: the facet joints are synovial joints; in flexion they open and carry nothing. The
 * voxel model draws each joint as a bonded cartilage pad, which would also carry tension
 * and make the posterior column far too stiff in flexion (measured on the intact L4-L5 model:
 * 1.1 deg flexion at 7.5 N m with bonded pads, 90 % of the moment through the pads). An
 * interbody cage rests on the endplates in the same way until bone has grown onto it. Here
 * a layer cell whose mean normal stress across the layer (n . sigma n, n the normal of the
 * pad or endplate it lies on, ContactLayers::normal) is tensile is marked open and its
 * stiffness is scaled down; an open cell closes again when it is compressed (n . eps n < 0).
 * The caller solves again until no cell changes state.
 * A cell with an oriented joint (mechanics::JointPlane, the facet joints' `sliding joint`
 * contact) is instead closed while its mean joint closure A : eps is negative: for those
 * cells the active-set iteration is a semismooth Newton method on a convex energy.
 */
#include "mechanics/elastic_system.h"

#include <functional>
#include <vector>

namespace bonefusion::mechanics
{
  /**
   * Updates `open` (one flag per active cell, indexed by active_cell_index) for the locally
   * owned cells with in_layer(cell) from the solution, evaluating the stress with
   * `closed_material` (the cell's constants when it is closed) across the layer of unit
   * normal `normal(cell)`. Returns the number of cells
   * that changed state on all ranks. With `allow_closing` false, cells may only open: the
   * active set then grows monotonically and the iteration must end (used to break the rare
   * cycle of a cell that opens and closes in turn). `finite_strain`: a joint's or band's
   * closure is the finite-strain energy's (JointClosure, hyperelastic_cell.h), whose sign
   * decides its state on that path, instead of the small strain's A : eps.
   */
  unsigned long
  update_open_cells(const ElasticSystem &system, const Vector &ghosted_solution,
                    const std::function<bool(const CellIterator &)> &in_layer,
                    const MaterialFunction &closed_material,
                    const std::function<dealii::Tensor<1, 3>(const CellIterator &)> &normal,
                    std::vector<unsigned char> &open, bool allow_closing,
                    bool finite_strain = false);
} // namespace bonefusion::mechanics
