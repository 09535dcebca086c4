#include "verification_fixtures.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/lac/trilinos_sparsity_pattern.h>
#include <deal.II/numerics/vector_tools.h>

#include "mechanics/rigid_body_modes.h"

#include <cmath>
#include <fstream>
#include <map>
#include <stdexcept>

namespace bonefusion::verification
{
  // ---------------------------------------------------------------- SineField

  double SineTerm::derivative(const dealii::Point<3> &x, const unsigned int (&n)[3]) const
  {
    double v = coefficient;
    for (unsigned int a = 0; a < 3; ++a)
      v *= std::pow(omega[a], n[a]) * std::sin(omega[a] * x[a] + phase[a] + n[a] * M_PI_2);
    return v;
  }

  void SineField::add(const SineField &other, const double factor)
  {
    for (SineTerm t : other.terms)
      {
        t.coefficient *= factor;
        terms.push_back(t);
      }
  }

  dealii::Tensor<1, 3> SineField::value(const dealii::Point<3> &x) const
  {
    dealii::Tensor<1, 3> u;
    for (const SineTerm &t : terms)
      u[t.component] += t.derivative(x, {0u, 0u, 0u});
    return u;
  }

  dealii::Tensor<2, 3> SineField::gradient(const dealii::Point<3> &x) const
  {
    dealii::Tensor<2, 3> g;
    for (const SineTerm &t : terms)
      for (unsigned int j = 0; j < 3; ++j)
        {
          unsigned int n[3] = {0, 0, 0};
          n[j] = 1;
          g[t.component][j] += t.derivative(x, n);
        }
    return g;
  }

  dealii::Tensor<1, 3> SineField::body_force(const dealii::Point<3> &x, const double lambda,
                                             const double mu) const
  {
    // hessian[i][a][b] = d^2 u_i / dx_a dx_b
    double hessian[3][3][3] = {};
    for (const SineTerm &t : terms)
      for (unsigned int a = 0; a < 3; ++a)
        for (unsigned int b = 0; b < 3; ++b)
          {
            unsigned int n[3] = {0, 0, 0};
            ++n[a];
            ++n[b];
            hessian[t.component][a][b] += t.derivative(x, n);
          }
    dealii::Tensor<1, 3> f;
    for (unsigned int j = 0; j < 3; ++j)
      {
        double laplacian = 0, grad_div = 0;
        for (unsigned int a = 0; a < 3; ++a)
          {
            laplacian += hessian[j][a][a];
            grad_div += hessian[a][a][j];
          }
        f[j] = -(mu * laplacian + (lambda + mu) * grad_div);
      }
    return f;
  }

  SineField SineField::component(const unsigned int c) const
  {
    SineField s;
    for (SineTerm t : terms)
      if (t.component == c)
        {
          t.component = 0;
          s.add(t);
        }
    return s;
  }

  SineField SineField::derivative(const unsigned int a) const
  {
    SineField d;
    for (SineTerm t : terms)
      if (t.omega[a] != 0)
        {
          t.coefficient *= t.omega[a];
          t.phase[a] += M_PI_2;
          d.add(t);
        }
    return d;
  }

  namespace
  {
    /** Scalar field s (component 0) placed into component c, times factor. */
    SineField as_component(const SineField &s, const unsigned int c, const double factor)
    {
      SineField out;
      for (SineTerm t : s.all_terms())
        {
          t.component = c;
          t.coefficient *= factor;
          out.add(t);
        }
      return out;
    }
  } // namespace

  SineField SineField::curl(const SineField &psi)
  {
    SineField c;
    for (unsigned int i = 0; i < 3; ++i)
      {
        // (curl psi)_i = d_j psi_k - d_k psi_j with (i, j, k) cyclic.
        const unsigned int j = (i + 1) % 3, k = (i + 2) % 3;
        c.add(as_component(psi.component(k).derivative(j), i, 1.0));
        c.add(as_component(psi.component(j).derivative(k), i, -1.0));
      }
    return c;
  }

  SineField SineField::gradient_of(const SineField &phi)
  {
    SineField g;
    for (unsigned int a = 0; a < 3; ++a)
      g.add(as_component(phi.component(0).derivative(a), a, 1.0));
    return g;
  }

  // ---------------------------------------------------------------- DirichletElasticity

  DirichletElasticity::DirichletElasticity(const dealii::DoFHandler<3> &dofs, MPI_Comm mpi)
    : dof_handler(dofs)
    , mpi(mpi)
    , mapping(1)
  {
  }

