#include "postprocess/bone_density_statistics.h"

#include "adaptation/bone_remodeling.h"

#include <stdexcept>

namespace bonefusion::postprocess
{
  BoneDensityStatistics::BoneDensityStatistics(const Context &c)
    : context(c)
  {
    if (!context.bone)
      throw std::logic_error("the bone density statistics need a run over time");
  }

  void BoneDensityStatistics::evaluate(SolvedDay &, io::StatisticsTable &table)
  {
    table.add("cancellous_mean_density_g_cm3", context.bone->mean_density());
    table.add("density_change_near_screws_percent", context.bone->density_change_near_screws());
    table.add("density_change_under_endplates_percent",
              context.bone->density_change_under_endplates());
  }
} // namespace bonefusion::postprocess
