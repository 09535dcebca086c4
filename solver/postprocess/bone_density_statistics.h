#pragma once
/**
 * @file In a run over time, stress shielding of the remodeling bone: its volume-mean density
 * (cancellous_mean_density_g_cm3) and the density change [%] of the bone next to the screws
 * and under the endplates that face a disc (adaptation/bone_remodeling.h).
 */
#include "postprocess/postprocessor.h"

namespace bonefusion::postprocess
{
  class BoneDensityStatistics : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    explicit BoneDensityStatistics(const Context &context);
    void evaluate(SolvedDay &day, io::StatisticsTable &table) override;

  private:
    const Context &context;
  };
} // namespace bonefusion::postprocess
