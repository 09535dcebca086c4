#pragma once
/**
 * @file Checkpoints of a run over time: the per-cell state (bone density, graft tissue, ...),
 * the time-step counters, the statistics so far and small named blobs, in one file
 * `checkpoint.bin` in the output directory.
 *
 * Cells are identified by their deal.II CellId, which does not depend on the partition: a run
 * can resume on a different number of MPI ranks. Rank 0 writes `checkpoint.bin.tmp` and renames
 * it over `checkpoint.bin` (atomic on POSIX file systems), so an interrupted write never
 * replaces the last complete checkpoint.
 */
#include <deal.II/base/mpi.h>
#include <deal.II/grid/tria.h>

#include <map>
#include <string>
#include <vector>

namespace bonefusion::io
{
  /** Everything a checkpoint holds besides the per-cell fields. */
  struct CheckpointHeader
  {
    std::string case_signature; ///< identifies the model (refuse to resume another case)
    double time = 0;            ///< [days]
    double time_step = 0;       ///< the next step [days]
    unsigned int step = 0;
    std::map<std::string, std::string> blobs; ///< e.g. the statistics table
  };

  /**
   * Writes the checkpoint. `fields[k][active_cell_index]` are per-cell values, of which the
   * locally owned cells' are stored. Collective.
   */
  void write_checkpoint(const std::string &directory, const dealii::Triangulation<3> &tria,
                        const CheckpointHeader &header, const std::vector<std::string> &field_names,
                        const std::vector<std::vector<double>> &fields, MPI_Comm mpi);

  /** True if `directory` holds a checkpoint file. */
  bool checkpoint_exists(const std::string &directory);

  /**
   * Reads the checkpoint into `header` and `fields` (resized to the number of active cells;
   * owned cells filled). Throws std::runtime_error if the file is malformed, a field is
   * missing, or an owned cell is not in it (a different mesh). Collective.
   */
  void read_checkpoint(const std::string &directory, const dealii::Triangulation<3> &tria,
                       CheckpointHeader &header, const std::vector<std::string> &field_names,
                       std::vector<std::vector<double>> &fields, MPI_Comm mpi);
} // namespace bonefusion::io
