#pragma once
/**
 * @file The daily activities that load the segment after surgery and how they change during
 * recovery. Each activity is a resultant force and moment on the loaded surface (as the pure
 * moment and compression cases) with a number of cycles per day; recovery phases scale the
 * forces and moments (a brace limits bending) and may restrict the activities.
 *
 * Default magnitudes (docs/sources.md, "Daily loads"): in vivo L4-L5 intradiscal pressure is 0.50
 * MPa standing, 0.46 sitting, 1.10 flexed or lifting 20 kg (Wilke 1999), and IDP is about 1.4 x
 * axial force / disc area (1 650 mm^2) -> 600 N standing, 550 N sitting, 1 300 N lifting;
 * walking is about 1.7 x standing (Rohlmann 2014) -> 1 000 N. Cycles per day and the recovery
 * phases (brace and reduced activity for 6 weeks, normal after 3 months) are assumptions of
 * common post-operative protocols, not measured values: change them per study.
 */
#include <deal.II/base/tensor.h>

#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::loads
{
  /** One activity: resultant load on the loaded surface and how often per day. */
  struct Activity
  {
    std::string name;
    dealii::Tensor<1, 3> force;  ///< [N]
    dealii::Tensor<1, 3> moment; ///< about the loaded surface's centroid [N mm]
    double cycles_per_day = 1;   ///< [1/day]
  };

  /** From `start_day` on: factors on forces and moments, and which activities take place. */
  struct RecoveryPhase
  {
    double start_day = 0;                ///< [days after surgery]
    double force_factor = 1;             ///< [-]
    double moment_factor = 1;            ///< [-] (a brace limits bending moments)
    std::vector<std::string> activities; ///< empty = all
  };

  class ActivitySchedule
  {
  public:
    /** Declares subsection "Activities". */
    static void declare_parameters(dealii::ParameterHandler &prm);
    /** Reads it; throws std::invalid_argument naming "Activities/<key>". */
    void parse_parameters(dealii::ParameterHandler &prm);

    /** The activities of a day after surgery, scaled by the recovery phase of that day. */
    std::vector<Activity> activities_on(double day) const;
    /** The recovery phase in force on `day`. */
    const RecoveryPhase &phase_on(double day) const;
    /** All activities at full magnitude. */
    const std::vector<Activity> &all() const { return activities; }
    /** Days at which a new recovery phase starts (time steps end there). */
    std::vector<double> phase_starts() const;

    /** Parses the activity list (same syntax as surface load cases plus cycles=<1/day>). */
    static std::vector<Activity> parse_activities(const std::string &text,
                                                  const std::string &parameter);
    /** Parses "day: force=<f> moment=<f> activities=a,b; day: ..." */
    static std::vector<RecoveryPhase> parse_phases(const std::string &text,
                                                   const std::vector<Activity> &known,
                                                   const std::string &parameter);

  private:
    std::vector<Activity> activities;
    std::vector<RecoveryPhase> phases;
  };
} // namespace bonefusion::loads
