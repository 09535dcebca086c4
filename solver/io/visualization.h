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

    /** Named per-cell fields: one value per active cell (locally owned ones are written). */
    using CellFields = std::vector<std::pair<std::string, std::vector<float>>>;

    /**
     * Writes one solution as step `index` labelled `label` (e.g. "flexion") at time `time`
     * (load case index, or days), with extra cell fields (e.g. bone_density [g/cm^3],
     * graft_tissue). Without a "bone_density" field, a zero one is written so that all steps
     * of all runs have the same arrays. Collective.
     */
    void write(const mechanics::ElasticSystem &system, const mechanics::Vector &ghosted_solution,
               const CellFields &cell_fields, unsigned int index, const std::string &label,
               double time);

    /** The records of the steps written so far, as bytes (for checkpoints). */
    std::string serialize() const;
    /** Restores the records (a resumed run appends to the same solution.pvd/.xdmf). */
    void deserialize(const std::string &bytes);

  private:
    std::string directory;
    std::vector<std::pair<double, std::string>> pvd_records;
    std::vector<dealii::XDMFEntry> xdmf_entries;
  };
} // namespace bonefusion::io
