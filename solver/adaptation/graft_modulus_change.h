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

  /**
   * The relative change of a modulus over a step, |E_new - E_old| / max(E_old, E_new), in
   * [0, 1]. Symmetric on purpose: measured against the old modulus alone, a cell growing out
   * of soft tissue (granulation 0.2 MPa into woven bone) counted a change of up to 10^4 while
   * the same fall counted at most 1, so each such cell forced the step to its minimum.
   */
  double relative_modulus_change(double old_modulus, double new_modulus);

  /** The graft cells' relative modulus changes of one step on this rank, per region. */
  struct GraftModulusChange
  {
    double largest = 0;                  ///< largest relative change of a cell [-]
    std::vector<double> weighted_square; ///< per region: sum of volume x change^2 [mm^3]
    std::vector<double> volume;          ///< per region: graft volume [mm^3]

    /** Sized for region ids 0..n_regions (the model's ids run from 1). */
    explicit GraftModulusChange(unsigned int n_regions = 0);

    /** Records one cell of `region` and `volume` [mm^3] whose modulus went from E_old to E_new. */
    void add(unsigned int region, double volume, double old_modulus, double new_modulus);

    /** The measure over all ranks of `mpi` (collective). */
    double measure(GraftChangeMeasure how, MPI_Comm mpi) const;
  };
} // namespace bonefusion::adaptation
