#pragma once
/**
 * @file What clinicians and device engineers ask of a construct under one load: peak von
 * Mises stress in the screws, rods and cages, graft strain, endplate stress under the cage
 * (subsidence risk) and nucleus pressure (field_statistics.h), one column each. In a run
 * over time: the largest rod and screw stress over the day's activities.
 */
#include "postprocess/postprocessor.h"

namespace bonefusion::postprocess
{
  class ImplantStresses : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    explicit ImplantStresses(const Context &context);
    void evaluate(const SolvedLoad &load, io::StatisticsTable &table) override;
    void evaluate(SolvedDay &day, io::StatisticsTable &table) override;

  private:
    const Context &context;
  };
} // namespace bonefusion::postprocess
