#pragma once
/**
 * @file How the adaptive time step of a healing run measures the change of the graft cells'
 * moduli over a step: the measures and the per-region sums one rank collects. Kept apart from
 * graft_tissue.h so that the time parameters can name the measure without deal.II's headers.
 */
#include <mpi.h>

#include <vector>

namespace bonefusion::adaptation
{
  /**
   * How the adaptive time step measures the change of the graft cells' moduli over a step.
   * largest_cell: the largest relative change of any cell. region_rms: for each graft region,
   * the volume-weighted root mean square of the cells' relative changes (the weighted RMS norm
   * with which ODE integrators control their step), the largest over regions. The norm lets
   * one or two cells that oscillate at a differentiation threshold - which no step of days
   * resolves - stop holding the step of the whole run at its minimum.
   */
  enum class GraftChangeMeasure
  {
    largest_cell,
    region_rms
  };

  /** The graft cells' relative modulus changes of one step on this rank, per region. */
  struct GraftModulusChange
  {
    double largest = 0;                  ///< largest relative change of a cell [-]
    std::vector<double> weighted_square; ///< per region: sum of volume x change^2 [mm^3]
    std::vector<double> volume;          ///< per region: graft volume [mm^3]

    /** The measure over all ranks of `mpi` (collective). */
    double measure(GraftChangeMeasure how, MPI_Comm mpi) const;
  };
} // namespace bonefusion::adaptation
