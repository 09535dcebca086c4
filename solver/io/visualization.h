#pragma once
/**
 * @file ParaView output: per load case a PVTU (+ one VTU per rank) listed in solution.pvd, and
 * an HDF5 file listed in solution.xdmf. Fields (units): displacement [mm] (vector), strain [-]
 * and stress [MPa] (3x3 tensors), von_mises_stress [MPa], strain_energy_density [MPa = mJ/mm^3]
 * at points; region (material id, names in regions.csv), bone_density [g/cm^3] and mpi_rank
 * as cell data.
 */
#include "mechanics/elastic_system.h"

#include <deal.II/base/data_out_base.h>

#include <string>
#include <vector>

namespace bonefusion::io
{
  /** Collects the output of all load cases (or time steps) of a run. */
  class VisualizationWriter
  {
  public:
    /** @param directory output directory (exists). */
    explicit VisualizationWriter(const std::string &directory);

    /**
     * Writes one solution as step `index` labelled `label` (e.g. "flexion") at time `time`
     * (load case index, or days). `density` holds one value per active cell (may be empty).
     * Collective.
     */
    void write(const mechanics::ElasticSystem &system, const mechanics::Vector &ghosted_solution,
               const std::vector<float> &density, unsigned int index, const std::string &label,
               double time);

  private:
    std::string directory;
    std::vector<std::pair<double, std::string>> pvd_records;
    std::vector<dealii::XDMFEntry> xdmf_entries;
  };
} // namespace bonefusion::io
