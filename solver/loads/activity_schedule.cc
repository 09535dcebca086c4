#include "loads/activity_schedule.h"

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/utilities.h>

#include "loads/surface_load_case.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bonefusion::loads
{
  namespace
  {
    /** Removes "key=value" (one token, blanks next to '=' allowed) from `entry`; returns value. */
    std::string take_key(std::string &entry, const std::string &key)
    {
      std::size_t at = 0;
      while ((at = entry.find(key, at)) != std::string::npos)
        {
          const bool starts = at == 0 || entry[at - 1] == ' ' || entry[at - 1] == ':';
          std::size_t eq = at + key.size();
          while (eq < entry.size() && entry[eq] == ' ')
            ++eq;
          if (starts && eq < entry.size() && entry[eq] == '=')
            {
              std::size_t begin = eq + 1;
              while (begin < entry.size() && entry[begin] == ' ')
                ++begin;
              std::size_t end = begin;
              // A list value "a, b" continues after commas.
              while (end < entry.size() && (entry[end] != ' ' || entry[end - 1] == ','))
                ++end;
              const std::string value = entry.substr(begin, end - begin);
              entry.erase(at, end - at);
              return value;
            }
          at += key.size();
        }
      return "";
    }
  } // namespace

  void ActivitySchedule::declare_parameters(dealii::ParameterHandler &prm)
  {
    using dealii::Patterns::Anything;
    prm.enter_subsection("Activities");
    prm.declare_entry(
      "Daily activities",
      "standing: force=0,0,-600 cycles=100; walking: force=0,0,-1000 cycles=6000; "
      "sitting: force=0,0,-550 cycles=100; bending: force=0,0,-600 moment=-7.5,0,0 "
      "cycles=100; lifting: force=0,0,-1300 moment=-7.5,0,0 cycles=20",
      Anything(),
      "The activities of a normal day after recovery: 'name: force=fx,fy,fz moment=mx,my,mz "
      "cycles=n; ...'. Force [N] and moment [N m] act on the upper vertebra (loaded surface) as "
      "in 'Loads'; cycles [1/day] weight each activity in the remodeling stimulus. Defaults "
      "from in vivo intradiscal pressures (Wilke 1999) and walking loads (Rohlmann 2014), "
      "docs/sources.md, \"Daily loads\"; cycle counts are assumptions. [-]");
    prm.declare_entry(
      "Recovery phases",
      "0: force=0.5 moment=0.3 activities=standing,walking,sitting; 42: force=0.8 moment=0.7; "
      "90: force=1 moment=1",
      Anything(),
      "How the day changes during recovery: 'start day: force=<factor> moment=<factor> "
      "activities=a,b; ...'. From each start day [days after surgery] forces and moments are "
      "scaled by the factors [-] (a brace reduces bending moments) and only the listed "
      "activities take place (all if none listed). Default: brace and walking only for 6 weeks, "
      "near-normal from 6 weeks, normal from 3 months (an assumed protocol). [-]");
    prm.leave_subsection();
  }

  void ActivitySchedule::parse_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Activities");
    activities = parse_activities(prm.get("Daily activities"), "Activities/Daily activities");
    phases = parse_phases(prm.get("Recovery phases"), activities, "Activities/Recovery phases");
    prm.leave_subsection();
  }

  std::vector<Activity> ActivitySchedule::parse_activities(const std::string &text,
                                                           const std::string &parameter)
  {
    // Split off "cycles=" from each entry, then reuse the surface load-case parser.
    std::string rest;
    std::vector<double> cycles;
    for (std::string entry : dealii::Utilities::split_string_list(text, ';'))
      {
        const std::string n = take_key(entry, "cycles");
        const std::string name = dealii::Utilities::trim(entry.substr(0, entry.find(':')));
        cycles.push_back(
          n.empty() ? 1.0 : parse_finite_number(n, parameter + " (" + name + ") cycles [1/day]"));
        if (cycles.back() <= 0)
          throw std::invalid_argument(parameter + " (" + name + "): cycles must be positive");
        rest += (rest.empty() ? "" : ";") + entry;
      }
    const std::vector<SurfaceLoadCase> loads = parse_surface_load_cases(rest, parameter);
    std::vector<Activity> result;
    for (unsigned int i = 0; i < loads.size(); ++i)
      {
        if (loads[i].pressure != 0)
          throw std::invalid_argument(parameter + " (" + loads[i].name +
                                      "): activities take force= and moment=, not pressure=");
        result.push_back(Activity{loads[i].name, loads[i].force, loads[i].moment, cycles[i]});
      }
    return result;
  }

  std::vector<RecoveryPhase> ActivitySchedule::parse_phases(const std::string &text,
                                                            const std::vector<Activity> &known,
                                                            const std::string &parameter)
  {
    std::vector<RecoveryPhase> result;
    for (std::string entry : dealii::Utilities::split_string_list(text, ';'))
      {
        const auto colon = entry.find(':');
        if (colon == std::string::npos)
          throw std::invalid_argument(parameter + ": '" + entry +
                                      "' should read 'day: force=f moment=f activities=a,b'");
        RecoveryPhase phase;
        const std::string where =
          parameter + " (day " + dealii::Utilities::trim(entry.substr(0, colon)) + ")";
        phase.start_day =
          parse_finite_number(dealii::Utilities::trim(entry.substr(0, colon)), where);
        std::string body = entry.substr(colon + 1);
        const std::string f = take_key(body, "force"), m = take_key(body, "moment"),
                          a = take_key(body, "activities");
        if (!f.empty())
          phase.force_factor = parse_finite_number(f, where + " force factor");
        if (!m.empty())
          phase.moment_factor = parse_finite_number(m, where + " moment factor");
        if (phase.force_factor < 0 || phase.moment_factor < 0)
          throw std::invalid_argument(where + ": factors must not be negative");
        for (const std::string &name : dealii::Utilities::split_string_list(a, ','))
          {
            if (name.empty())
              continue;
            if (std::none_of(known.begin(), known.end(),
                             [&](const Activity &act) { return act.name == name; }))
              throw std::invalid_argument(where + ": unknown activity '" + name + "'");
            phase.activities.push_back(name);
          }
        if (!dealii::Utilities::trim(body).empty())
          throw std::invalid_argument(where + ": cannot read '" + dealii::Utilities::trim(body) +
                                      "' (keys: force, moment, activities)");
        if (!result.empty() && phase.start_day <= result.back().start_day)
          throw std::invalid_argument(where + ": start days must increase");
        result.push_back(phase);
      }
    if (result.empty() || result.front().start_day != 0)
      throw std::invalid_argument(parameter + ": the first phase must start on day 0");
    return result;
  }

  const RecoveryPhase &ActivitySchedule::phase_on(const double day) const
  {
    unsigned int k = 0;
    while (k + 1 < phases.size() && phases[k + 1].start_day <= day)
      ++k;
    return phases[k];
  }

  std::vector<Activity> ActivitySchedule::activities_on(const double day) const
  {
    const RecoveryPhase &phase = phase_on(day);
    std::vector<Activity> today;
    for (const Activity &a : activities)
      if (phase.activities.empty() || std::find(phase.activities.begin(), phase.activities.end(),
                                                a.name) != phase.activities.end())
        {
          Activity scaled = a;
          scaled.force *= phase.force_factor;
          scaled.moment *= phase.moment_factor;
          today.push_back(scaled);
        }
    return today;
  }

  std::vector<double> ActivitySchedule::phase_starts() const
  {
    std::vector<double> days;
    for (const RecoveryPhase &p : phases)
      days.push_back(p.start_day);
    return days;
  }
} // namespace bonefusion::loads