  void DirichletElasticity::setup(const std::vector<DirichletBoundary> &boundaries)
  {
    owned = dof_handler.locally_owned_dofs();
    dealii::DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
    dirichlet.clear();
    dirichlet.reinit(relevant);
    dealii::DoFTools::make_hanging_node_constraints(dof_handler, dirichlet);
    // A DoF on two prescribed boundaries keeps the first value (the data agree there).
    for (const DirichletBoundary &b : boundaries)
      dealii::VectorTools::interpolate_boundary_values(mapping, dof_handler, b.id, *b.displacement,
                                                       dirichlet, b.mask);
    dirichlet.close();

    dealii::TrilinosWrappers::SparsityPattern sp(owned, owned, relevant, mpi);
    dealii::DoFTools::make_sparsity_pattern(dof_handler, sp, dirichlet, false,
                                            dealii::Utilities::MPI::this_mpi_process(mpi));
    sp.compress();
    matrix.reinit(sp);
    rhs.reinit(owned, mpi);
    ghosted.reinit(owned, relevant, mpi);
  }

  void DirichletElasticity::assemble(const mechanics::MaterialFunction &material,
                                     const BodyForce &body_force)
  {
    material_of_cell = material;
    force_of_cell = body_force;
    matrix = 0;
    rhs = 0;
    const dealii::FiniteElement<3> &fe = dof_handler.get_fe();
    const dealii::QGauss<3> quadrature(fe.degree + 1);
    dealii::FEValues<3> fe_values(mapping, fe, quadrature,
                                  dealii::update_values | dealii::update_gradients |
                                    dealii::update_quadrature_points | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::FullMatrix<double> cell_matrix;
    dealii::Vector<double> cell_rhs(fe.n_dofs_per_cell());
    std::vector<dealii::types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          const mechanics::CellElasticity c = material(cell);
          kinematics.reinit(fe_values, c);
          kinematics.stiffness(fe_values, c, cell_matrix);
          cell_rhs = 0;
          if (body_force)
            for (unsigned int q = 0; q < quadrature.size(); ++q)
              {
                const dealii::Tensor<1, 3> f = body_force(cell, fe_values.quadrature_point(q));
                for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
                  cell_rhs[i] += f[fe.system_to_component_index(i).first] *
                                 fe_values.shape_value(i, q) * fe_values.JxW(q);
              }
          cell->get_dof_indices(dof_indices);
          // Inhomogeneous constraints: the prescribed values enter the right-hand side here.
          dirichlet.distribute_local_to_global(cell_matrix, cell_rhs, dof_indices, matrix, rhs);
        }
    matrix.compress(dealii::VectorOperation::add);
    rhs.compress(dealii::VectorOperation::add);
  }

  mechanics::SolveReport DirichletElasticity::solve(const LinearSolver solver,
                                                    const double tolerance,
                                                    const unsigned int max_iterations)
  {
    dealii::Timer timer;
    mechanics::SolveReport report;
    report.initial_residual = rhs.l2_norm();
    mechanics::Vector x(owned, mpi);
    if (solver == LinearSolver::direct)
      {
        dealii::SolverControl control(1, 0);
        dealii::TrilinosWrappers::SolverDirect direct(control);
        direct.solve(matrix, x, rhs);
      }
    else
      {
        mechanics::ElasticityAMG amg;
        amg.initialize(matrix, dof_handler, mapping, dof_handler.get_fe().degree > 1,
                       mechanics::AmgSettings());
        dealii::SolverControl control(max_iterations, tolerance * report.initial_residual);
        dealii::SolverCG<mechanics::Vector> cg(control);
        cg.solve(matrix, x, rhs, amg.preconditioner());
        report.iterations = control.last_step();
      }
    mechanics::Vector r(owned, mpi);
    matrix.vmult(r, x);
    r.sadd(-1.0, 1.0, rhs);
    report.final_residual = r.l2_norm();
    dirichlet.distribute(x);
    ghosted = x;
    report.seconds = timer.wall_time();
    return report;
  }

