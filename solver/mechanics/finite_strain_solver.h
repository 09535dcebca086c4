#pragma once
/**
 * @file Quasi-static finite-strain equilibrium on an ElasticSystem's mesh, DoFs and
 * constraints: Newton-Raphson with the consistent tangent of hyperelastic_cell.h, a
 * backtracking line search, and load stepping that grows the increment after easy steps and
 * halves it (from the last converged state) when an increment fails, inverts a cell, or
 * after 10 iterations still has a residual above its first (out of Newton's basin).
 *
 * Loads are dead loads: the external load vector is the one the linear path assembles on the
 * reference configuration (a pure moment as a linear traction on the reference surface),
 * scaled by the load fraction lambda in [0, 1]. Each Newton iteration solves the tangent with
 * CG preconditioned by the same smoothed-aggregation AMG (rigid-body modes) as the linear
 * path, built on the first tangent of each load increment and reused for the increment's
 * later iterations, to a residual reduction `linear_tolerance` (inexact Newton: the outer
 * iteration converges to the tight tolerance anyway).
 */
#include <deal.II/lac/trilinos_sparse_matrix.h>

#include "mechanics/elastic_system.h"
#include "mechanics/rigid_body_modes.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace bonefusion::mechanics
{
  /** Settings of the Newton solver (units in brackets). */
  struct NewtonSettings
  {
    double tolerance = 1e-8;             ///< ||R|| <= tolerance x ||lambda f_ext|| [-]
    unsigned int max_iterations = 40;    ///< Newton iterations per increment [-]
    unsigned int first_increments = 1;   ///< the first increment is 1 / this of the load [-]
    /** Grow an increment by half after an easy one; false: equal increments (curve
     *  points), to which the solver returns at the next point after a cut-back. */
    bool grow_increments = true;
    unsigned int max_cutbacks = 10;      ///< halvings of failed increments before failing [-]
    /** How the joints and tension-only bands find their states. false: inside Newton, each
     *  cell by the sign of its closure at every iteration (semi-smooth). true: an outer
     *  active-set iteration holds every state fixed through a Newton solve, updates them from
     *  its solution and repeats until none changes (or a set repeats), then a last Newton
     *  solve lets them switch freely, so the answer is the same equilibrium. For models in
     *  which hundreds of cells change state at once (a column), where the semi-smooth
     *  iteration jumps between states. */
    bool hold_joint_states = false;
    unsigned int max_joint_state_updates = 30; ///< outer iterations per increment [-]
    double linear_tolerance = 1e-4;      ///< CG residual reduction per Newton iteration [-]
    unsigned int max_linear_iterations = 3000; ///< CG iterations per Newton iteration [-]
    AmgSettings amg;
  };

  /** One Newton iteration as the log and the tests see it. */
  struct NewtonIteration
  {
    unsigned int increment = 0; ///< 1-based count of attempted increments
    double load_fraction = 0;   ///< lambda of the increment [-]
    double residual = 0;        ///< ||R|| at the start of the iteration [N]
    unsigned int cg_iterations = 0;
    double step_length = 0;     ///< accepted line-search factor (0: none accepted) [-]
  };

  /** What a finite-strain solve did. */
  /** Called with (load fraction [-], ghosted displacement [mm]) after a converged increment. */
  using IncrementObserver = std::function<void(double, const Vector &)>;

  struct NewtonReport
  {
    std::vector<NewtonIteration> iterations;
    unsigned int newton_iterations = 0; ///< tangent solves over all increments
    unsigned int increments = 0; ///< converged increments
    unsigned int cutbacks = 0;   ///< failed increments that were halved
    unsigned int cg_iterations = 0;
    unsigned int joint_state_updates = 0; ///< outer active-set iterations (hold_joint_states)
    bool warm_started = false;   ///< converged from `start_from` in one increment
    bool continued = false;      ///< stepped from `start_from` and its `start_load`
    double energy = 0;           ///< stored energy at the solution [N mm]
    double final_residual = 0;   ///< ||R|| at the solution [N]
    double seconds = 0;
  };

  class FiniteStrainSolver
  {
  public:
    /** `system` must be set up (DoFs, constraints, sparsity) and assembled once (its material
     *  function is the one used here; joints and bands with their closed stiffness, which
     *  each cell engages by itself). Throws std::invalid_argument (on every rank) if a cell
     *  has a sliding plane, which has no finite-strain form yet. */
    explicit FiniteStrainSolver(const ElasticSystem &system);

    /**
     * Solves R(u) = f_int(u) - f_ext = 0 by load stepping from u = 0, where f_ext is an owned
     * load vector condensed like ElasticSystem::traction_rhs. Returns the ghosted solution
     * in `ghosted_solution`. Throws std::runtime_error if an increment still fails after
     * `max_cutbacks` halvings (the message names the load fraction reached).
     * `on_converged` (if set) is called on every rank after each converged increment with
     * its load fraction and ghosted displacement: the points of a load-deformation curve.
     * `start_from` (if set and sized like the DoFs): a solution of a nearby problem (the
     * same load on yesterday's materials) from which Newton first tries the full load in one
     * increment; the load is stepped from rest only if that fails. It may be
     * `ghosted_solution` itself (read before the solution is written).
     * `start_load` (if set with `start_from`, and no `on_converged`): the load that
     * `start_from` balances, a different one (another activity of the day). The load is then
     * continued from it to f_ext, f(lambda) = start_load + lambda (f_ext - start_load), from
     * `start_from` in one increment or, halving it at most 3 times, several; only if that
     * fails is it stepped from rest. Measured on the pre-operative day of the healing case:
     * docs/benchmarks.md.
     */
    NewtonReport solve(const Vector &f_ext, Vector &ghosted_solution,
                       const NewtonSettings &settings = NewtonSettings(),
                       const IncrementObserver &on_converged = IncrementObserver(),
                       const Vector *start_from = nullptr, const Vector *start_load = nullptr);

    /** True if some cell swelled when the solver was made (CellElasticity::swelling > 0, on
     *  any rank). */
    bool swells() const { return has_swelling; }

    /**
     * The rest state (ghosted) from which solve() steps its loads: equilibrium without
     * external load, R(u) = f_int(u) = 0. Zero when no cell swells; otherwise the swollen
     * state, found by stepping the swelling from 0 to its full value with the same
     * increments, cut-backs and tolerance (relative to the swelling's internal forces at
     * u = 0) as a load. Computed on first use and kept; after the materials changed,
     * forget_rest_state() makes the next call recompute it, starting from the kept one.
     * Throws std::runtime_error if the swelling cannot be stepped to its full value.
     */
    const Vector &rest_state(const NewtonSettings &settings = NewtonSettings());
    void forget_rest_state() { rest_is_current = false; }
    /** What the last computation of the rest state did (empty without swelling). */
    const NewtonReport &rest_report() const { return last_rest_report; }

    /**
     * Assembles R(u) = f_int(u) - scale x f_ext into `residual` (owned; constrained rows
     * zero) and returns the total stored energy minus the work of scale x f_ext [N mm], the
     * cells swelling as far as the current swelling fraction says (1 outside the rest-state
     * ramp). Returns false (on every rank) if a cell inverted.
     */
    bool residual(const Vector &ghosted_u, const Vector &f_ext, double scale, Vector &residual,
                  double &potential) const;

    /** Assembles the tangent d f_int / du at u (constrained rows: a unit-scaled diagonal). */
    void assemble_tangent(const Vector &ghosted_u);

    const dealii::TrilinosWrappers::SparseMatrix &tangent() const { return tangent_matrix; }

  private:
    /** Steps the load fraction lambda from 0 (the state `converged`) to 1: f_ext scaled by
     *  lambda (plus `base_load` if set) or, with `ramp_swelling`, the swelling. Converged
     *  when ||R|| <= tolerance x lambda x reference_norm (x the norm of the load at lambda
     *  with a base load). Leaves the solution in `converged` (owned). */
    NewtonReport step(const Vector &f_ext, double reference_norm, bool ramp_swelling,
                      Vector &converged, const NewtonSettings &settings,
                      const IncrementObserver &on_converged, const Vector *start_from,
                      const Vector *base_load);
    /** Sets the held state of every joint and band cell from the sign of its closure at
     *  `ghosted_u` (as the energy would switch it); returns how many changed (collective)
     *  and, in `signature`, a hash of the whole set for finding a repeated one. */
    unsigned long update_held_states(const Vector &ghosted_u, std::uint64_t &signature);
    /** True if a cell of the current materials swells (collective). */
    bool any_cell_swells() const;
    /** The cell's constants with its swelling scaled by the current swelling fraction. */
    CellElasticity constants(const CellIterator &cell) const;

    const ElasticSystem &system;
    bool has_swelling = false;
    double swelling_fraction = 1; ///< of every cell's swelling, < 1 only while ramping it
    /** Per active cell: JointPlane::held while an outer active-set iteration runs. */
    std::vector<signed char> held_states;
    bool holding = false;
    Vector rest;                  ///< ghosted; empty until first computed
    bool rest_is_current = false;
    NewtonReport last_rest_report;
    dealii::TrilinosWrappers::SparseMatrix tangent_matrix;
    ElasticityAMG amg;
  };
} // namespace bonefusion::mechanics
