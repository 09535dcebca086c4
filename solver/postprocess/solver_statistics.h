#pragma once
/**
 * @file The effort of each solve: the unilateral layers' open cells and active-set
 * iterations (contact statistics: facet_open_cells, cage_interface_open_cells,
 * contact_iterations) and the linear solver's (solver statistics: cg_iterations,
 * solve_seconds; in a run over time the day's activities, cg_iterations of all its solves
 * and contact_iterations, and on the finite-strain path newton_iterations).
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
    /** `finite_strain`: a run over time adds the day's newton_iterations. */
    explicit SolverStatistics(bool finite_strain)
      : finite_strain(finite_strain)
    {
    }
    using Postprocessor::evaluate;
    void evaluate(const SolvedLoad &load, io::StatisticsTable &table) override;
    void evaluate(SolvedDay &day, io::StatisticsTable &table) override;

  private:
    const bool finite_strain;
  };
} // namespace bonefusion::postprocess
