#pragma once
/**
 * @file Solves one load on a model with unilateral layers (contact_layers.h): re-solves with
 * the layer cells' states updated until no cell opens or closes (an active set; a semismooth
 * Newton method for the oriented joints), reassembling the stiffness and rebuilding the AMG
 * hierarchy only when the active set or the base material changed. Without layers it is one
 * linear solve.
 */
#include "mechanics/contact_layers.h"
#include "mechanics/elastic_system.h"

#include <cstdint>
#include <vector>

namespace bonefusion::mechanics
{
  /** One load solved with its active set of open layer cells. */
  struct ContactSolve
  {
    SolveReport report;          ///< CG iterations and seconds summed over the active set
    unsigned int iterations = 0; ///< active-set iterations (0 without layers)
    unsigned long open_facet_cells = 0, open_cage_cells = 0, slack_ligament_cells = 0;
    /** An active set repeated (a cycle), so that cells were only opened afterwards. */
    bool cycled = false;
    /** Solved by FiniteStrainSolver (no layers): its Newton iterations, converged load
     *  increments and halved increments (report: CG summed over the Newton iterations). */
    bool finite_strain = false;
    unsigned int newton_iterations = 0, load_increments = 0, cutbacks = 0;
    bool warm_started = false; ///< finite strain: converged from the previous solution in one increment
    bool continued = false;    ///< finite strain: the load continued from another load's solution
    /** Finite strain with a swelling nucleus: the swollen rest state (ghosted) the load was
     *  stepped from, from which motions are measured; null when the rest state is u = 0. */
    const Vector *rest_state = nullptr;
  };

  /** Linear solver settings (subsection "Solver"). */
  struct LinearSolverSettings
  {
    double tolerance = 1e-8; ///< relative residual reduction
    /**
     * Relative residual of the solves while the contact active set is still changing; the
     * settled set is always solved to `tolerance` (and checked once more). Equal to
     * `tolerance` for the exact iteration.
     */
    double contact_tolerance = 1e-3;
    unsigned int max_iterations = 3000;
    AmgSettings amg;
  };

  class ActiveSetSolver
  {
  public:
    ActiveSetSolver(ElasticSystem &system, const ContactLayers &layers,
                    const LinearSolverSettings &settings);

    /**
     * Solves K(base, open) u = rhs, starting from (and returning in) the state `open` (one flag
     * per active cell; resized and closed if its size is wrong) and, with `warm`, from the
     * solution passed in. Throws std::runtime_error if the active set does not settle within
     * Facet joints/Maximum contact iterations.
     */
    ContactSolve solve(const MaterialFunction &base, const Vector &rhs, Vector &solution,
                       std::vector<unsigned char> &open, bool warm);

    /**
     * The states a solution leaves the layer cells in (open joints and cage interface
     * cells, slack bands: the sign of each cell's closure), counted into `result`. For the
     * finite-strain path, whose cells switch inside their energy: the system's material
     * must be the closed one.
     */
    void count_layer_states(const Vector &solution, ContactSolve &result) const;

    /** Assembles base + state `open` and builds the AMG preconditioner. */
    void assemble(const MaterialFunction &base, const std::vector<unsigned char> &open);
    /** The base material changed (a new time step): the next solve reassembles. */
    void material_changed() { matrix_is_current = false; }

    double assembly_seconds = 0, preconditioner_seconds = 0; ///< summed wall time [s]

  private:
    ElasticSystem &system;
    const ContactLayers &layers;
    LinearSolverSettings settings;
    std::vector<unsigned char> assembled_open; ///< active set of the assembled matrix
    bool matrix_is_current = false;

    /** Fills result's open/slack cell counts (all ranks) from the state `open`. */
    void count_open_cells(const std::vector<unsigned char> &open, ContactSolve &result) const;

    /** A hash of the open layer cells, equal on any number of ranks (cycle detection). */
    std::uint64_t active_set_hash(const std::vector<unsigned char> &open) const;
  };
} // namespace bonefusion::mechanics
