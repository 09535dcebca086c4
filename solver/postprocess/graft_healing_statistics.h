#pragma once
/**
 * @file In a run over time, the state of the healing grafts per motion segment: volume-mean
 * modulus and bone fraction of the interbody graft, its bridging and CT fusion grade
 * (fusion_grade.h), the day's largest octahedral shear strain in it (what its differentiation
 * sees), the same for the posterolateral graft, and for the healing gaps where a graft meets
 * its host bone their bone fraction and strain. NaN where a graft (or gap) is absent.
 */
#include "postprocess/postprocessor.h"

namespace bonefusion::postprocess
{
  class GraftHealingStatistics : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    explicit GraftHealingStatistics(const Context &context);
    void evaluate(SolvedDay &day, io::StatisticsTable &table) override;

  private:
    const Context &context;
  };
} // namespace bonefusion::postprocess
