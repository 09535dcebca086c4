#include "mechanics/elastic_system.h"

#include <deal.II/base/function.h>
#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/lac/trilinos_sparsity_pattern.h>
#include <deal.II/numerics/vector_tools.h>

#include <cmath>
#include <stdexcept>

namespace bonefusion::mechanics
{
  namespace
  {
    MPI_Comm communicator_of(const dealii::Triangulation<3> &tria)
    {
      if (const auto *p = dynamic_cast<const dealii::parallel::TriangulationBase<3> *>(&tria))
        return p->get_communicator();
      return MPI_COMM_SELF;
    }
  } // namespace

  ElasticSystem::ElasticSystem(const dealii::Triangulation<3> &tria, const unsigned int degree)
    : mpi(communicator_of(tria))
    , fe(dealii::FE_Q<3>(degree), 3)
    , mapping(1)
    , quadrature(degree + 1)
    , face_quadrature(degree + 1)
    , dof_handler(tria)
  {
  }

  void ElasticSystem::setup(const std::set<dealii::types::boundary_id> &clamped)
  {
    dof_handler.distribute_dofs(fe);
    owned = dof_handler.locally_owned_dofs();
    dealii::DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);

    hanging_and_clamped.clear();
    hanging_and_clamped.reinit(relevant);
    dealii::DoFTools::make_hanging_node_constraints(dof_handler, hanging_and_clamped);
    for (const dealii::types::boundary_id id : clamped)
      dealii::VectorTools::interpolate_boundary_values(
        mapping, dof_handler, id, dealii::Functions::ZeroFunction<3>(3), hanging_and_clamped);
    hanging_and_clamped.close();

    dealii::TrilinosWrappers::SparsityPattern sp(owned, owned, relevant, mpi);
    dealii::DoFTools::make_sparsity_pattern(dof_handler, sp, hanging_and_clamped, false,
                                            dealii::Utilities::MPI::this_mpi_process(mpi));
    sp.compress();
    stiffness.reinit(sp);
  }

  void ElasticSystem::assemble(const MaterialFunction &material)
  {
    material_of_cell = material;
    stiffness = 0;
    dealii::FEValues<3> fe_values(mapping, fe, quadrature,
                                  dealii::update_gradients | dealii::update_JxW_values);
    CellKinematics kinematics;
    dealii::FullMatrix<double> cell_matrix;
    std::vector<dealii::types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          const CellElasticity c = material(cell);
          kinematics.reinit(fe_values, c.b_bar);
          kinematics.stiffness(fe_values, c, cell_matrix);
          cell->get_dof_indices(dof_indices);
          hanging_and_clamped.distribute_local_to_global(cell_matrix, dof_indices, stiffness);
        }
    stiffness.compress(dealii::VectorOperation::add);
  }

  double ElasticSystem::build_preconditioner(const AmgSettings &settings)
  {
    dealii::Timer timer;
    amg.initialize(stiffness, dof_handler, mapping, fe.degree > 1, settings);
    return timer.wall_time();
  }

  loads::PlaneSection ElasticSystem::surface_section(const dealii::types::boundary_id surface) const
  {
    dealii::FEFaceValues<3> fv(mapping, fe, face_quadrature,
                               dealii::update_quadrature_points | dealii::update_JxW_values);
    loads::PlaneSectionIntegrator integrator;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int f : cell->face_indices())
          if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == surface)
            {
              fv.reinit(cell, f);
              for (unsigned int q = 0; q < fv.n_quadrature_points; ++q)
                integrator.add(fv.quadrature_point(q), fv.JxW(q));
            }
    dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(integrator.sums, 7), mpi,
                                dealii::ArrayView<double>(integrator.sums, 7));
    return integrator.finish();
  }

  Vector ElasticSystem::traction_rhs(
    const dealii::types::boundary_id surface,
    const std::function<dealii::Tensor<1, 3>(const dealii::Point<3> &)> &traction) const
  {
    Vector rhs = make_owned_vector();
    dealii::FEFaceValues<3> fv(mapping, fe, face_quadrature,
                               dealii::update_values | dealii::update_quadrature_points |
                                 dealii::update_JxW_values);
    dealii::Vector<double> cell_rhs(fe.n_dofs_per_cell());
    std::vector<dealii::types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          bool loaded = false;
          cell_rhs = 0;
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == surface)
              {
                loaded = true;
                fv.reinit(cell, f);
                for (unsigned int q = 0; q < fv.n_quadrature_points; ++q)
                  {
                    const dealii::Tensor<1, 3> t = traction(fv.quadrature_point(q));
                    for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
                      {
                        const unsigned int c = fe.system_to_component_index(i).first;
                        cell_rhs[i] += t[c] * fv.shape_value(i, q) * fv.JxW(q);
                      }
                  }
              }
          if (loaded)
            {
              cell->get_dof_indices(dof_indices);
              hanging_and_clamped.distribute_local_to_global(cell_rhs, dof_indices, rhs);
            }
        }
    rhs.compress(dealii::VectorOperation::add);
    return rhs;
  }

  SolveReport ElasticSystem::solve(const Vector &rhs, Vector &ghosted_solution,
                                   const double tolerance, const unsigned int max_iterations) const
  {
    dealii::Timer timer;
    SolveReport report;
    report.initial_residual = rhs.l2_norm();
    if (!std::isfinite(report.initial_residual))
      throw std::runtime_error("the load vector contains NaN or infinity");
    Vector x = make_owned_vector();
    if (report.initial_residual == 0)
      {
        ghosted_solution = x;
        return report;
      }
    dealii::SolverControl control(max_iterations, tolerance * report.initial_residual);
    dealii::SolverCG<Vector> cg(control);
    try
      {
        cg.solve(stiffness, x, rhs, amg.preconditioner());
      }
    catch (const dealii::SolverControl::NoConvergence &e)
      {
        throw std::runtime_error(
          "the linear solver (CG + AMG) did not converge: residual " +
          std::to_string(e.last_residual) + " after " + std::to_string(e.last_step) +
          " iterations (target " + std::to_string(tolerance * report.initial_residual) +
          "). Check for parts of the mesh that are not supported (floating implants) or "
          "extreme material contrasts; raise 'Solver/Maximum iterations' if it was close.");
      }
    hanging_and_clamped.distribute(x);
    report.iterations = control.last_step();
    Vector r = make_owned_vector();
    stiffness.vmult(r, x);
    r.sadd(-1.0, 1.0, rhs);
    // Constrained rows hold no equation: their residual entries are set to zero.
    for (const auto &line : hanging_and_clamped.get_lines())
      if (owned.is_element(line.index))
        r[line.index] = 0;
    r.compress(dealii::VectorOperation::insert);
    report.final_residual = r.l2_norm();
    if (!std::isfinite(report.final_residual) || !std::isfinite(x.l2_norm()))
      throw std::runtime_error("the solution contains NaN or infinity (singular stiffness?)");
    ghosted_solution = x;
    report.seconds = timer.wall_time();
    return report;
  }

  Vector ElasticSystem::make_ghosted_vector() const
  {
    return Vector(owned, relevant, mpi);
  }
  Vector ElasticSystem::make_owned_vector() const
  {
    return Vector(owned, mpi);
  }
} // namespace bonefusion::mechanics
