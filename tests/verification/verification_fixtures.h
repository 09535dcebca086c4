#pragma once
/**
 * @file Shared machinery of the analytic verification tests.
 *
 * The library's ElasticSystem can only clamp (u = 0) on boundary ids and load by traction. The
 * analytic benchmarks also need prescribed non-zero displacements (patch test, manufactured
 * solutions, a bar end moved by delta) and body forces, so DirichletElasticity below assembles
 * the same element stiffness (mechanics::CellKinematics) with inhomogeneous AffineConstraints
 * and a body-force right-hand side. It lives here, in the tests, on purpose: it is a test
 * harness, not a second solver.
 *
 * SineField is a smooth vector field given as a sum of products of sines with exact first and
 * second derivatives, from which the manufactured body force f = -div sigma is formed without
 * symbolic algebra by hand.
 */
#include <deal.II/base/function.h>
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/component_mask.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>

#include "mechanics/cell_stiffness.h"
#include "mechanics/elastic_system.h"

#include <functional>
#include <string>
#include <vector>

namespace bonefusion::verification
{
  /** One term c * prod_a sin(omega_a x_a + phase_a) of component `component`. */
  struct SineTerm
  {
    unsigned int component = 0;
    double coefficient = 0;
    double omega[3] = {0, 0, 0}; ///< [1/mm]
    double phase[3] = {0, 0, 0}; ///< [rad]

    /** Value of the partial derivative of order n[a] in direction a. */
    double derivative(const dealii::Point<3> &x, const unsigned int (&n)[3]) const;
  };

  /** A vector field [mm] that is a finite sum of SineTerms; exact derivatives. */
  class SineField
  {
  public:
    void add(const SineTerm &term) { terms.push_back(term); }
    /** Adds all terms of `other` times `factor`. */
    void add(const SineField &other, double factor = 1.0);

    dealii::Tensor<1, 3> value(const dealii::Point<3> &x) const;
    /** grad[i][j] = d u_i / d x_j. */
    dealii::Tensor<2, 3> gradient(const dealii::Point<3> &x) const;
    /** Body force [N/mm^3] that balances this field in a Lamé material: -div sigma
     *  = -(mu lap u + (lambda + mu) grad div u). */
    dealii::Tensor<1, 3> body_force(const dealii::Point<3> &x, double lambda, double mu) const;

    /** Component `component` of this field as a scalar field (for curl and grad). */
    SineField component(unsigned int component) const;
    /** Partial derivative d/dx_a of every term. */
    SineField derivative(unsigned int a) const;
    /** Curl of the vector potential psi (its three components). */
    static SineField curl(const SineField &psi);
    /** Gradient of the scalar potential phi (all terms of component 0). */
    static SineField gradient_of(const SineField &phi);

    const std::vector<SineTerm> &all_terms() const { return terms; }

  private:
    std::vector<SineTerm> terms;
  };

  /** A SineField as a deal.II Function (3 components), for boundary interpolation. */
  class SineFieldFunction : public dealii::Function<3>
  {
  public:
    explicit SineFieldFunction(const SineField &field)
      : dealii::Function<3>(3)
      , field(field)
    {
    }
    double value(const dealii::Point<3> &x, const unsigned int c) const override
    {
      return field.value(x)[c];
    }

  private:
    const SineField &field;
  };

  /** Prescribed displacement on one boundary id (components selected by the mask). */
  struct DirichletBoundary
  {
    dealii::types::boundary_id id = 0;
    const dealii::Function<3> *displacement = nullptr; ///< [mm], 3 components
    dealii::ComponentMask mask = dealii::ComponentMask();
  };

  /** Body force [N/mm^3] at a point of a cell (the cell says which material applies). */
  using BodyForce =
    std::function<dealii::Tensor<1, 3>(const mechanics::CellIterator &, const dealii::Point<3> &)>;

  /** Exact displacement [mm] and its gradient at a point of a cell. */
  struct ExactSolution
  {
    std::function<dealii::Tensor<1, 3>(const mechanics::CellIterator &, const dealii::Point<3> &)>
      value;
    std::function<dealii::Tensor<2, 3>(const mechanics::CellIterator &, const dealii::Point<3> &)>
      gradient;
  };

  /** L2 and H1-seminorm errors and the norms of the exact solution. */
  struct ErrorNorms
  {
    double l2 = 0, h1 = 0;             ///< ||u - u_h|| [mm], |u - u_h|_1 [-]
    double l2_exact = 0, h1_exact = 0; ///< ||u||, |u|_1
  };

  enum class LinearSolver
  {
    direct, ///< Amesos KLU (gathered to one rank): round-off accuracy for small problems
    cg_amg  ///< CG with the library's ElasticityAMG (rigid-body modes)
  };

  /**
   * Linear elasticity with inhomogeneous Dirichlet data and body force, on a DoFHandler that
   * the caller has distributed (FESystem(FE_Q(p), 3)); MappingQ(1), QGauss(p + 1), the
   * element matrices of mechanics::CellKinematics. Collective over `mpi`.
   */
  class DirichletElasticity
  {
  public:
    DirichletElasticity(const dealii::DoFHandler<3> &dofs, MPI_Comm mpi);

    /** Builds the constraints (hanging nodes, prescribed displacements) and the sparsity. */
    void setup(const std::vector<DirichletBoundary> &boundaries);
    /** Assembles matrix and right-hand side (body force may be empty). */
    void assemble(const mechanics::MaterialFunction &material, const BodyForce &body_force);
    /** Solves; relative residual `tolerance` for CG. Returns the ghosted solution. */
    mechanics::SolveReport solve(LinearSolver solver, double tolerance = 1e-12,
                                 unsigned int max_iterations = 20000);

    /** Solution with this DoFHandler's locally relevant layout [mm]. */
    const mechanics::Vector &solution() const { return ghosted; }

    /**
     * Force [N] that the prescribed displacement on boundary `id` exerts on the body:
     * sum over that boundary's DoFs of (K u - f), with the unconstrained element matrices.
     */
    dealii::Tensor<1, 3> reaction(dealii::types::boundary_id id) const;

    /** Errors against `exact` with QGauss(p + extra_points) on every cell. */
    ErrorNorms errors(const ExactSolution &exact, unsigned int extra_points = 3) const;

    const dealii::Mapping<3> &map() const { return mapping; }
    const dealii::AffineConstraints<double> &constraints() const { return dirichlet; }

  private:
    const dealii::DoFHandler<3> &dof_handler;
    MPI_Comm mpi;
    dealii::MappingQ<3> mapping;
    dealii::IndexSet owned, relevant;
    dealii::AffineConstraints<double> dirichlet;
    dealii::TrilinosWrappers::SparseMatrix matrix;
    mechanics::Vector rhs, ghosted;
    mechanics::MaterialFunction material_of_cell;
    BodyForce force_of_cell;
  };

  /** Observed convergence rate between two meshes: log(e_coarse / e_fine) / log(h_c / h_f). */
  double rate(double e_coarse, double e_fine, double h_coarse, double h_fine);

  /** Rank 0 writes `text` to `path` (working directory of the test). */
  void write_on_root(const std::string &path, const std::string &text, MPI_Comm mpi);
} // namespace bonefusion::verification