  dealii::Tensor<1, 3> DirichletElasticity::reaction(const dealii::types::boundary_id id) const
  {
    const dealii::FiniteElement<3> &fe = dof_handler.get_fe();
    const dealii::QGauss<3> quadrature(fe.degree + 1);
    dealii::FEValues<3> fe_values(mapping, fe, quadrature,
                                  dealii::update_values | dealii::update_gradients |
                                    dealii::update_quadrature_points | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::FullMatrix<double> k;
    dealii::Vector<double> u(fe.n_dofs_per_cell()), r_cell(fe.n_dofs_per_cell());
    std::vector<dealii::types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
    // Unconstrained residual K u - f, summed over cells (off-rank entries added in compress).
    mechanics::Vector r(owned, mpi);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          const mechanics::CellElasticity c = material_of_cell(cell);
          kinematics.reinit(fe_values, c);
          kinematics.stiffness(fe_values, c, k);
          cell->get_dof_values(ghosted, u);
          k.vmult(r_cell, u);
          if (force_of_cell)
            for (unsigned int q = 0; q < quadrature.size(); ++q)
              {
                const dealii::Tensor<1, 3> f = force_of_cell(cell, fe_values.quadrature_point(q));
                for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
                  r_cell[i] -= f[fe.system_to_component_index(i).first] *
                               fe_values.shape_value(i, q) * fe_values.JxW(q);
              }
          cell->get_dof_indices(dof_indices);
          r.add(dof_indices, r_cell);
        }
    r.compress(dealii::VectorOperation::add);

    // The owned DoFs of boundary `id`, each once, with their component.
    const dealii::IndexSet on_boundary =
      dealii::DoFTools::extract_boundary_dofs(dof_handler, dealii::ComponentMask(), {id});
    std::map<dealii::types::global_dof_index, unsigned int> component;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (!cell->is_artificial())
        {
          cell->get_dof_indices(dof_indices);
          for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
            if (owned.is_element(dof_indices[i]) && on_boundary.is_element(dof_indices[i]))
              component[dof_indices[i]] = fe.system_to_component_index(i).first;
        }
    double sum[3] = {0, 0, 0};
    for (const auto &[dof, c] : component)
      sum[c] += r[dof];
    dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sum, 3), mpi,
                                dealii::ArrayView<double>(sum, 3));
    return dealii::Tensor<1, 3>({sum[0], sum[1], sum[2]});
  }

  ErrorNorms DirichletElasticity::errors(const ExactSolution &exact,
                                         const unsigned int extra_points) const
  {
    const dealii::FiniteElement<3> &fe = dof_handler.get_fe();
    const dealii::QGauss<3> quadrature(fe.degree + extra_points);
    dealii::FEValues<3> fe_values(mapping, fe, quadrature,
                                  dealii::update_values | dealii::update_gradients |
                                    dealii::update_quadrature_points | dealii::update_JxW_values);
    const dealii::FEValuesExtractors::Vector displacement(0);
    std::vector<dealii::Tensor<1, 3>> u_h(quadrature.size());
    std::vector<dealii::Tensor<2, 3>> grad_u_h(quadrature.size());
    double sums[4] = {0, 0, 0, 0};
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          fe_values[displacement].get_function_values(ghosted, u_h);
          fe_values[displacement].get_function_gradients(ghosted, grad_u_h);
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              const dealii::Point<3> &x = fe_values.quadrature_point(q);
              const dealii::Tensor<1, 3> u = exact.value(cell, x);
              const dealii::Tensor<2, 3> g = exact.gradient(cell, x);
              sums[0] += (u - u_h[q]).norm_square() * fe_values.JxW(q);
              sums[1] += (g - grad_u_h[q]).norm_square() * fe_values.JxW(q);
              sums[2] += u.norm_square() * fe_values.JxW(q);
              sums[3] += g.norm_square() * fe_values.JxW(q);
            }
        }
    dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums, 4), mpi,
                                dealii::ArrayView<double>(sums, 4));
    return {std::sqrt(sums[0]), std::sqrt(sums[1]), std::sqrt(sums[2]), std::sqrt(sums[3])};
  }

  double rate(const double e_coarse, const double e_fine, const double h_coarse,
              const double h_fine)
  {
    return std::log(e_coarse / e_fine) / std::log(h_coarse / h_fine);
  }

  void write_on_root(const std::string &path, const std::string &text, MPI_Comm mpi)
  {
    if (dealii::Utilities::MPI::this_mpi_process(mpi) != 0)
      return;
    std::ofstream out(path);
    out << text;
    if (!out)
      throw std::runtime_error("cannot write " + path);
  }
} // namespace bonefusion::verification
