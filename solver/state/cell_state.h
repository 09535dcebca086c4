#pragma once
/**
 * @file Named per-cell state of a run over time (bone density, reference stimulus, tissue
 * fractions of a healing graft, ...): one double per active cell for each field, with its
 * unit. Fields marked for checkpoints are saved and restored by name (so a run resumes on any
 * number of ranks, io/checkpoint.h); fields marked for visualization are written to ParaView
 * as cell data with every solution.
 */
#include <memory>
#include <string>
#include <vector>

namespace bonefusion::state
{
  /** One named per-cell quantity, indexed by active_cell_index. */
  struct CellField
  {
    std::string name; ///< e.g. "bone_density"
    std::string unit; ///< e.g. "g/cm^3", "-"
    std::vector<double> values;
    bool checkpointed = true; ///< part of the state a run resumes from
    bool visualized = false;  ///< written to ParaView with each solution
  };

  /** The per-cell fields of a run. */
  class CellState
  {
  public:
    /** Adds a field of n_cells values, all `initial`; throws std::logic_error if the name is
     *  taken. Returns it (references stay valid: fields are never removed). */
    CellField &add(const std::string &name, const std::string &unit, unsigned int n_cells,
                   double initial, bool checkpointed, bool visualized);
    /** The field called `name`; throws std::invalid_argument listing the names. */
    CellField &operator[](const std::string &name);
    const CellField &operator[](const std::string &name) const;
    bool has(const std::string &name) const;

    /** Names and values of the checkpointed fields, in the order they were added. */
    std::vector<std::string> checkpoint_names() const;
    std::vector<std::vector<double>> checkpoint_values() const;
    /** Restores the checkpointed fields from values in checkpoint_names() order. */
    void restore(const std::vector<std::vector<double>> &values);

    /** Names and values of the visualized fields, as float (ParaView cell data). */
    std::vector<std::pair<std::string, std::vector<float>>> visualization() const;

  private:
    std::vector<std::unique_ptr<CellField>> fields;
  };
} // namespace bonefusion::state
