#include "postprocess/implant_stresses.h"

#include <algorithm>
#include <cmath>

namespace bonefusion::postprocess
{
  ImplantStresses::ImplantStresses(const Context &c)
    : context(c)
  {
  }

  void ImplantStresses::evaluate(const SolvedLoad &load, io::StatisticsTable &table)
  {
    for (const auto &[name, value] : field_statistics(context.model, context.system, load.solution,
                                                            context.finite_strain))
      table.add(name, value);
  }

  void ImplantStresses::evaluate(SolvedDay &day, io::StatisticsTable &table)
  {
    // The largest over the day's activities.
    double rod = std::nan(""), screw = std::nan("");
    for (const ActivityResult &r : day.activities)
      for (const auto &[name, value] : r.fields)
        {
          if (name == "rod_peak_von_mises_MPa" && std::isfinite(value))
            rod = std::isfinite(rod) ? std::max(rod, value) : value;
          if (name == "screw_peak_von_mises_MPa" && std::isfinite(value))
            screw = std::isfinite(screw) ? std::max(screw, value) : value;
        }
    table.add("rod_peak_von_mises_MPa", rod);
    table.add("screw_peak_von_mises_MPa", screw);
  }
} // namespace bonefusion::postprocess
