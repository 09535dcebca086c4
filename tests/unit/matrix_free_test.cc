// The matrix-free Q2 operator against the assembled Q2 stiffness: the same matrix (applied to
// a vector) and the same solution, on a block with every kind of cell the model has (stiff
// and soft isotropic, nearly incompressible B-bar, fibre-reinforced, sliding plane, oblique
// joint in a pad, closed and open).
// Runs serially and, as unit.matrix_free.np2, on two MPI ranks.
#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>

#include "mechanics/elastic_system.h"
#include "mechanics/matrix_free_elasticity.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
  using namespace bonefusion::mechanics;
  using dealii::Point;

  constexpr dealii::types::boundary_id bottom = 4, top = 5; // colorized hyper-rectangle

  void make_block(dealii::parallel::distributed::Triangulation<3> &tria)
  {
    dealii::GridGenerator::subdivided_hyper_rectangle(tria, {3, 2, 4}, Point<3>(0, 0, 0),
                                                      Point<3>(3, 2, 4), true);
    tria.refine_global(1);
  }

  /** Four layers: bone, a nearly incompressible disc (half of it fibre-reinforced), a cage
   *  layer that half slides and half is (with_joint) a soft pad holding a joint, and a
   *  titanium cap. */
  CellElasticity block_material(const CellIterator &cell, const bool with_joint)
  {
    const Point<3> c = cell->center();
    CellElasticity e;
    const auto isotropic = [&e](const double E, const double nu) {
      e.mu = E / (2 * (1 + nu));
      e.kappa = E / (3 * (1 - 2 * nu));
    };
    if (c[2] < 1)
      isotropic(12000, 0.3);
    else if (c[2] < 2)
      {
        isotropic(8, 0.49);
        e.b_bar = true;
        if (c[0] < 1.5)
          {
            dealii::Tensor<1, 3> a({1.0, 0.0, 1.0});
            a /= a.norm();
            e.fibres[0].projector = dealii::symmetrize(dealii::outer_product(a, a));
            e.fibres[0].stiffness = 50;
          }
      }
    else if (c[2] < 3)
      {
        isotropic(3600, 0.35);
        if (c[0] > 1.5)
          {
            e.sliding.normal = dealii::Tensor<1, 3>({0.0, 0.0, 1.0});
            e.sliding.shear_fraction = 1e-3;
          }
        else if (with_joint)
          {
            // An oblique joint in a soft pad, closed (c[1] < 1) or open: its closure is a
            // cell mean either way.
            isotropic(1.2, 0.4);
            const double angle = 50 * dealii::numbers::PI / 180;
            const dealii::Tensor<1, 3> n({-std::cos(angle), -std::sin(angle), 0.0});
            const dealii::Tensor<1, 3> z({0.0, 0.0, 1.0});
            e.joint.across_layer(z, n);
            e.joint.stiffness = c[1] < 1 ? 154.0 : 0.0;
          }
      }
    else
      isotropic(110000, 0.3);
    return e;
  }

  double max_abs(const Vector &v)
  {
    return v.linfty_norm();
  }
} // namespace

TEST(MatrixFree, OperatorEqualsAssembledMatrix)
{
  dealii::parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
  make_block(tria);
  ElasticSystem assembled(tria, 2);
  assembled.setup({bottom});
  const auto material = [](const CellIterator &cell) { return block_material(cell, true); };
  assembled.assemble(material);

  MatrixFreeElasticity without_matrix(assembled.dofs(), assembled.map(), assembled.constraints(),
                                      {bottom}, MatrixFreeSettings());
  without_matrix.set_material(material);

  // A deterministic, non-smooth vector, zero on the clamped DoFs.
  Vector x = assembled.make_owned_vector();
  for (const auto i : assembled.dofs().locally_owned_dofs())
    x[i] = assembled.constraints().is_constrained(i) ? 0.0 : std::sin(1.7 * i) + 0.3;
  x.compress(dealii::VectorOperation::insert);
  Vector y_matrix = assembled.make_owned_vector(), y_free = assembled.make_owned_vector();
  assembled.matrix().vmult(y_matrix, x);
  without_matrix.vmult(y_free, x);

  double largest = 0, difference = 0;
  for (const auto i : assembled.dofs().locally_owned_dofs())
    if (!assembled.constraints().is_constrained(i))
      {
        largest = std::max(largest, std::abs(y_matrix[i]));
        difference = std::max(difference, std::abs(y_matrix[i] - y_free[i]));
      }
  largest = dealii::Utilities::MPI::max(largest, MPI_COMM_WORLD);
  difference = dealii::Utilities::MPI::max(difference, MPI_COMM_WORLD);
  ASSERT_GT(largest, 1e3); // the test vector does load the stiff layers
  EXPECT_LT(difference / largest, 1e-12);
}

TEST(MatrixFree, SameSolutionAsAssembledStiffness)
{
  dealii::parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
  make_block(tria);
  MatrixFreeSettings settings;
  ElasticSystem assembled(tria, 2), without_matrix(tria, 2, &settings);
  // Compression with shear on the titanium cap: every layer and the sliding plane work.
  const auto traction = [](const Point<3> &p) {
    return dealii::Tensor<1, 3>({0.2, 0.1 * p[0], -1.0});
  };
  std::array<Vector, 2> solutions;
  std::array<unsigned int, 2> iterations{};
  unsigned int k = 0;
  for (ElasticSystem *system : {&assembled, &without_matrix})
    {
      system->setup({bottom});
      // Without the joint pad: its 1 MPa capsule under a 110 GPa cap makes the iteration
      // counts below a test of conditioning rather than of the preconditioner.
      system->assemble([](const CellIterator &cell) { return block_material(cell, false); });
      system->build_preconditioner();
      const Vector rhs = system->traction_rhs(top, traction);
      solutions[k] = system->make_ghosted_vector();
      const SolveReport report = system->solve(rhs, solutions[k], 1e-11, 500);
      EXPECT_LT(report.final_residual, 1e-10 * report.initial_residual * 10);
      iterations[k++] = report.iterations;
    }
  EXPECT_TRUE(without_matrix.matrix_free());
  EXPECT_FALSE(assembled.matrix_free());
  EXPECT_GT(without_matrix.n_coarse_dofs(), 0u);
  Vector difference = assembled.make_owned_vector(), reference = assembled.make_owned_vector();
  reference = solutions[0];
  difference = solutions[1];
  difference -= reference;
  ASSERT_GT(max_abs(reference), 1e-4);
  EXPECT_LT(max_abs(difference) / max_abs(reference), 1e-8);
  // The p-multigrid preconditioner works: measured 72 iterations to 1e-11 (assembled AMG
  // 126); plain Jacobi-preconditioned CG needs several hundred here.
  EXPECT_LT(iterations[1], 100u) << "assembled AMG: " << iterations[0];
}

TEST(MatrixFree, RejectsQ1)
{
  dealii::parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
  make_block(tria);
  MatrixFreeSettings settings;
  ElasticSystem linear(tria, 1, &settings);
  EXPECT_THROW(linear.setup({bottom}), std::runtime_error);
}
