// Requirement: a linear displacement field is reproduced exactly on distorted hexahedra — nodal
// values and the constant stress C:sym(A) at every quadrature point to < 1e-10 relative, for Q1
// and Q2, standard and B-bar.
//
// The problem (displacement patch test, MacNeal & Harder 1985 in spirit). The unit cube
// [0, 1]^3 mm is cut into 3 x 3 x 3 hexahedra; each of the 8 interior vertices is moved by an
// independent uniform random amount in [-0.2 h, 0.2 h] in each direction (h = 1/3 mm,
// std::mt19937 with a fixed seed, so every rank and every run builds the same mesh). Every cell
// has at least one moved vertex, so all 27 are genuinely distorted (non-parallelepiped).
// The whole boundary gets u = A x + c with a general (non-symmetric) A, i.e. a rigid motion plus
// a uniform strain sym(A); there is no body force and one material (E = 1000 MPa, nu = 0.3).
//
// The exact solution is u = A x + c everywhere, with the constant stress
//   sigma = 2 mu dev sym(A) + K tr(A) I.
// Both elements can represent it on a trilinear (MappingQ(1)) mesh: x is trilinear in the
// reference coordinates, so A x + c lies in Q1 and Q2 of the mapped cell. B-bar replaces the
// dilatation by its cell mean, which for a linear field is the same constant tr(A). Hence the
// discrete solution must equal the exact one up to round-off: the interior nodes (unknowns)
// must land on A x + c and the stress at every quadrature point of every cell must be sigma.
// Tolerance 1e-10 relative: the system is solved with a direct solver (KLU), so the only error
// is floating point (measured <= 2e-15 for nodal values, <= 4e-13 for stress).
//
// Inhomogeneous Dirichlet data are not available in the library's ElasticSystem (it can only
// clamp); the test uses verification::DirichletElasticity, which assembles the library's
// element matrices (mechanics::CellKinematics) with inhomogeneous AffineConstraints.
#include <deal.II/base/function.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/grid/grid_generator.h>

#include "materials/linear_isotropic.h"
#include "verification_fixtures.h"

#include <gtest/gtest.h>

#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>

namespace
{
  using namespace bonefusion;

  constexpr unsigned int cells_per_side = 3;
  constexpr double h = 1.0 / cells_per_side; // [mm]
  constexpr double distortion = 0.2;         // largest vertex move per direction, fraction of h
  constexpr double tolerance = 1e-10;        // relative, round-off only

