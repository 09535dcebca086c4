#pragma once
/**
 * @file Time after surgery: whether a run simulates healing over time, the time-step policy,
 * the virtual follow-up visits and when the run writes checkpoints (restart after a cluster's
 * time limit).
 */
#include "adaptation/graft_modulus_change.h"

#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::core
{
  struct TimeParameters
  {
    bool enabled = false;             ///< simulate remodeling and graft healing over time
    double end_time = 730;            ///< [days]
    bool adaptive = true;             ///< step size from the rate of change
    double time_step = 14;            ///< fixed step, or the first adaptive one [days]
    double min_time_step = 7;         ///< [days]
    double max_time_step = 28;        ///< [days]
    double max_relative_change = 0.5; ///< adaptive: largest relative change per step [-]
    /// adaptive: how the graft cells' change is measured (bone density: always per cell)
    adaptation::GraftChangeMeasure graft_change_measure = adaptation::GraftChangeMeasure::region_rms;
    std::vector<double> follow_ups{42, 91, 182, 365, 730}; ///< [days]
    unsigned int output_interval = 0;       ///< ParaView every n steps (0 = follow-ups only)
    double fusion_bridging_threshold = 0.5; ///< bridged fraction of a fused graft [-]
    double bone_fraction_bridged = 0.5;     ///< bone fraction that counts as bone [-]

    // Checkpoints
    bool resume = true;                    ///< Resume = auto: continue from the last checkpoint
    unsigned int checkpoint_steps = 5;     ///< every n steps (0 = never by count)
    double checkpoint_wall_seconds = 3600; ///< and after this much wall time [s]
    unsigned int stop_after_steps = 0;     ///< checkpoint and exit after n steps (0 = never)

    static void declare_parameters(dealii::ParameterHandler &prm);
    /** Throws std::invalid_argument naming "Time/<key>" or "Checkpoints/<key>". */
    void parse_parameters(dealii::ParameterHandler &prm);
  };
} // namespace bonefusion::core
