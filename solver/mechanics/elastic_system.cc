#include "mechanics/elastic_system.h"

#include <deal.II/base/function.h>
#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/lac/trilinos_sparsity_pattern.h>
#include <deal.II/numerics/vector_tools.h>

#include "mechanics/hyperelastic_cell.h"

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

    /** The matrix-free operator and its preconditioner as SolverCG sees them. */
    struct MatrixFreeStiffness
    {
      const MatrixFreeElasticity &op;
      void vmult(Vector &dst, const Vector &src) const { op.vmult(dst, src); }
    };
    struct MatrixFreePreconditioner
    {
      const MatrixFreeElasticity &op;
      void vmult(Vector &dst, const Vector &src) const { op.precondition(dst, src); }
    };
  } // namespace

  ElasticSystem::ElasticSystem(const dealii::Triangulation<3> &tria, const unsigned int degree,
                               const MatrixFreeSettings *matrix_free)
    : mpi(communicator_of(tria))
    , is_simplex(!tria.all_reference_cells_are_hyper_cube())
    , dof_handler(tria)
    , use_matrix_free(matrix_free != nullptr)
  {
    if (matrix_free)
      matrix_free_settings = *matrix_free;
    if (is_simplex)
      {
        if (!tria.all_reference_cells_are_simplex())
          throw std::runtime_error("meshes that mix hexahedra and tetrahedra are not supported");
        // P1/P2 on straight-sided tetrahedra; the stiffness integrand is a polynomial of
        // degree 2(p-1), so degree + 1 points per direction integrate it exactly.
        fe = std::make_unique<dealii::FESystem<3>>(dealii::FE_SimplexP<3>(degree), 3);
        mapping = std::make_unique<dealii::MappingFE<3>>(dealii::FE_SimplexP<3>(1));
        quadrature = dealii::QGaussSimplex<3>(degree + 1);
        face_quadrature = dealii::QGaussSimplex<2>(degree + 1);
      }
    else
      {
        fe = std::make_unique<dealii::FESystem<3>>(dealii::FE_Q<3>(degree), 3);
        mapping = std::make_unique<dealii::MappingQ<3>>(1);
        quadrature = dealii::QGauss<3>(degree + 1);
        face_quadrature = dealii::QGauss<2>(degree + 1);
      }
  }

  ElasticSystem::~ElasticSystem()
  {
    // The operator refers to the DoFHandler, the DoFHandler to the finite element.
    operator_without_matrix.reset();
    dof_handler.clear();
  }

  void ElasticSystem::setup(const std::set<dealii::types::boundary_id> &clamped)
  {
    dof_handler.distribute_dofs(*fe);
    owned = dof_handler.locally_owned_dofs();
    dealii::DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);

    hanging_and_clamped.clear();
    hanging_and_clamped.reinit(relevant);
    dealii::DoFTools::make_hanging_node_constraints(dof_handler, hanging_and_clamped);
    for (const dealii::types::boundary_id id : clamped)
      dealii::VectorTools::interpolate_boundary_values(
        *mapping, dof_handler, id, dealii::Functions::ZeroFunction<3>(3), hanging_and_clamped);
    hanging_and_clamped.close();

    if (use_matrix_free)
      {
        operator_without_matrix = std::make_unique<MatrixFreeElasticity>(
          dof_handler, *mapping, hanging_and_clamped, clamped, matrix_free_settings);
        return;
      }
    dealii::TrilinosWrappers::SparsityPattern sp(owned, owned, relevant, mpi);
    dealii::DoFTools::make_sparsity_pattern(dof_handler, sp, hanging_and_clamped, false,
                                            dealii::Utilities::MPI::this_mpi_process(mpi));
    sp.compress();
    stiffness.reinit(sp);
  }

  void ElasticSystem::assemble(const MaterialFunction &material)
  {
    material_of_cell = material;
    if (operator_without_matrix)
      {
        operator_without_matrix->set_material(material);
        return;
      }
    stiffness = 0;
    dealii::FEValues<3> fe_values(*mapping, *fe, quadrature,
                                  dealii::update_gradients | dealii::update_JxW_values);
    CellKinematics kinematics;
    dealii::FullMatrix<double> cell_matrix;
    std::vector<dealii::types::global_dof_index> dof_indices(fe->n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          const CellElasticity c = material(cell);
          kinematics.reinit(fe_values, c);
          kinematics.stiffness(fe_values, c, cell_matrix);
          cell->get_dof_indices(dof_indices);
          hanging_and_clamped.distribute_local_to_global(cell_matrix, dof_indices, stiffness);
        }
    stiffness.compress(dealii::VectorOperation::add);
  }

  double ElasticSystem::build_preconditioner(const AmgSettings &settings)
  {
    if (operator_without_matrix)
      return operator_without_matrix->build_preconditioner(settings);
    dealii::Timer timer;
    amg.initialize(stiffness, dof_handler, *mapping, fe->degree > 1, settings);
    return timer.wall_time();
  }

  loads::PlaneSection ElasticSystem::surface_section(const dealii::types::boundary_id surface) const
  {
    dealii::FEFaceValues<3> fv(*mapping, *fe, face_quadrature,
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
    return traction_rhs(
      surface,
      [&traction](const dealii::Point<3> &p, const dealii::Tensor<1, 3> &) { return traction(p); },
      true);
  }

  Vector ElasticSystem::traction_rhs(
    const dealii::types::boundary_id surface,
    const std::function<dealii::Tensor<1, 3>(const dealii::Point<3> &,
                                             const dealii::Tensor<1, 3> &)> &traction,
    const bool condense) const
  {
    Vector rhs = make_owned_vector();
    dealii::FEFaceValues<3> fv(*mapping, *fe, face_quadrature,
                               dealii::update_values | dealii::update_quadrature_points |
                                 dealii::update_normal_vectors | dealii::update_JxW_values);
    const unsigned int n = fe->n_dofs_per_cell();
    dealii::Vector<double> cell_rhs(n);
    std::vector<dealii::types::global_dof_index> dof_indices(n);
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
                    const dealii::Tensor<1, 3> t =
                      traction(fv.quadrature_point(q), fv.normal_vector(q));
                    for (unsigned int i = 0; i < n; ++i)
                      {
                        const unsigned int c = fe->system_to_component_index(i).first;
                        cell_rhs[i] += t[c] * fv.shape_value(i, q) * fv.JxW(q);
                      }
                  }
              }
          if (loaded)
            add_cell_load(cell, cell_rhs, condense, dof_indices, rhs);
        }
    rhs.compress(dealii::VectorOperation::add);
    return rhs;
  }

  void ElasticSystem::add_body_force_rhs(
    const std::function<dealii::Tensor<1, 3>(const CellIterator &)> &density, const bool condense,
    Vector &rhs) const
  {
    dealii::FEValues<3> fv(*mapping, *fe, quadrature,
                           dealii::update_values | dealii::update_JxW_values);
    const unsigned int n = fe->n_dofs_per_cell();
    dealii::Vector<double> cell_rhs(n);
    std::vector<dealii::types::global_dof_index> dof_indices(n);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const dealii::Tensor<1, 3> b = density(cell);
          if (b.norm_square() == 0)
            continue;
          fv.reinit(cell);
          cell_rhs = 0;
          for (unsigned int q = 0; q < fv.n_quadrature_points; ++q)
            for (unsigned int i = 0; i < n; ++i)
              cell_rhs[i] +=
                b[fe->system_to_component_index(i).first] * fv.shape_value(i, q) * fv.JxW(q);
          add_cell_load(cell, cell_rhs, condense, dof_indices, rhs);
        }
    rhs.compress(dealii::VectorOperation::add);
  }

  void ElasticSystem::add_cell_load(const CellIterator &cell,
                                    const dealii::Vector<double> &cell_rhs, const bool condense,
                                    std::vector<dealii::types::global_dof_index> &dof_indices,
                                    Vector &rhs) const
  {
    // Condensed: hanging-node and clamped rows take their share as the constraints say;
    // otherwise the raw nodal loads (for resultants on a cut, which must see every node).
    cell->get_dof_indices(dof_indices);
    if (condense)
      hanging_and_clamped.distribute_local_to_global(cell_rhs, dof_indices, rhs);
    else
      rhs.add(dof_indices, cell_rhs);
  }

  Vector ElasticSystem::internal_forces(const Vector &ghosted_solution,
                                        const bool finite_strain) const
  {
    Vector forces = make_owned_vector();
    dealii::FEValues<3> fe_values(*mapping, *fe, quadrature,
                                  dealii::update_gradients | dealii::update_JxW_values);
    CellKinematics kinematics;
    dealii::FullMatrix<double> k;
    const unsigned int n = fe->n_dofs_per_cell();
    dealii::Vector<double> u(n), f(n);
    std::vector<dealii::types::global_dof_index> dof_indices(n);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          const CellElasticity c = material_of_cell(cell);
          cell->get_dof_values(ghosted_solution, u);
          if (finite_strain)
            hyperelastic_cell(fe_values, c, u, &f, nullptr);
          else
            {
              kinematics.reinit(fe_values, c);
              kinematics.stiffness(fe_values, c, k);
              k.vmult(f, u);
            }
          cell->get_dof_indices(dof_indices);
          forces.add(dof_indices, f);
        }
    forces.compress(dealii::VectorOperation::add);
    Vector ghosted = make_ghosted_vector();
    ghosted = forces;
    return ghosted;
  }

  SolveReport ElasticSystem::solve(const Vector &rhs, Vector &ghosted_solution,
                                   const double tolerance, const unsigned int max_iterations,
                                   const bool use_initial_guess) const
  {
    dealii::Timer timer;
    SolveReport report;
    report.initial_residual = rhs.l2_norm();
    if (!std::isfinite(report.initial_residual))
      throw std::runtime_error("the load vector contains NaN or infinity");
    Vector x = make_owned_vector();
    if (use_initial_guess)
      x = ghosted_solution;
    if (report.initial_residual == 0)
      {
        ghosted_solution = x;
        return report;
      }
    InterruptibleControl control(max_iterations, tolerance * report.initial_residual,
                                 interruption);
    dealii::SolverCG<Vector> cg(control);
    try
      {
        if (operator_without_matrix)
          cg.solve(MatrixFreeStiffness{*operator_without_matrix}, x, rhs,
                   MatrixFreePreconditioner{*operator_without_matrix});
        else
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
    if (operator_without_matrix)
      operator_without_matrix->vmult(r, x);
    else
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
