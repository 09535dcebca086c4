#include "postprocess/solver_statistics.h"

namespace bonefusion::postprocess
{
  void ContactStatistics::evaluate(const SolvedLoad &load, io::StatisticsTable &table)
  {
    table.add("facet_open_cells", load.solve.open_facet_cells);
    table.add("cage_interface_open_cells", load.solve.open_cage_cells);
    table.add("contact_iterations", load.solve.iterations);
  }

  void SolverStatistics::evaluate(const SolvedLoad &load, io::StatisticsTable &table)
  {
    table.add("cg_iterations", load.solve.report.iterations);
    table.add("solve_seconds", load.solve.report.seconds);
    if (load.solve.finite_strain)
      {
        table.add("newton_iterations", load.solve.newton_iterations);
        table.add("load_increments", load.solve.load_increments);
        table.add("load_cutbacks", load.solve.cutbacks);
      }
  }

  void SolverStatistics::evaluate(SolvedDay &day, io::StatisticsTable &table)
  {
    unsigned int iterations = day.extra_cg_iterations, contact_iterations = 0,
                 newton_iterations = day.extra_newton_iterations;
    for (const ActivityResult &r : day.activities)
      {
        iterations += r.cg_iterations;
        contact_iterations += r.contact_iterations;
        newton_iterations += r.newton_iterations;
      }
    table.add("activities", day.activities.size());
    table.add("cg_iterations", iterations);
    table.add("contact_iterations", contact_iterations);
    if (finite_strain)
      table.add("newton_iterations", newton_iterations);
  }
} // namespace bonefusion::postprocess
