#pragma once
/**
 * @file The effort of each solve: the unilateral layers' open cells and active-set
 * iterations (contact statistics: facet_open_cells, cage_interface_open_cells,
 * contact_iterations) and the linear solver's (solver statistics: cg_iterations,
 * solve_seconds; in a run over time the day's activities, cg_iterations of all its solves
 * and contact_iterations).
 */
#include "postprocess/postprocessor.h"

namespace bonefusion::postprocess
{
  class ContactStatistics : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    void evaluate(const SolvedLoad &load, io::StatisticsTable &table) override;
  };

  class SolverStatistics : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    void evaluate(const SolvedLoad &load, io::StatisticsTable &table) override;
    void evaluate(SolvedDay &day, io::StatisticsTable &table) override;
  };
} // namespace bonefusion::postprocess
