#include "adaptation/stimulus_filter.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_sparsity_pattern.h>
#include <deal.II/lac/trilinos_vector.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace bonefusion::adaptation
{
  struct StimulusFilter::Implementation
  {
    Implementation(const dealii::Triangulation<3> &tria, double length);
    ~Implementation() { dof_handler.clear(); }

    const dealii::Triangulation<3> &tria;
    double length;
    MPI_Comm mpi = MPI_COMM_SELF;
    std::unique_ptr<dealii::FiniteElement<3>> fe;
    std::unique_ptr<dealii::Mapping<3>> mapping;
    dealii::DoFHandler<3> dof_handler;
    dealii::IndexSet owned, relevant;
    dealii::AffineConstraints<double> constraints;
    dealii::TrilinosWrappers::SparseMatrix matrix;
    dealii::TrilinosWrappers::PreconditionAMG amg;
    // Per locally owned cell, in DoFHandler order: int phi_i over the cell and the volume.
    std::vector<double> shape_integrals;
    std::vector<double> volumes;
    unsigned int iterations = 0;
  };

  StimulusFilter::Implementation::Implementation(const dealii::Triangulation<3> &triangulation,
                                                 const double l)
    : tria(triangulation)
    , length(l)
    , dof_handler(triangulation)
  {
    if (const auto *p = dynamic_cast<const dealii::parallel::TriangulationBase<3> *>(&tria))
      mpi = p->get_communicator();
    dealii::Quadrature<3> quadrature;
    if (tria.all_reference_cells_are_hyper_cube())
      {
        fe = std::make_unique<dealii::FE_Q<3>>(1);
        mapping = std::make_unique<dealii::MappingQ<3>>(1);
        quadrature = dealii::QGauss<3>(2); // exact for the Q1 x Q1 mass matrix
      }
    else if (tria.all_reference_cells_are_simplex())
      {
        fe = std::make_unique<dealii::FE_SimplexP<3>>(1);
        mapping = std::make_unique<dealii::MappingFE<3>>(dealii::FE_SimplexP<3>(1));
        quadrature = dealii::QGaussSimplex<3>(2); // exact to degree 3
      }
    else
      throw std::runtime_error("StimulusFilter: meshes that mix hexahedra and tetrahedra are "
                               "not supported");

    dof_handler.distribute_dofs(*fe);
    owned = dof_handler.locally_owned_dofs();
    dealii::DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
    constraints.reinit(relevant);
    dealii::DoFTools::make_hanging_node_constraints(dof_handler, constraints);
    constraints.close();

    dealii::TrilinosWrappers::SparsityPattern sp(owned, owned, relevant, mpi);
    dealii::DoFTools::make_sparsity_pattern(dof_handler, sp, constraints, false,
                                            dealii::Utilities::MPI::this_mpi_process(mpi));
    sp.compress();
    matrix.reinit(sp);

    dealii::FEValues<3> fe_values(*mapping, *fe, quadrature,
                                  dealii::update_values | dealii::update_gradients |
                                    dealii::update_JxW_values);
    const unsigned int n = fe->n_dofs_per_cell();
    dealii::FullMatrix<double> cell_matrix(n, n);
    std::vector<dealii::types::global_dof_index> dof_indices(n);
    const double l2 = length * length;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          cell_matrix = 0;
          double volume = 0;
          const std::size_t offset = shape_integrals.size();
          shape_integrals.resize(offset + n, 0.0);
          for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
            {
              const double JxW = fe_values.JxW(q);
              volume += JxW;
              for (unsigned int i = 0; i < n; ++i)
                {
                  shape_integrals[offset + i] += fe_values.shape_value(i, q) * JxW;
                  for (unsigned int j = 0; j < n; ++j)
                    cell_matrix(i, j) +=
                      (l2 * fe_values.shape_grad(i, q) * fe_values.shape_grad(j, q) +
                       fe_values.shape_value(i, q) * fe_values.shape_value(j, q)) *
                      JxW;
                }
            }
          volumes.push_back(volume);
          cell->get_dof_indices(dof_indices);
          constraints.distribute_local_to_global(cell_matrix, dof_indices, matrix);
        }
    matrix.compress(dealii::VectorOperation::add);

    dealii::TrilinosWrappers::PreconditionAMG::AdditionalData data;
    data.elliptic = true;
    data.higher_order_elements = false;
    data.smoother_sweeps = 2;
    amg.initialize(matrix, data);
  }

  StimulusFilter::StimulusFilter(const dealii::Triangulation<3> &tria, const double length_mm)
  {
    if (!(length_mm >= 0) || !std::isfinite(length_mm))
      throw std::invalid_argument("StimulusFilter: the length must be >= 0 mm, got " +
                                  std::to_string(length_mm));
    if (length_mm > 0)
      impl = std::make_unique<Implementation>(tria, length_mm);
  }

  StimulusFilter::~StimulusFilter() = default;

  double StimulusFilter::length() const
  {
    return impl ? impl->length : 0.0;
  }

  unsigned int StimulusFilter::last_iterations() const
  {
    return impl ? impl->iterations : 0;
  }

  void StimulusFilter::apply(const std::vector<double> &cell_values,
                             std::vector<double> &smoothed) const
  {
    if (!impl)
      {
        smoothed = cell_values;
        return;
      }
    Implementation &f = *impl;
    if (cell_values.size() < f.tria.n_active_cells())
      throw std::invalid_argument("StimulusFilter::apply: " + std::to_string(cell_values.size()) +
                                  " values for " + std::to_string(f.tria.n_active_cells()) +
                                  " active cells");
    using Vector = dealii::TrilinosWrappers::MPI::Vector;
    Vector rhs(f.owned, f.mpi), solution(f.owned, f.mpi);
    const unsigned int n = f.fe->n_dofs_per_cell();
    dealii::Vector<double> cell_rhs(n);
    std::vector<dealii::types::global_dof_index> dof_indices(n);
    std::size_t k = 0;
    for (const auto &cell : f.dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const double s = cell_values[cell->active_cell_index()];
          for (unsigned int i = 0; i < n; ++i)
            cell_rhs[i] = s * f.shape_integrals[k * n + i];
          cell->get_dof_indices(dof_indices);
          f.constraints.distribute_local_to_global(cell_rhs, dof_indices, rhs);
          ++k;
        }
    rhs.compress(dealii::VectorOperation::add);

    f.iterations = 0;
    const double norm = rhs.l2_norm();
    if (norm > 0)
      {
        dealii::SolverControl control(1000, 1e-12 * norm);
        dealii::SolverCG<Vector> cg(control);
        try
          {
            cg.solve(f.matrix, solution, rhs, f.amg);
          }
        catch (const dealii::SolverControl::NoConvergence &e)
          {
            throw std::runtime_error("StimulusFilter: CG + AMG did not converge (residual " +
                                     std::to_string(e.last_residual) + " after " +
                                     std::to_string(e.last_step) + " iterations)");
          }
        f.iterations = control.last_step();
      }
    f.constraints.distribute(solution);
    Vector ghosted(f.owned, f.relevant, f.mpi);
    ghosted = solution;

    smoothed = cell_values;
    dealii::Vector<double> local(n);
    k = 0;
    for (const auto &cell : f.dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_values(ghosted, local);
          double integral = 0;
          for (unsigned int i = 0; i < n; ++i)
            integral += local[i] * f.shape_integrals[k * n + i];
          smoothed[cell->active_cell_index()] = integral / f.volumes[k];
          ++k;
        }
  }
} // namespace bonefusion::adaptation
