#pragma once
/**
 * @file The discrete linear-elastic problem on a distributed mesh: DoFs, constraints,
 * stiffness matrix (assembled once), surface-load right-hand sides and the AMG-CG solve.
 * One stiffness, many load cases: the preconditioner is built once and reused.
 */
#include <deal.II/base/quadrature.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include "loads/surface_traction.h"
#include "mechanics/cell_stiffness.h"
#include "mechanics/matrix_free_elasticity.h"
#include "mechanics/rigid_body_modes.h"

#include <functional>
#include <memory>
#include <set>
#include <stdexcept>

namespace bonefusion::mechanics
{
  using Vector = dealii::TrilinosWrappers::MPI::Vector;
  using CellIterator = dealii::DoFHandler<3>::active_cell_iterator;
  /** Elastic constants of a cell (from its region and state). */
  using MaterialFunction = std::function<CellElasticity(const CellIterator &)>;

  /** Thrown by solve() when the interruption check (ElasticSystem::set_interruption) asks it
   *  to stop: a run over time then checkpoints instead of finishing the step. */
  struct SolveInterrupted : std::runtime_error
  {
    SolveInterrupted()
      : std::runtime_error("the solve was interrupted by a stop request (signal)")
    {
    }
  };

  /** CG's convergence control that also asks an interruption check every 10 iterations
   *  (ElasticSystem::set_interruption) and throws SolveInterrupted when it says stop. */
  class InterruptibleControl : public dealii::SolverControl
  {
  public:
    /** `stop` (may be empty: never) must outlive the control. */
    InterruptibleControl(unsigned int max_steps, double tolerance,
                         const std::function<bool()> &stop)
      : dealii::SolverControl(max_steps, tolerance)
      , stop(stop)
    {
    }
    State check(const unsigned int step, const double value) override
    {
      if (stop && step % 10 == 0 && stop())
        throw SolveInterrupted();
      return dealii::SolverControl::check(step, value);
    }

  private:
    const std::function<bool()> &stop;
  };

  /** What a linear solve did. */
  struct SolveReport
  {
    unsigned int iterations = 0;
    double initial_residual = 0; ///< ||b|| [N]
    double final_residual = 0;   ///< ||b - A x|| [N]
    double seconds = 0;
  };

  /**
   * Linear elasticity on a (distributed) triangulation: Q_degree Lagrange elements on
   * hexahedra, P_degree (FE_SimplexP) on tetrahedra. The cell shape is taken from the mesh.
   * The stiffness is either assembled (CG + AMG) or, for Q2 on hexahedra, applied without a
   * matrix (CG + p-multigrid, matrix_free_elasticity.h): same bilinear form, same answer.
   */
  class ElasticSystem
  {
  public:
    /** `matrix_free`: null = assembled stiffness, else the matrix-free operator's settings. */
    ElasticSystem(const dealii::Triangulation<3> &tria, unsigned int degree,
                  const MatrixFreeSettings *matrix_free = nullptr);
    ~ElasticSystem();

    /** Distributes DoFs, clamps every DoF on the `clamped` boundary ids, builds sparsity. */
    void setup(const std::set<dealii::types::boundary_id> &clamped);

    /** Assembles the stiffness matrix with per-cell constants from `material`. */
    void assemble(const MaterialFunction &material);

    /** Builds the AMG preconditioner for the current matrix (seconds spent returned). */
    double build_preconditioner(const AmgSettings &settings = AmgSettings());

    /** Area, centroid and second moments of the boundary faces with id `surface`. */
    loads::PlaneSection surface_section(dealii::types::boundary_id surface) const;

    /** Right-hand side of a traction field on boundary `surface`. */
    Vector traction_rhs(
      dealii::types::boundary_id surface,
      const std::function<dealii::Tensor<1, 3>(const dealii::Point<3> &)> &traction) const;

    /**
     * Load vector of a traction that may depend on the outward unit normal n (a pressure p is
     * t = -p n). With `condense` false the entries of constrained DoFs are kept (the external
     * force that reaction forces are computed against).
     */
    Vector
    traction_rhs(dealii::types::boundary_id surface,
                 const std::function<dealii::Tensor<1, 3>(const dealii::Point<3> &,
                                                          const dealii::Tensor<1, 3> &)> &traction,
                 bool condense) const;

