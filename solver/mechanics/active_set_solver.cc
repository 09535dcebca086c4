#include "mechanics/active_set_solver.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>

#include "mechanics/unilateral_contact.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace bonefusion::mechanics
{
  ActiveSetSolver::ActiveSetSolver(ElasticSystem &s, const ContactLayers &l,
                                   const LinearSolverSettings &settings_)
    : system(s)
    , layers(l)
    , settings(settings_)
  {
  }

  void ActiveSetSolver::assemble(const MaterialFunction &base,
                                 const std::vector<unsigned char> &open)
  {
    dealii::Timer timer;
    assembled_open = open;
    // The system keeps the function for its stresses: it holds copies, not references.
    system.assemble([this, base](const CellIterator &cell) {
      return layers.with_state(cell, base(cell), assembled_open[cell->active_cell_index()]);
    });
    assembly_seconds += timer.wall_time();
    preconditioner_seconds += system.build_preconditioner(settings.amg);
    matrix_is_current = true;
  }

  std::uint64_t ActiveSetSolver::active_set_hash(const std::vector<unsigned char> &open) const
  {
    // Sum of a mixed hash of each open cell's centre: independent of the partition.
    std::uint64_t h = 0;
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned() && open[cell->active_cell_index()])
        {
          std::uint64_t x = 1469598103934665603ull;
          for (unsigned int d = 0; d < 3; ++d)
            {
              x ^= static_cast<std::uint64_t>(std::llround(cell->center()[d] * 1e3));
              x *= 1099511628211ull;
            }
          h += x;
        }
    return dealii::Utilities::MPI::sum(h, system.communicator());
  }

  ContactSolve ActiveSetSolver::solve(const MaterialFunction &base, const Vector &rhs,
                                      Vector &solution, std::vector<unsigned char> &open,
                                      const bool warm)
  {
    const MPI_Comm mpi = system.communicator();
    const unsigned int n = system.dofs().get_triangulation().n_active_cells();
    if (open.size() != n)
      open.assign(n, 0);
    bool local_layers = false;
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned() && layers.in_layer(cell->active_cell_index()))
        {
          local_layers = true;
          break;
        }
    const bool any_layers = dealii::Utilities::MPI::logical_or(local_layers, mpi);
    ContactSolve result;
    const auto closed = [&](const CellIterator &cell) {
      return layers.with_state(cell, base(cell), false);
    };
    const auto in_layer = [this](const CellIterator &cell) {
      return layers.in_layer(cell->active_cell_index());
    };
    const auto normal = [this](const CellIterator &cell) { return layers.normal(cell); };
    const unsigned int max_iterations = layers.parameters().facets.max_iterations;
    // Active sets seen so far (a hash of the open cells' positions, the same on any number of
    // ranks). A cell-wise active set can cycle (a few cells opening and closing in turn); once
    // a set repeats, cells may only open, so the iteration ends with the cycle's cells open.
    std::set<std::uint64_t> seen;
    bool cycling = false;
    // Inexact active set: while cells still open and close, the solution only has to tell
    // each layer cell's state, so CG stops at a looser residual. The set this settles on (or
    // the first set it repeats, or the last one after Maximum contact iterations) is solved to
    // the full tolerance and the exact iteration goes on from there with its own budget of
    // iterations, so the final set is judged on exact answers only and the cycle rule sees
    // exact iterations only. The loose phase also ends when it stops making progress (as
    // many cells change as in the iteration before): then the few cells left are the ones
    // the loose answers cannot decide, and on curved facet joints in lateral bending they
    // wandered for 13 loose solves where the exact iteration needed 6.
    const double loose = std::max(settings.contact_tolerance, settings.tolerance);
    bool tight = !any_layers || loose <= settings.tolerance;
    unsigned int loose_iterations = 0, exact_iterations = 0;
    unsigned long previously_changed = std::numeric_limits<unsigned long>::max();
    while (true)
      {
        // Each rank knows only its own cells' states; assembly is collective.
        if (dealii::Utilities::MPI::logical_or(
              !matrix_is_current || (any_layers && open != assembled_open), mpi))
          assemble(base, open);
        // Later contact iterations start from the last answer (the tolerance is relative to
        // the load, so the answer does not depend on the start).
        const SolveReport r =
          system.solve(rhs, solution, tight ? settings.tolerance : loose,
                       settings.max_iterations, warm || result.iterations > 0);
        result.report.iterations += r.iterations;
        result.report.seconds += r.seconds;
        result.report.initial_residual = r.initial_residual;
        result.report.final_residual = r.final_residual;
        if (!any_layers)
          break;
        ++result.iterations;
        const bool repeated = !seen.insert(active_set_hash(open)).second;
        if (!tight)
          {
            ++loose_iterations;
            const unsigned long changed =
              repeated ? 0 : update_open_cells(system, solution, in_layer, closed, normal, open, true);
            const bool stalled = changed >= previously_changed;
            previously_changed = changed;
            if (repeated || changed == 0 || stalled || loose_iterations >= max_iterations)
              {
                tight = true;
                seen.clear(); // the exact solve of this set is not a repetition
              }
            continue;
          }
        cycling = cycling || repeated;
        const unsigned long changed =
          update_open_cells(system, solution, in_layer, closed, normal, open,
                            !cycling && 2 * (exact_iterations + 1) < max_iterations);
        ++exact_iterations;
        if (changed == 0)
          break;
        if (exact_iterations >= max_iterations)
          throw std::runtime_error(
            "contact (facet joints / cage interface) did not settle after " +
            std::to_string(max_iterations) + " iterations (" + std::to_string(changed) +
            " cells still changing); raise 'Facet joints/Maximum contact iterations' or use "
            "bonded contact");
        // The AMG hierarchy is rebuilt for the new active set: reusing the bonded matrix's
        // hierarchy was measured at 5-15x more CG iterations (690-2260 instead of ~130) once
        // facet joints open.
      }
    count_open_cells(open, result);
    result.cycled = cycling;
    return result;
  }

  void ActiveSetSolver::count_open_cells(const std::vector<unsigned char> &open,
                                         ContactSolve &result) const
  {
    const MPI_Comm mpi = system.communicator();
    unsigned long counts[4] = {0, 0, 0, 0}; // open cells per layer kind
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned() && open[cell->active_cell_index()] &&
          layers.in_layer(cell->active_cell_index()))
        counts[layers.kind(cell->active_cell_index())] += 1;
    result.open_facet_cells = dealii::Utilities::MPI::sum(counts[ContactLayers::facet], mpi);
    result.open_cage_cells = dealii::Utilities::MPI::sum(counts[ContactLayers::cage], mpi);
    result.slack_ligament_cells = dealii::Utilities::MPI::sum(counts[ContactLayers::ligament], mpi);
  }

  void ActiveSetSolver::count_layer_states(const Vector &solution, ContactSolve &result) const
  {
    std::vector<unsigned char> open(system.dofs().get_triangulation().n_active_cells(), 0);
    update_open_cells(
      system, solution,
      [this](const CellIterator &cell) { return layers.in_layer(cell->active_cell_index()); },
      system.material(), [this](const CellIterator &cell) { return layers.normal(cell); }, open,
      true, true);
    count_open_cells(open, result);
  }
} // namespace bonefusion::mechanics