  /** u = A x + c [mm]: rigid rotation + uniform strain + translation. */
  class AffineDisplacement : public dealii::Function<3>
  {
  public:
    AffineDisplacement()
      : dealii::Function<3>(3)
    {
      const double entries[3][3] = {
        {1.0e-3, 4.0e-4, -7.0e-4}, {-2.5e-4, -3.0e-4, 6.0e-4}, {8.0e-4, 1.5e-4, 5.0e-4}};
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int j = 0; j < 3; ++j)
          A[i][j] = entries[i][j];
      c = dealii::Tensor<1, 3>({0.01, -0.02, 0.03});
    }
    dealii::Tensor<1, 3> vector(const dealii::Point<3> &x) const { return A * x + c; }
    double value(const dealii::Point<3> &x, const unsigned int component) const override
    {
      return vector(x)[component];
    }
    dealii::Tensor<2, 3> A;
    dealii::Tensor<1, 3> c;
  };

  /** The 3 x 3 x 3 cube with its interior vertices moved (same on every rank). */
  void make_distorted_cube(dealii::parallel::distributed::Triangulation<3> &tria)
  {
    dealii::Triangulation<3> serial;
    dealii::GridGenerator::subdivided_hyper_cube(serial, cells_per_side, 0.0, 1.0);
    std::mt19937 random(20240611); // mt19937's output sequence is fixed by the standard
    std::vector<bool> moved(serial.n_vertices(), false);
    for (const auto &cell : serial.active_cell_iterators())
      for (const unsigned int v : cell->vertex_indices())
        {
          dealii::Point<3> &x = cell->vertex(v);
          bool interior = true;
          for (unsigned int d = 0; d < 3; ++d)
            interior = interior && x[d] > 1e-12 && x[d] < 1 - 1e-12;
          if (!interior || moved[cell->vertex_index(v)])
            continue;
          moved[cell->vertex_index(v)] = true;
          for (unsigned int d = 0; d < 3; ++d)
            x[d] += distortion * h * (2.0 * random() / 4294967296.0 - 1.0);
        }
    tria.copy_triangulation(serial);
  }

  struct PatchResult
  {
    double nodal_error = 0;  ///< max |u_h - u| at the support points / max |u|
    double stress_error = 0; ///< max |sigma_h - sigma| (Frobenius) / |sigma| over all points
    double distortion = 0;   ///< largest vertex move found / h (is the mesh really distorted?)
  };

  PatchResult run_patch_test(const unsigned int degree, const bool b_bar)
  {
    const MPI_Comm mpi = MPI_COMM_WORLD;
    dealii::parallel::distributed::Triangulation<3> tria(mpi);
    make_distorted_cube(tria);
    const dealii::FESystem<3> fe(dealii::FE_Q<3>(degree), 3);
    dealii::DoFHandler<3> dofs(tria);
    dofs.distribute_dofs(fe);

    const AffineDisplacement exact;
    const materials::LinearIsotropic law{1000.0, 0.3};
    const mechanics::CellElasticity c{law.mu(), law.bulk_modulus(), b_bar};
    const dealii::SymmetricTensor<2, 3> exact_stress =
      mechanics::stress(c, dealii::symmetrize(exact.A));

    verification::DirichletElasticity problem(dofs, mpi);
    problem.setup({{0, &exact, dealii::ComponentMask()}});
    problem.assemble([&](const mechanics::CellIterator &) { return c; }, {});
    problem.solve(verification::LinearSolver::direct);
    const mechanics::Vector &u = problem.solution();

    PatchResult result;
    const std::vector<dealii::Point<3>> &unit_points = fe.get_unit_support_points();
    const dealii::QGauss<3> quadrature(degree + 1);
    dealii::FEValues<3> fe_values(problem.map(), fe, quadrature,
                                  dealii::update_gradients | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::Vector<double> local(fe.n_dofs_per_cell());
    double max_u = 0, max_nodal = 0, max_stress = 0, max_move = 0;
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_values(u, local);
          for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
            {
              const unsigned int comp = fe.system_to_component_index(i).first;
              const dealii::Point<3> x =
                problem.map().transform_unit_to_real_cell(cell, unit_points[i]);
              max_nodal = std::max(max_nodal, std::abs(local[i] - exact.value(x, comp)));
              max_u = std::max(max_u, std::abs(exact.value(x, comp)));
            }
          for (const unsigned int v : cell->vertex_indices())
            for (unsigned int d = 0; d < 3; ++d)
              {
                const double grid = std::round(cell->vertex(v)[d] / h) * h;
                max_move = std::max(max_move, std::abs(cell->vertex(v)[d] - grid) / h);
              }
          fe_values.reinit(cell);
          kinematics.reinit(fe_values, b_bar);
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              const dealii::SymmetricTensor<2, 3> sigma =
                mechanics::stress(c, kinematics.strain(q, local));
              max_stress = std::max(max_stress, (sigma - exact_stress).norm());
            }
        }
    result.nodal_error =
      dealii::Utilities::MPI::max(max_nodal, mpi) / dealii::Utilities::MPI::max(max_u, mpi);
    result.stress_error = dealii::Utilities::MPI::max(max_stress, mpi) / exact_stress.norm();
    result.distortion = dealii::Utilities::MPI::max(max_move, mpi);
    return result;
  }

  class PatchTest : public ::testing::TestWithParam<std::tuple<unsigned int, bool>>
  {
  };

  TEST_P(PatchTest, LinearFieldAndConstantStressAreExact)
  {
    const auto [degree, b_bar] = GetParam();
    const PatchResult r = run_patch_test(degree, b_bar);
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      std::cout << "  Q" << degree << (b_bar ? " B-bar   " : " standard") << std::scientific
                << std::setprecision(2) << "  max nodal error / max |u| = " << r.nodal_error
                << "  max stress error / |sigma| = " << r.stress_error << std::defaultfloat
                << "  (largest vertex move " << std::setprecision(3) << r.distortion << " h)\n";
    // The mesh must really be distorted, otherwise the test proves little.
    EXPECT_GT(r.distortion, 0.1);
    EXPECT_LT(r.nodal_error, tolerance);
    EXPECT_LT(r.stress_error, tolerance);
  }

  INSTANTIATE_TEST_SUITE_P(Elements, PatchTest,
                           ::testing::Combine(::testing::Values(1u, 2u),
                                              ::testing::Values(false, true)),
                           [](const ::testing::TestParamInfo<PatchTest::ParamType> &info) {
                             return "Q" + std::to_string(std::get<0>(info.param)) +
                                    (std::get<1>(info.param) ? "_BBar" : "_Standard");
                           });
} // namespace