    /**
     * Adds to `rhs` (an owned vector) the load vector of a body force [N/mm^3] that is
     * constant in each cell (`density`; cells it returns zero for are skipped), condensed
     * like traction_rhs.
     */
    void
    add_body_force_rhs(const std::function<dealii::Tensor<1, 3>(const CellIterator &)> &density,
                       bool condense, Vector &rhs) const;

    /**
     * Internal nodal forces f = K u assembled without constraints (a ghosted vector summed over
     * all cells): at a clamped node f minus the external load is the support reaction [N].
     * `finite_strain`: the hyperelastic cells' internal forces (hyperelastic_cell.h) instead.
     */
    Vector internal_forces(const Vector &ghosted_solution, bool finite_strain = false) const;

    /**
     * Solves K u = b with CG + AMG to relative tolerance `tolerance` (of ||b||); returns the
     * locally relevant (ghosted) solution. With `use_initial_guess`, CG starts from the
     * solution passed in (e.g. the previous time step's), which must satisfy the constraints.
     * Throws std::runtime_error on divergence or a non-finite residual.
     */
    SolveReport solve(const Vector &rhs, Vector &ghosted_solution, double tolerance,
                      unsigned int max_iterations, bool use_initial_guess = false) const;

    /**
     * A check that CG asks every 10 iterations (collectively, so it must return the same on
     * every rank, e.g. an MPI reduction of a signal flag); when it returns true, solve()
     * throws SolveInterrupted. Empty (the default): never interrupted.
     */
    void set_interruption(std::function<bool()> requested) { interruption = std::move(requested); }
    /** The check set above (empty: none); other solvers on this system ask it too. */
    const std::function<bool()> &interruption_check() const { return interruption; }

    /** A ghosted vector with this system's layout. */
    Vector make_ghosted_vector() const;
    /** An owned (non-ghosted) vector with this system's layout. */
    Vector make_owned_vector() const;

    const dealii::DoFHandler<3> &dofs() const { return dof_handler; }
    const dealii::FESystem<3> &element() const { return *fe; }
    const dealii::Mapping<3> &map() const { return *mapping; }
    const dealii::Quadrature<3> &cell_quadrature() const { return quadrature; }
    const dealii::Quadrature<2> &face_quadrature_rule() const { return face_quadrature; }
    /** True on tetrahedral meshes. */
    bool simplex() const { return is_simplex; }
    const MaterialFunction &material() const { return material_of_cell; }
    const dealii::AffineConstraints<double> &constraints() const { return hanging_and_clamped; }
    /** The assembled stiffness (empty with the matrix-free operator). */
    const dealii::TrilinosWrappers::SparseMatrix &matrix() const { return stiffness; }
    const ElasticityAMG &amg_preconditioner() const { return amg; }
    /** True when the stiffness is applied without a matrix. */
    bool matrix_free() const { return use_matrix_free; }
    /** DoFs of the Q1 correction space of the matrix-free preconditioner (0 if assembled). */
    dealii::types::global_dof_index n_coarse_dofs() const
    {
      return operator_without_matrix ? operator_without_matrix->n_coarse_dofs() : 0;
    }
    MPI_Comm communicator() const { return mpi; }

  private:
    /** Adds one cell's load vector to rhs, condensed or raw (dof_indices is scratch). */
    void add_cell_load(const CellIterator &cell, const dealii::Vector<double> &cell_rhs,
                       bool condense, std::vector<dealii::types::global_dof_index> &dof_indices,
                       Vector &rhs) const;

    MPI_Comm mpi;
    bool is_simplex;
    std::unique_ptr<dealii::FESystem<3>> fe;
    std::unique_ptr<dealii::Mapping<3>> mapping;
    dealii::Quadrature<3> quadrature;
    dealii::Quadrature<2> face_quadrature;
    dealii::DoFHandler<3> dof_handler;
    dealii::IndexSet owned, relevant;
    dealii::AffineConstraints<double> hanging_and_clamped;
    dealii::TrilinosWrappers::SparseMatrix stiffness;
    ElasticityAMG amg;
    MaterialFunction material_of_cell;
    std::function<bool()> interruption;
    bool use_matrix_free = false;
    MatrixFreeSettings matrix_free_settings;
    std::unique_ptr<MatrixFreeElasticity> operator_without_matrix;
  };
} // namespace bonefusion::mechanics
