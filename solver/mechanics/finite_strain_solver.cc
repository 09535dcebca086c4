#include "mechanics/finite_strain_solver.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>

#include "mechanics/hyperelastic_cell.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace bonefusion::mechanics
{
  FiniteStrainSolver::FiniteStrainSolver(const ElasticSystem &system)
    : system(system)
  {
    if (system.matrix_free())
      throw std::invalid_argument("the finite-strain formulation needs the assembled stiffness "
                                  "('Solver/Stiffness operator = assembled')");
    if (system.simplex())
      throw std::invalid_argument("the finite-strain formulation needs a hexahedral mesh; this "
                                  "mesh has tetrahedra");
    if (!system.material())
      throw std::logic_error("FiniteStrainSolver: the system has no material (assemble first)");
    bool unsupported = false;
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const CellElasticity c = system.material()(cell);
          unsupported = unsupported || c.sliding.active();
        }
    has_swelling = any_cell_swells();
    if (dealii::Utilities::MPI::logical_or(unsupported, system.communicator()))
      throw std::logic_error(
        "FiniteStrainSolver: a cell with a sliding plane (the linear path's form of the sliding "
        "cage interface; ContactLayers gives the finite-strain path its normal-contact form)");
    tangent_matrix.reinit(system.matrix());
  }

  bool FiniteStrainSolver::any_cell_swells() const
  {
    bool swelling = false;
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned() && !swelling)
        swelling = system.material()(cell).swelling > 0;
    return dealii::Utilities::MPI::logical_or(swelling, system.communicator());
  }

  CellElasticity FiniteStrainSolver::constants(const CellIterator &cell) const
  {
    CellElasticity c = system.material()(cell);
    c.swelling *= swelling_fraction;
    if (holding)
      c.joint.held = held_states[cell->active_cell_index()];
    return c;
  }

  unsigned long FiniteStrainSolver::update_held_states(const Vector &ghosted_u,
                                                       std::uint64_t &signature)
  {
    held_states.resize(system.dofs().get_triangulation().n_active_cells(), -1);
    dealii::FEValues<3> fe_values(system.map(), system.element(), system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    dealii::Vector<double> u(system.element().n_dofs_per_cell());
    unsigned long changes = 0;
    std::uint64_t hash = 0;
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const JointPlane &joint = system.material()(cell).joint;
          if (!joint.present() || !(joint.stiffness > 0))
            continue;
          fe_values.reinit(cell);
          cell->get_dof_values(ghosted_u, u);
          const double g = cell_mean_closure(fe_values, joint, u);
          const signed char state = joint.engaged_at(g) ? 1 : 0;
          signed char &held = held_states[cell->active_cell_index()];
          changes += held != state;
          held = state;
          // Order-independent across ranks: a sum of per-cell hashes of the engaged cells.
          if (state)
            hash += std::hash<std::string>()(cell->id().to_string());
        }
    signature = dealii::Utilities::MPI::sum(hash, system.communicator());
    return dealii::Utilities::MPI::sum(changes, system.communicator());
  }

  bool FiniteStrainSolver::residual(const Vector &ghosted_u, const Vector &f_ext,
                                    const double scale, Vector &residual,
                                    double &potential) const
  {
    residual = 0;
    dealii::FEValues<3> fe_values(system.map(), system.element(), system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    const unsigned int n = system.element().n_dofs_per_cell();
    std::vector<dealii::types::global_dof_index> dof_indices(n);
    dealii::Vector<double> u(n), forces(n);
    bool inverted = false;
    double energy = 0;
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned() && !inverted)
        {
          fe_values.reinit(cell);
          cell->get_dof_values(ghosted_u, u);
          try
            {
              energy += hyperelastic_cell(fe_values, constants(cell), u, &forces, nullptr);
            }
          catch (const InvertedCell &)
            {
              inverted = true;
              continue;
            }
          cell->get_dof_indices(dof_indices);
          system.constraints().distribute_local_to_global(forces, dof_indices, residual);
        }
    residual.compress(dealii::VectorOperation::add);
    if (dealii::Utilities::MPI::logical_or(inverted, system.communicator()))
      return false;
    residual.add(-scale, f_ext);
    energy = dealii::Utilities::MPI::sum(energy, system.communicator());
    Vector u_owned = system.make_owned_vector();
    u_owned = ghosted_u;
    potential = energy - scale * (f_ext * u_owned);
    return true;
  }

  void FiniteStrainSolver::assemble_tangent(const Vector &ghosted_u)
  {
    tangent_matrix = 0;
    dealii::FEValues<3> fe_values(system.map(), system.element(), system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    const unsigned int n = system.element().n_dofs_per_cell();
    std::vector<dealii::types::global_dof_index> dof_indices(n);
    dealii::Vector<double> u(n);
    dealii::FullMatrix<double> cell_tangent;
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          cell->get_dof_values(ghosted_u, u);
          // residual() accepted this u, so no cell is inverted here.
          hyperelastic_cell(fe_values, constants(cell), u, nullptr, &cell_tangent);
          cell->get_dof_indices(dof_indices);
          system.constraints().distribute_local_to_global(cell_tangent, dof_indices,
                                                          tangent_matrix);
        }
    tangent_matrix.compress(dealii::VectorOperation::add);
  }

  NewtonReport FiniteStrainSolver::solve(const Vector &f_ext, Vector &ghosted_solution,
                                         const NewtonSettings &settings,
                                         const IncrementObserver &on_converged,
                                         const Vector *start_from, const Vector *start_load)
  {
    const double load_norm = f_ext.l2_norm();
    if (!std::isfinite(load_norm))
      throw std::runtime_error("the load vector contains NaN or infinity");
    // `start_from` may be `ghosted_solution` itself: it is read before the solution is written.
    Vector converged = system.make_owned_vector();
    // A solution of another load: continue the load from that one to this one (homotopy),
    // with few halvings; if that fails, step from rest as without it.
    if (start_from && start_load && !on_converged && start_from->size() == converged.size() &&
        start_load->size() == f_ext.size())
      {
        Vector change = f_ext;
        change -= *start_load;
        const double change_norm = change.l2_norm();
        if (change_norm > 1e-12 * load_norm)
          {
            NewtonSettings continuation = settings;
            continuation.max_cutbacks = std::min(3u, settings.max_cutbacks);
            continuation.first_increments = 1;
            converged = *start_from;
            try
              {
                NewtonReport report = step(change, change_norm, false, converged, continuation,
                                           IncrementObserver(), nullptr, start_load);
                report.continued = true;
                report.warm_started = report.increments == 1 && report.cutbacks == 0;
                ghosted_solution = system.make_ghosted_vector();
                ghosted_solution = converged;
                return report;
              }
            catch (const SolveInterrupted &)
              {
                throw;
              }
            catch (const std::runtime_error &)
              {
                start_from = nullptr; // from rest below
              }
          }
      }
    converged = rest_state(settings);
    const NewtonReport report =
      step(f_ext, load_norm, false, converged, settings, on_converged, start_from, nullptr);
    ghosted_solution = system.make_ghosted_vector();
    ghosted_solution = converged;
    return report;
  }

  const Vector &FiniteStrainSolver::rest_state(const NewtonSettings &settings)
  {
    if (rest_is_current)
      return rest;
    const bool first = rest.size() == 0;
    if (first)
      rest = system.make_ghosted_vector();
    rest_is_current = true;
    // The materials may have changed since (after surgery no cell of a removed nucleus
    // swells any more): then the rest state is u = 0 again.
    if (!has_swelling || !any_cell_swells())
      {
        rest = 0;
        last_rest_report = NewtonReport();
        return rest;
      }
    // The swelling's internal forces at u = 0 measure its "load" for the tolerance.
    Vector none = system.make_owned_vector(), R = system.make_owned_vector();
    double swelling_norm = 0, potential = 0;
    swelling_fraction = 1;
    Vector zero = system.make_ghosted_vector();
    if (!residual(zero, none, 0, R, potential))
      throw std::logic_error("FiniteStrainSolver: a cell is inverted at rest");
    swelling_norm = R.l2_norm();
    Vector converged = system.make_owned_vector(), previous = system.make_owned_vector();
    previous = rest;
    try
      {
        last_rest_report = step(none, swelling_norm, true, converged, settings,
                                IncrementObserver(), first ? nullptr : &previous, nullptr);
      }
    catch (...)
      {
        swelling_fraction = 1;
        rest_is_current = false;
        throw;
      }
    swelling_fraction = 1;
    rest = converged;
    return rest;
  }

  NewtonReport FiniteStrainSolver::step(const Vector &f_ext, const double load_norm,
                                        const bool ramp_swelling, Vector &converged,
                                        const NewtonSettings &settings,
                                        const IncrementObserver &on_converged,
                                        const Vector *start_from, const Vector *base_load)
  {
    dealii::Timer timer;
    NewtonReport report;
    const std::string fraction_name = ramp_swelling ? "swelling fraction" : "load fraction";
    Vector trial = system.make_owned_vector(), step = system.make_owned_vector();
    Vector R = system.make_owned_vector(), R_try = system.make_owned_vector();
    Vector ghosted = system.make_ghosted_vector();
    // R(u) and the potential Pi(u) = stored energy - lambda f_ext . u at a trial state.
    const auto evaluate = [&](const Vector &u, const double lambda, Vector &r, double &norm,
                              double &potential) {
      ghosted = u;
      if (!residual(ghosted, f_ext, lambda, r, potential))
        return false;
      if (base_load)
        {
          r.add(-1.0, *base_load);
          potential -= *base_load * u;
        }
      norm = r.l2_norm();
      return std::isfinite(norm) && std::isfinite(potential);
    };

    // The size of the load at fraction lambda, for the tolerance [N].
    Vector total = system.make_owned_vector();
    const auto load_at = [&](const double lambda) {
      if (!base_load)
        return lambda * load_norm;
      total = *base_load;
      total.add(lambda, f_ext);
      return total.l2_norm();
    };

    // Newton iterations at load fraction `lambda` from `trial` (updated in place) to the
    // relative tolerance `tolerance`; true if they converged.
    unsigned int attempt = 0, iterations = 0;
    bool amg_built = false;
    const auto newton_solve = [&](const double lambda, Vector &trial, const double tolerance) {
      const double target = tolerance * load_at(lambda);
      if (ramp_swelling)
        swelling_fraction = lambda;
      amg_built = false;
      double r = 0, potential = 0;
      bool ok = evaluate(trial, lambda, R, r, potential);
      const double first_residual = r;
      for (iterations = 0; ok && iterations < settings.max_iterations; ++iterations)
        {
          NewtonIteration record{attempt, lambda, r, 0, 0};
          if (r <= target)
            {
              report.iterations.push_back(record);
              return true;
            }
          // An increment still above its first residual after this many iterations is not
          // in Newton's basin: halving it now is cheaper than spending the other iterations
          // (measured on the pre-operative lifting activity: 40 wasted iterations twice).
          constexpr unsigned int stagnation_check = 10;
          if (iterations == stagnation_check && r > first_residual)
            {
              report.iterations.push_back(record);
              return false;
            }
          // A stop request (a signal in a run over time) is answered before the costly part.
          if (system.interruption_check() && system.interruption_check()())
            throw SolveInterrupted();
          ghosted = trial;
          assemble_tangent(ghosted);
          ++report.newton_iterations;
          // The AMG hierarchy of the increment's first tangent preconditions its later
          // ones: the tangent changes little within an increment, and its set-up costs as
          // much as the CG solve (measured: 25 % less time per load case at 3 mm for 8 %
          // more CG iterations; kept over a whole solve, CG iterations doubled).
          if (!amg_built)
            {
              amg.initialize(tangent_matrix, system.dofs(), system.map(),
                             system.element().degree > 1, settings.amg);
              amg_built = true;
            }
          step = 0;
          InterruptibleControl control(settings.max_linear_iterations,
                                       settings.linear_tolerance * r,
                                       system.interruption_check());
          dealii::SolverCG<Vector> cg(control);
          R *= -1.0;
          try
            {
              cg.solve(tangent_matrix, step, R, amg.preconditioner());
            }
          catch (const dealii::SolverControl::NoConvergence &)
            {
              // An indefinite or badly conditioned tangent: treat the increment as failed.
              report.iterations.push_back(record);
              return false;
            }
          record.cg_iterations = control.last_step();
          report.cg_iterations += control.last_step();
          system.constraints().distribute(step);
          // Backtracking on the potential (Armijo): a step of stiff parts that rotate
          // raises ||R|| by second-order strains far above a small load while it lowers
          // the energy, so the residual norm would reject good Newton steps.
          const double slope = -(R * step); // dPi/dalpha at alpha = 0 (R holds -R here)
          double alpha = 1, r_try = 0, potential_try = 0;
          bool accepted = false;
          for (unsigned int k = 0; k < 20 && !accepted; ++k, alpha /= 2)
            {
              Vector candidate = trial;
              candidate.add(alpha, step);
              if (evaluate(candidate, lambda, R_try, r_try, potential_try) &&
                  (potential_try <= potential + 1e-4 * alpha * slope || r_try < r))
                {
                  trial = candidate;
                  accepted = true;
                  record.step_length = alpha;
                }
            }
          report.iterations.push_back(record);
          // At round-off the potential and ||R|| no longer change measurably: a correction
          // below the tolerance relative to the displacement is convergence.
          const double correction = (accepted ? record.step_length : 1) * step.l2_norm();
          if (correction <= tolerance * trial.l2_norm())
            return true;
          if (!accepted)
            return false;
          R = R_try;
          r = r_try;
          potential = potential_try;
        }
      return false;
    };

    // One increment's Newton solve at `lambda`, with the joints' states found inside it or by
    // the outer active-set iteration (NewtonSettings::hold_joint_states).
    const auto newton = [&](const double lambda, Vector &trial) {
      ++attempt;
      if (!settings.hold_joint_states)
        return newton_solve(lambda, trial, settings.tolerance);
      // The held solves need not be exact while the states still change: their solution
      // only decides the next states (as the linear active set's loose solves).
      constexpr double held_tolerance = 1e-4;
      std::vector<std::uint64_t> seen;
      std::uint64_t signature = 0;
      ghosted = trial;
      update_held_states(ghosted, signature);
      seen.push_back(signature);
      holding = true;
      bool ok = true;
      for (unsigned int k = 0; k < settings.max_joint_state_updates; ++k)
        {
          try
            {
              ok = newton_solve(lambda, trial, std::max(held_tolerance, settings.tolerance));
            }
          catch (...)
            {
              holding = false;
              throw;
            }
          if (!ok)
            break;
          ++report.joint_state_updates;
          ghosted = trial;
          const unsigned long changes = update_held_states(ghosted, signature);
          if (changes == 0 || std::find(seen.begin(), seen.end(), signature) != seen.end())
            break; // settled, or a set repeats: the free solve below decides
          seen.push_back(signature);
        }
      holding = false;
      // The last solve lets every cell switch by itself: the same equilibrium as without
      // the outer iteration, from a start whose states are (nearly) right.
      return ok && newton_solve(lambda, trial, settings.tolerance);
    };

    double done = 0, increment = 1.0 / std::max(1u, settings.first_increments);
    // A nearby solution of the same load (yesterday's, in a run over time) is tried first at
    // the full load: hyperelasticity has no load history, so it is only a better start; if
    // Newton fails from it, the load is stepped from rest as always.
    if (start_from && start_from->size() == converged.size() && load_norm > 0)
      {
        trial = *start_from;
        if (newton(1.0, trial))
          {
            converged = trial;
            done = 1;
            ++report.increments;
            report.warm_started = true;
            if (on_converged)
              {
                ghosted = converged;
                on_converged(done, ghosted);
              }
          }
        else // the full load from rest is then unlikely to converge: start with half of it
          increment = std::min(increment, 0.5);
      }
    while (done < 1 && load_norm > 0)
      {
        // Snap to the full load when round-off leaves a sliver (6 x 1/6 < 1 in floating point):
        // a sliver increment would add a second point at the end of the curve.
        const double lambda = done + increment > 1 - 1e-9 ? 1.0 : done + increment;
        trial = converged;
        const bool converged_now = newton(lambda, trial);
        if (converged_now)
          {
            converged = trial;
            done = lambda;
            ++report.increments;
            if (settings.grow_increments && iterations <= 4)
              increment = std::min(1.0, increment * 1.5);
            else if (!settings.grow_increments)
              {
                // Equal increments (evenly spaced curve points): after a cut-back, the halved
                // steps finish the interval to the next point of the grid, then the nominal
                // increment returns (it used to stay halved to the end: 189 increments for a
                // curve of 6 after 5 early cut-backs).
                const double nominal = 1.0 / std::max(1u, settings.first_increments);
                const double next_point = std::ceil(done / nominal - 1e-9) * nominal;
                increment = next_point - done > 1e-9 ?
                              std::min(increment, next_point - done) :
                              nominal;
              }
            if (on_converged)
              {
                ghosted = converged;
                on_converged(done, ghosted);
              }
          }
        else
          {
            if (++report.cutbacks > settings.max_cutbacks)
              {
                std::ostringstream what;
                what << "the finite-strain solve did not converge: an increment to "
                     << fraction_name << " " << lambda << " failed after "
                     << settings.max_cutbacks << " halvings (last converged fraction " << done;
                if (!report.iterations.empty())
                  what << "; last residual " << report.iterations.back().residual
                       << " N against the tolerance " << settings.tolerance * load_at(lambda)
                       << " N";
                what << (ramp_swelling ?
                           "); the nucleus swelling ('Nucleus swelling/Volume strain') may "
                           "be more than the disc can hold, or a cell inverts" :
                           "); the load may be beyond what the tissue can carry, or a cell "
                           "inverts");
                throw std::runtime_error(what.str());
              }
            increment /= 2;
          }
      }
    ghosted = converged;
    double potential = 0;
    residual(ghosted, f_ext, 1.0, R, potential);
    report.energy = potential + (f_ext * converged);
    if (base_load)
      R.add(-1.0, *base_load);
    report.final_residual = R.l2_norm();
    report.seconds = timer.wall_time();
    return report;
  }
} // namespace bonefusion::mechanics
