#include "core/time_parameters.h"

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/utilities.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bonefusion::core
{
  using namespace dealii;

  void TimeParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Time");
    prm.declare_entry("Simulate healing over time", "false", Patterns::Bool(),
                      "true: march from surgery to 'End time', remodeling the host bone and "
                      "healing the graft under the daily activities ('Activities', "
                      "'Remodeling', 'Graft healing'); false: solve the load cases of 'Loads' "
                      "once. [-]");
    prm.declare_entry("End time", "730", Patterns::Double(1),
                      "Last day simulated after surgery (730 = 24 months). [days]");
    prm.declare_entry("Time step policy", "adaptive", Patterns::Selection("adaptive|fixed"),
                      "fixed: steps of 'Time step'; adaptive: the step follows the largest "
                      "relative change of graft modulus or bone density, between the minimum "
                      "and maximum step. Steps always end on follow-up visits and recovery-phase "
                      "changes. [-]");
    prm.declare_entry("Time step", "14", Patterns::Double(0.01),
                      "Fixed time step, or the first adaptive one. [days]");
    prm.declare_entry("Minimum time step", "7", Patterns::Double(0.01),
                      "Smallest adaptive step. [days]");
    prm.declare_entry("Maximum time step", "28", Patterns::Double(0.01),
                      "Largest adaptive step (4 weeks: the time to fusion is interpolated between "
                      "steps, so this is its resolution where the graft changes slowly). [days]");
    prm.declare_entry("Maximum relative change per step", "0.5", Patterns::Double(0.001, 10),
                      "Adaptive policy: the step is chosen so that the graft moduli (as "
                      "'Graft change measure' measures them) and every bone cell's density "
                      "change by no more than this fraction. [-]");
    prm.declare_entry(
      "Graft change measure", "region rms", Patterns::Selection("region rms|largest cell"),
      "Adaptive policy, graft cells: 'region rms' measures the volume-weighted root mean "
      "square of the cells' relative modulus changes |E_new - E_old| / max(E_old, E_new) "
      "(at most 1, the same for a rise and a fall) over each graft (each fused level's "
      "interbody graft, the posterolateral graft), the norm with which ODE integrators "
      "control their step; 'largest cell' the largest such change of any one cell, which a cell "
      "oscillating at a differentiation threshold holds at the minimum step for months "
      "(docs/healing.md, Limits). Bone density is always measured per cell. [-]");
    prm.declare_entry(
      "Follow-up visits", "42, 91, 182, 365, 730", Patterns::List(Patterns::Double(0)),
      "Days after surgery of the virtual follow-ups (6 weeks, 3, 6, 12 and 24 "
      "months by default, docs/sources.md, \"Graft healing\"): a summary and a fusion "
      "grade each, and ParaView output. Visits after 'End time' are "
      "skipped. [days]");
    prm.declare_entry("Output interval", "0", Patterns::Integer(0),
                      "ParaView output every this many steps in addition to the follow-ups "
                      "(0 = the first and last steps and the follow-ups only). [-]");
    prm.declare_entry("Bridging threshold", "0.5", Patterns::Double(0, 1),
                      "Fusion grade: the graft counts as fused when bone bridges more than this "
                      "fraction of its cross-section (Mayfield/CT grading: > 50 %). [-]");
    prm.declare_entry("Bone fraction of bridging tissue", "0.5", Patterns::Double(0, 1),
                      "A graft cell counts as bone for bridging when its bone fraction exceeds "
                      "this. [-]");
    prm.leave_subsection();

    prm.enter_subsection("Checkpoints");
    prm.declare_entry("Resume", "auto", Patterns::Selection("auto|never"),
                      "auto: if the output directory holds a complete checkpoint of this case, "
                      "continue from it (resubmitting a cluster job finishes the run); never: "
                      "always start at surgery. [-]");
    prm.declare_entry("Interval steps", "5", Patterns::Integer(0),
                      "Write a checkpoint every this many time steps (0 = not by count). [-]");
    prm.declare_entry("Interval wall time", "3600", Patterns::Double(0),
                      "Write a checkpoint when this much wall time has passed since the last "
                      "one (0 = not by time). SIGTERM, SIGUSR1 (sent by SLURM before the time "
                      "limit) and SIGINT (Ctrl-C) also write a checkpoint and exit 0: of the "
                      "step's end, or of its start when the signal stops a solve. [s]");
    prm.declare_entry("Stop after steps", "0", Patterns::Integer(0),
                      "Write a checkpoint and stop after this many steps of this run (0 = run to "
                      "the end); for tests and for splitting runs by hand. [-]");
    prm.leave_subsection();
  }

  void TimeParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Time");
    enabled = prm.get_bool("Simulate healing over time");
    end_time = prm.get_double("End time");
    adaptive = prm.get("Time step policy") == "adaptive";
    time_step = prm.get_double("Time step");
    min_time_step = prm.get_double("Minimum time step");
    max_time_step = prm.get_double("Maximum time step");
    max_relative_change = prm.get_double("Maximum relative change per step");
    graft_change_measure = prm.get("Graft change measure") == "largest cell" ?
                             adaptation::GraftChangeMeasure::largest_cell :
                             adaptation::GraftChangeMeasure::region_rms;
    follow_ups.clear();
    for (const std::string &d : Utilities::split_string_list(prm.get("Follow-up visits")))
      follow_ups.push_back(Utilities::string_to_double(d));
    output_interval = prm.get_integer("Output interval");
    fusion_bridging_threshold = prm.get_double("Bridging threshold");
    bone_fraction_bridged = prm.get_double("Bone fraction of bridging tissue");
    prm.leave_subsection();

    prm.enter_subsection("Checkpoints");
    resume = prm.get("Resume") == "auto";
    checkpoint_steps = prm.get_integer("Interval steps");
    checkpoint_wall_seconds = prm.get_double("Interval wall time");
    stop_after_steps = prm.get_integer("Stop after steps");
    prm.leave_subsection();

    if (min_time_step > max_time_step)
      throw std::invalid_argument("Time/Minimum time step (" + std::to_string(min_time_step) +
                                  ") is larger than Time/Maximum time step (" +
                                  std::to_string(max_time_step) + ")");
    std::sort(follow_ups.begin(), follow_ups.end());
    follow_ups.erase(std::unique(follow_ups.begin(), follow_ups.end()), follow_ups.end());
    // Visits after the end are dropped (a shorter run simply ends before them).
    follow_ups.erase(std::remove_if(follow_ups.begin(), follow_ups.end(),
                                    [&](const double d) { return d > end_time; }),
                     follow_ups.end());
  }
} // namespace bonefusion::core
