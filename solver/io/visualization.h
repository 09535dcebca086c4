#pragma once
/**
 * @file ParaView output: per load case a PVTU (+ one VTU per rank) listed in solution.pvd, and
 * an HDF5 file listed in solution.xdmf. Fields (units): displacement [mm] (vector), strain [-]
 * and stress [MPa] (3x3 tensors), von_mises_stress [MPa], strain_energy_density [MPa = mJ/mm^3]
 * at points; region (material id, names in regions.csv), bone_density [g/cm^3] and mpi_rank
 * as cell data. Tissue fields at points: fibre_stretch [-] (the largest stretch of an annulus
 * cell's fibre families, sqrt(a . C a) in finite strain, 1 + a . eps a on the linear path;
 * 0 outside the annulus), facet_contact_pressure [MPa] (a closed facet joint: k |g| for the
 * pad's cell-mean closure g, the force pressing the articular processes together along the
 * joint normal per area of the pad's footprint) and ligament_band_stress [MPa] (a taut
 * ligament band's tension); both 0 elsewhere.
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
    /** @param directory output directory (exists); finite_strain: the solutions are
     *  finite-strain equilibria (the fibre stretch from F^T F, bands bilinear). */
    explicit VisualizationWriter(const std::string &directory, bool finite_strain = false);

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
    bool finite_strain;
    std::vector<std::pair<double, std::string>> pvd_records;
    std::vector<dealii::XDMFEntry> xdmf_entries;
  };
} // namespace bonefusion::io
