#include "mechanics/matrix_free_elasticity.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_tools.h>
#include <deal.II/lac/diagonal_matrix.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/precondition.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_sparsity_pattern.h>
#include <deal.II/matrix_free/fe_evaluation.h>
#include <deal.II/matrix_free/matrix_free.h>
#include <deal.II/matrix_free/tools.h>

#include "mechanics/elastic_system.h"

#include <cmath>
#include <stdexcept>

namespace bonefusion::mechanics
{
  namespace
  {
    constexpr int fine_degree = 2;
    constexpr int n_q_points_1d = fine_degree + 1; // the assembled path's QGauss(degree + 1)
    using Number = double;
    using VA = dealii::VectorizedArray<Number>;
    using MFVector = dealii::LinearAlgebra::distributed::Vector<Number>;
    using CellEvaluation = dealii::FEEvaluation<3, fine_degree, n_q_points_1d, 3, Number>;

    /** The linear map eps -> stress(c, eps) as a fourth-order tensor. */
    dealii::SymmetricTensor<4, 3> elasticity_tensor(const CellElasticity &c)
    {
      dealii::SymmetricTensor<4, 3> C;
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int j = i; j < 3; ++j)
          {
            dealii::SymmetricTensor<2, 3> unit;
            // A shear unit strain has eps_ij = eps_ji = 1/2, so that C : unit = C_klij
            // (the full contraction adds C_klij / 2 and C_klji / 2).
            unit[i][j] = (i == j) ? 1.0 : 0.5;
            const dealii::SymmetricTensor<2, 3> sigma = stress(c, unit);
            for (unsigned int k = 0; k < 3; ++k)
              for (unsigned int l = k; l < 3; ++l)
                C[k][l][i][j] = sigma[k][l];
          }
      return C;
    }
  } // namespace

  /**
   * The Q2 operator: cell loop over MatrixFree with per-cell elastic tensors. Derived from
   * Subscriptor because the Chebyshev smoother keeps a SmartPointer to it.
   */
  class FineOperator : public dealii::Subscriptor
  {
  public:
    using value_type = Number;

    dealii::MatrixFree<3, Number> data;
    std::vector<dealii::SymmetricTensor<4, 3, VA>> tensors; // per cell batch
    std::vector<VA> b_bar;                                  // 1 in B-bar cells, else 0
    /** Ahat of a cell's joint (its closure is averaged over the cell), 0 without one. */
    std::vector<dealii::SymmetricTensor<2, 3, VA>> joint;
    std::vector<unsigned int> constrained; // local indices (owned)

    void vmult(MFVector &dst, const MFVector &src) const
    {
      data.cell_loop(&FineOperator::apply_cells, this, dst, src, true);
      for (const unsigned int i : constrained)
        dst.local_element(i) = src.local_element(i);
    }
    void Tvmult(MFVector &dst, const MFVector &src) const { vmult(dst, src); }

    /** Size, as PreconditionChebyshev checks it against its (precomputed) diagonal. */
    dealii::types::global_dof_index m() const { return data.get_vector_partitioner()->size(); }
    /** Never called: the Chebyshev smoother gets the diagonal ready-made. */
    double el(const unsigned int, const unsigned int) const
    {
      throw std::logic_error("FineOperator::el: the diagonal is computed matrix-free");
    }

    /** The quadrature-point work of one cell batch (also used for the diagonal). */
    void quadrature_work(CellEvaluation &phi) const
    {
      const unsigned int batch = phi.get_current_cell_index();
      const dealii::SymmetricTensor<4, 3, VA> &C = tensors[batch];
      const VA b = b_bar[batch];
      const unsigned int n_q = phi.n_q_points;

      // Cell means of the dilatation (B-bar strain) and of the joint closure ...
      const dealii::SymmetricTensor<2, 3, VA> &a = joint[batch];
      VA volume = 0, dilatation = 0, closure = 0;
      for (unsigned int q = 0; q < n_q; ++q)
        {
          const dealii::SymmetricTensor<2, 3, VA> eps = phi.get_symmetric_gradient(q);
          volume += phi.JxW(q);
          dilatation += dealii::trace(eps) * phi.JxW(q);
          closure += (a * eps) * phi.JxW(q);
        }
      dilatation /= volume;
      closure /= volume;
      // ... and of the stress trace and the joint's normal stress (the averaged test
      // function).
      std::array<dealii::SymmetricTensor<2, 3, VA>, n_q_points_1d * n_q_points_1d * n_q_points_1d>
        sigma;
      VA mean_trace = 0, mean_joint_stress = 0;
      for (unsigned int q = 0; q < n_q; ++q)
        {
          dealii::SymmetricTensor<2, 3, VA> eps = phi.get_symmetric_gradient(q);
          const VA shift = b * (dilatation - dealii::trace(eps)) / 3.0;
          for (unsigned int d = 0; d < 3; ++d)
            eps[d][d] += shift;
          // The joint closure Ahat : eps by its cell mean (Ahat is traceless: no effect on
          // the dilatation; Ahat = 0 outside joint cells).
          eps += (closure - a * eps) * a;
          sigma[q] = C * eps;
          mean_trace += dealii::trace(sigma[q]) * phi.JxW(q);
          mean_joint_stress += (a * sigma[q]) * phi.JxW(q);
        }
      mean_trace /= volume;
      mean_joint_stress /= volume;
      for (unsigned int q = 0; q < n_q; ++q)
        {
          const VA shift = b * (mean_trace - dealii::trace(sigma[q])) / 3.0;
          for (unsigned int d = 0; d < 3; ++d)
            sigma[q][d][d] += shift;
          sigma[q] += (mean_joint_stress - a * sigma[q]) * a;
          phi.submit_symmetric_gradient(sigma[q], q);
        }
    }

  private:
    void apply_cells(const dealii::MatrixFree<3, Number> &, MFVector &dst, const MFVector &src,
                     const std::pair<unsigned int, unsigned int> &range) const
    {
      CellEvaluation phi(data);
      for (unsigned int cell = range.first; cell < range.second; ++cell)
        {
          phi.reinit(cell);
          phi.gather_evaluate(src, dealii::EvaluationFlags::gradients);
          quadrature_work(phi);
          phi.integrate_scatter(dealii::EvaluationFlags::gradients, dst);
        }
    }
  };

  struct MatrixFreeElasticity::Implementation
  {
    const dealii::DoFHandler<3> &fine_dofs;
    MPI_Comm mpi;
    MatrixFreeSettings settings;
    dealii::AffineConstraints<double> constraints; // of the matrix-free space (owned + ghosts)
    FineOperator fine;
    std::unique_ptr<ElasticSystem> coarse;                // Q1, assembled, with AMG
    dealii::TrilinosWrappers::SparseMatrix interpolation; // P: Q1 -> Q2
    std::vector<unsigned int> coarse_constrained;         // local indices (owned)
    using Smoother =
      dealii::PreconditionChebyshev<FineOperator, MFVector, dealii::DiagonalMatrix<MFVector>>;
    Smoother smoother;

    // Work vectors (mutable: the operator and preconditioner are const for CG).
    mutable MFVector x, b, r;
    mutable Vector fine_t, coarse_rhs, coarse_correction;

    Implementation(const dealii::DoFHandler<3> &dofs, const MatrixFreeSettings &s)
      : fine_dofs(dofs)
      , mpi(dofs.get_triangulation().get_communicator())
      , settings(s)
    {
    }

    static void copy(const MFVector &from, Vector &to)
    {
      double *values = to.trilinos_vector()[0];
      for (unsigned int i = 0; i < from.locally_owned_size(); ++i)
        values[i] = from.local_element(i);
    }
    static void copy(const Vector &from, MFVector &to)
    {
      const double *values = from.trilinos_vector()[0];
      for (unsigned int i = 0; i < to.locally_owned_size(); ++i)
        to.local_element(i) = values[i];
    }
  };

  MatrixFreeElasticity::MatrixFreeElasticity(const dealii::DoFHandler<3> &fine_dofs,
                                             const dealii::Mapping<3> &mapping,
                                             const dealii::AffineConstraints<double> &constraints,
                                             const std::set<dealii::types::boundary_id> &clamped,
                                             const MatrixFreeSettings &settings)
    : impl(std::make_unique<Implementation>(fine_dofs, settings))
  {
    const dealii::FiniteElement<3> &fe = fine_dofs.get_fe();
    if (!fine_dofs.get_triangulation().all_reference_cells_are_hyper_cube() ||
        fe.degree != fine_degree)
      throw std::runtime_error(
        "'Solver/Stiffness operator = matrix-free' needs Q2 elements on hexahedra, but the "
        "model has " +
        std::string(fine_dofs.get_triangulation().all_reference_cells_are_hyper_cube() ?
                      "degree " + std::to_string(fe.degree) + " elements" :
                      "tetrahedra") +
        ": use 'Discretization/Polynomial degree = 2' on a hexahedral mesh, or the "
        "assembled operator");
    for (const auto &line : constraints.get_lines())
      if (!line.entries.empty() || line.inhomogeneity != 0)
        throw std::runtime_error(
          "'Solver/Stiffness operator = matrix-free' supports clamped supports only, no "
          "hanging nodes or other constraints between DoFs: use the assembled operator");
    impl->constraints.copy_from(constraints);

    // The Q2 operator.
    typename dealii::MatrixFree<3, Number>::AdditionalData data;
    data.tasks_parallel_scheme = dealii::MatrixFree<3, Number>::AdditionalData::none;
    data.mapping_update_flags = dealii::update_gradients | dealii::update_JxW_values;
    impl->fine.data.reinit(mapping, fine_dofs, impl->constraints, dealii::QGauss<1>(n_q_points_1d),
                           data);
    impl->fine.data.initialize_dof_vector(impl->x);
    impl->b.reinit(impl->x);
    impl->r.reinit(impl->x);
    const dealii::IndexSet &owned = fine_dofs.locally_owned_dofs();
    for (const auto &line : constraints.get_lines())
      if (owned.is_element(line.index))
        impl->fine.constrained.push_back(owned.index_within_set(line.index));

    // The Q1 space on the same mesh, with its assembled stiffness.
    impl->coarse = std::make_unique<ElasticSystem>(fine_dofs.get_triangulation(), 1);
    impl->coarse->setup(clamped);
    const dealii::DoFHandler<3> &coarse_dofs = impl->coarse->dofs();
    const dealii::IndexSet &coarse_owned = coarse_dofs.locally_owned_dofs();
    for (const auto &line : impl->coarse->constraints().get_lines())
      if (coarse_owned.is_element(line.index))
        impl->coarse_constrained.push_back(coarse_owned.index_within_set(line.index));

    // P: Q1 values interpolated at the Q2 nodes, cell by cell (rows of owned Q2 DoFs only:
    // every owned DoF lies on an owned cell, and a shared node gets the same row from each).
    dealii::FullMatrix<double> cell_p(fe.n_dofs_per_cell(), coarse_dofs.get_fe().n_dofs_per_cell());
    dealii::FETools::get_interpolation_matrix(coarse_dofs.get_fe(), fe, cell_p);
    std::vector<dealii::types::global_dof_index> fine_indices(fe.n_dofs_per_cell()),
      coarse_indices(coarse_dofs.get_fe().n_dofs_per_cell());
    // Calls entry(row, column, value) for every non-zero of P (both DoFHandlers live on the
    // same triangulation, so their active cells come in the same order).
    const auto for_each_entry = [&](const auto &entry) {
      auto coarse_cell = coarse_dofs.begin_active();
      for (auto cell = fine_dofs.begin_active(); cell != fine_dofs.end(); ++cell, ++coarse_cell)
        if (cell->is_locally_owned())
          {
            cell->get_dof_indices(fine_indices);
            coarse_cell->get_dof_indices(coarse_indices);
            for (unsigned int i = 0; i < fine_indices.size(); ++i)
              if (owned.is_element(fine_indices[i]) &&
                  !impl->constraints.is_constrained(fine_indices[i]))
                for (unsigned int j = 0; j < coarse_indices.size(); ++j)
                  if (std::abs(cell_p(i, j)) > 1e-12)
                    entry(fine_indices[i], coarse_indices[j], cell_p(i, j));
          }
    };
    dealii::TrilinosWrappers::SparsityPattern sp(owned, coarse_owned, impl->mpi);
    for_each_entry([&sp](const auto row, const auto column, double) { sp.add(row, column); });
    sp.compress();
    impl->interpolation.reinit(sp);
    for_each_entry([this](const auto row, const auto column, const double value) {
      impl->interpolation.set(row, column, value);
    });
    impl->interpolation.compress(dealii::VectorOperation::insert);

    impl->fine_t.reinit(owned, impl->mpi);
    impl->coarse_rhs = impl->coarse->make_owned_vector();
    impl->coarse_correction = impl->coarse->make_owned_vector();
  }

  MatrixFreeElasticity::~MatrixFreeElasticity() = default;

  void MatrixFreeElasticity::set_material(
    const std::function<CellElasticity(const CellIterator &)> &material)
  {
    FineOperator &op = impl->fine;
    const unsigned int n_batches = op.data.n_cell_batches();
    op.tensors.resize(n_batches);
    op.b_bar.resize(n_batches);
    op.joint.resize(n_batches);
    for (unsigned int batch = 0; batch < n_batches; ++batch)
      {
        const unsigned int filled = op.data.n_active_entries_per_cell_batch(batch);
        for (unsigned int lane = 0; lane < VA::size(); ++lane)
          {
            // Empty lanes repeat lane 0 (their results are discarded; no 0/0).
            const CellIterator cell(op.data.get_cell_iterator(batch, lane < filled ? lane : 0));
            const CellElasticity c = material(cell);
            const dealii::SymmetricTensor<4, 3> C = elasticity_tensor(c);
            for (unsigned int i = 0; i < 3; ++i)
              for (unsigned int j = i; j < 3; ++j)
                for (unsigned int k = 0; k < 3; ++k)
                  for (unsigned int l = k; l < 3; ++l)
                    op.tensors[batch][i][j][k][l][lane] = C[i][j][k][l];
            op.b_bar[batch][lane] = c.b_bar ? 1.0 : 0.0;
            const dealii::SymmetricTensor<2, 3> a = c.joint.direction();
            // The B-bar shift below assumes a traceless joint term in B-bar cells.
            if (c.b_bar && std::abs(dealii::trace(a)) > 1e-12)
              throw std::logic_error("a tension-only band in a B-bar cell");
            for (unsigned int i = 0; i < 3; ++i)
              for (unsigned int j = i; j < 3; ++j)
                op.joint[batch][i][j][lane] = a[i][j];
          }
      }
    impl->coarse->assemble(material);
  }

  double MatrixFreeElasticity::build_preconditioner(const AmgSettings &amg)
  {
    dealii::Timer timer;
    impl->coarse->build_preconditioner(amg);

    // Point Jacobi inside the Chebyshev smoother: the diagonal of the Q2 operator, computed
    // cell by cell with the same quadrature work as the operator.
    auto inverse_diagonal = std::make_shared<dealii::DiagonalMatrix<MFVector>>();
    MFVector &diagonal = inverse_diagonal->get_vector();
    impl->fine.data.initialize_dof_vector(diagonal);
    dealii::MatrixFreeTools::compute_diagonal<3, fine_degree, n_q_points_1d, 3, Number, VA,
                                              MFVector>(
      impl->fine.data, diagonal, [this](CellEvaluation &phi) {
        phi.evaluate(dealii::EvaluationFlags::gradients);
        impl->fine.quadrature_work(phi);
        phi.integrate(dealii::EvaluationFlags::gradients);
      });
    for (const unsigned int i : impl->fine.constrained)
      diagonal.local_element(i) = 1.0;
    for (unsigned int i = 0; i < diagonal.locally_owned_size(); ++i)
      {
        const double d = diagonal.local_element(i);
        if (!(d > 0))
          throw std::runtime_error("the matrix-free operator has a non-positive diagonal "
                                   "entry (a cell without stiffness?)");
        diagonal.local_element(i) = 1.0 / d;
      }

    Implementation::Smoother::AdditionalData smoothing;
    smoothing.degree = impl->settings.chebyshev_degree;
    smoothing.smoothing_range = 20;
    smoothing.eig_cg_n_iterations = 20;
    smoothing.preconditioner = inverse_diagonal;
    impl->smoother.initialize(impl->fine, smoothing);
    // Estimate the eigenvalues now, so that their cost counts as set-up.
    impl->b = 1.0;
    for (const unsigned int i : impl->fine.constrained)
      impl->b.local_element(i) = 0;
    impl->smoother.vmult(impl->x, impl->b);
    return timer.wall_time();
  }

  void MatrixFreeElasticity::vmult(Vector &dst, const Vector &src) const
  {
    Implementation::copy(src, impl->b);
    impl->fine.vmult(impl->x, impl->b);
    Implementation::copy(impl->x, dst);
  }

  void MatrixFreeElasticity::precondition(Vector &dst, const Vector &src) const
  {
    Implementation &m = *impl;
    Implementation::copy(src, m.b);
    // Pre-smoothing from zero.
    m.smoother.vmult(m.x, m.b);
    // Residual, restricted to Q1 (P^T); the clamped coarse rows get no correction.
    m.fine.vmult(m.r, m.x);
    m.r.sadd(-1.0, 1.0, m.b);
    Implementation::copy(m.r, m.fine_t);
    m.interpolation.Tvmult(m.coarse_rhs, m.fine_t);
    double *coarse_values = m.coarse_rhs.trilinos_vector()[0];
    for (const unsigned int i : m.coarse_constrained)
      coarse_values[i] = 0;
    m.coarse->amg_preconditioner().preconditioner().vmult(m.coarse_correction, m.coarse_rhs);
    // Prolongation (P) and correction.
    m.interpolation.vmult(m.fine_t, m.coarse_correction);
    Implementation::copy(m.fine_t, m.r);
    m.x += m.r;
    // Post-smoothing: the same polynomial, so the cycle stays symmetric.
    m.smoother.step(m.x, m.b);
    Implementation::copy(m.x, dst);
  }

  dealii::types::global_dof_index MatrixFreeElasticity::n_coarse_dofs() const
  {
    return impl->coarse->dofs().n_dofs();
  }
} // namespace bonefusion::mechanics
