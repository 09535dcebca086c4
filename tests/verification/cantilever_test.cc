// Requirement: a clamped cantilever under a tip shear load deflects as Timoshenko beam theory
// predicts — Q2 tip deflection within 2 %; Q1 approaches it monotonically with refinement.
//
// The problem. A steel-like beam, L = 100 mm along x, square section b = h = 10 mm (y, z),
// E = 200 000 MPa, nu = 0.3, the end face x = 0 clamped (all components), the end face x = L
// loaded by a uniform shear traction t = -P / A e_z with P = 100 N. Measured: the tip
// deflection, the average of -u_z over the end face x = L.
//
// The reference. Timoshenko beam theory for a cantilever with an end load:
//   delta = P L^3 / (3 E I) + P L / (kappa G A),   I = b h^3 / 12, A = b h, G = E / (2 (1 + nu)),
// with Cowper's (1966) shear coefficient for a rectangle, kappa = 10 (1 + nu) / (12 + 11 nu)
// = 0.8497 (5/6 = 0.8333 changes delta by 0.01 %; the shear term is 0.77 % of delta here).
// delta = 0.201530 mm (Euler-Bernoulli alone 0.2 mm).
// Not exact for the 3-D body: the clamp holds the whole end section, so it suppresses the
// Poisson contraction and the warping of the section next to the wall (the theory's "zero
// rotation of the centroidal axis" is only one of several ways to read a clamp), and the
// uniform end traction is not the parabolic shear flow of the theory. These are local
// (Saint-Venant) effects of order h / L. Measured: Q2 converges to 0.69 % below Timoshenko
// (-1.42, -0.90, -0.74, -0.69 % on 1, 2, 4, 8 cells through the depth; Richardson
// extrapolation about -0.67 %), i.e. between Euler-Bernoulli (-0.76 %) and Timoshenko: the
// clamp takes back most of the shear deflection. Tolerance 2 % (the brief's): three times the
// measured model difference, while a wrong second moment of area or a missing factor in the
// load would be off by tens of per cent.
//
// Meshes: cubes of edge L / nx with nx = 10, 20, 40, 80 (Q2) and 10, ..., 160 (Q1), i.e.
// 1 to 16 cells through the depth (largest: 139 587 DoFs). Standard (fully integrated) Q1
// hexahedra are too stiff in bending (shear locking) and approach the answer from below
// (-35.7, -13.1, -4.3, -1.6, -0.9 %); their error against Timoshenko must shrink at every
// refinement (asserted; no value is asserted for Q1).
// Solved with the library's ElasticSystem (clamp, traction_rhs, CG + AMG, rel. tol. 1e-10).
#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/grid/grid_generator.h>

#include "materials/linear_isotropic.h"
#include "mechanics/elastic_system.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>

namespace
{
  using namespace bonefusion;

  constexpr double L = 100.0, b = 10.0, h = 10.0;                  // [mm]
  constexpr double E = 200000.0, nu = 0.3;                         // [MPa], [-]
  constexpr double P = 100.0;                                      // tip shear force [N]
  constexpr dealii::types::boundary_id clamped_id = 0, tip_id = 1; // colorized x faces
  constexpr double tolerance = 0.02;

  double area()
  {
    return b * h;
  }
  double inertia()
  {
    return b * h * h * h / 12.0;
  }
  double shear_modulus()
  {
    return E / (2.0 * (1.0 + nu));
  }
  double cowper_kappa()
  {
    return 10.0 * (1.0 + nu) / (12.0 + 11.0 * nu);
  }
  double euler_bernoulli()
  {
    return P * L * L * L / (3.0 * E * inertia());
  }
  double timoshenko()
  {
    return euler_bernoulli() + P * L / (cowper_kappa() * shear_modulus() * area());
  }

  struct Result
  {
    double deflection = 0; // average -u_z over the tip face [mm]
    dealii::types::global_dof_index dofs = 0;
    unsigned int iterations = 0;
    double seconds = 0;
    double error() const { return deflection / timoshenko() - 1; }
  };

  Result run(const unsigned int degree, const unsigned int nx)
  {
    const MPI_Comm mpi = MPI_COMM_WORLD;
    dealii::parallel::distributed::Triangulation<3> tria(mpi);
    const unsigned int n_section = nx / 10;
    dealii::GridGenerator::subdivided_hyper_rectangle(tria, {nx, n_section, n_section},
                                                      dealii::Point<3>(0, -b / 2, -h / 2),
                                                      dealii::Point<3>(L, b / 2, h / 2), true);

    mechanics::ElasticSystem system(tria, degree);
    system.setup({clamped_id});
    const materials::LinearIsotropic law{E, nu};
    const mechanics::CellElasticity c{law.mu(), law.bulk_modulus(), false};
    system.assemble([&](const mechanics::CellIterator &) { return c; });
    system.build_preconditioner();
    const mechanics::Vector rhs = system.traction_rhs(tip_id, [](const dealii::Point<3> &) {
      return dealii::Tensor<1, 3>({0, 0, -P / area()});
    });
    mechanics::Vector u = system.make_ghosted_vector();
    const mechanics::SolveReport report = system.solve(rhs, u, 1e-10, 5000);

    // Average of u_z over the tip face.
    const dealii::QGauss<2> face_quadrature(degree + 2);
    dealii::FEFaceValues<3> fv(system.map(), system.element(), face_quadrature,
                               dealii::update_values | dealii::update_JxW_values);
    const dealii::FEValuesExtractors::Scalar u_z(2);
    std::vector<double> values(face_quadrature.size());
    double sums[2] = {0, 0}; // integral of u_z, area
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int f : cell->face_indices())
          if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == tip_id)
            {
              fv.reinit(cell, f);
              fv[u_z].get_function_values(u, values);
              for (unsigned int q = 0; q < face_quadrature.size(); ++q)
                {
                  sums[0] += values[q] * fv.JxW(q);
                  sums[1] += fv.JxW(q);
                }
            }
    dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums, 2), mpi,
                                dealii::ArrayView<double>(sums, 2));
    Result r;
    r.deflection = -sums[0] / sums[1];
    r.dofs = system.dofs().n_dofs();
    r.iterations = report.iterations;
    r.seconds = report.seconds;
    return r;
  }

  class Cantilever : public ::testing::Test
  {
  protected:
    static const Result &result(const unsigned int degree, const unsigned int nx)
    {
      const auto key = std::make_pair(degree, nx);
      if (const auto it = results.find(key); it != results.end())
        return it->second;
      return results.emplace(key, run(degree, nx)).first->second;
    }

    static void TearDownTestSuite()
    {
      if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
        {
          std::cout << "\nCantilever L = " << L << " mm, " << b << " x " << h << " mm, E = " << E
                    << " MPa, nu = " << nu << ", P = " << P << " N\n"
                    << std::setprecision(6) << "  Timoshenko (Cowper kappa = " << cowper_kappa()
                    << ") " << timoshenko() << " mm, Euler-Bernoulli " << euler_bernoulli()
                    << " mm\n"
                    << "  element  cells         DoFs    tip deflection [mm]  vs Timoshenko  "
                       "CG its\n";
          for (const auto &[key, r] : results)
            std::cout << "  Q" << key.first << "       " << std::setw(3) << key.second << " x "
                      << std::setw(2) << key.second / 10 << " x " << std::setw(2) << key.second / 10
                      << std::setw(9) << r.dofs << std::setw(15) << std::setprecision(6)
                      << r.deflection << std::fixed << std::setprecision(2) << std::setw(19)
                      << 100 * r.error() << " %" << std::setw(8) << r.iterations
                      << std::defaultfloat << "\n";
          std::cout << std::endl;
        }
      results.clear();
    }

    static std::map<std::pair<unsigned int, unsigned int>, Result> results;
  };
  std::map<std::pair<unsigned int, unsigned int>, Result> Cantilever::results;

  TEST_F(Cantilever, Q2TipDeflectionMatchesTimoshenko)
  {
    for (const unsigned int nx : {10u, 20u, 40u, 80u})
      EXPECT_LT(std::abs(result(2, nx).error()), tolerance)
        << "Q2, " << nx << " cells along: " << result(2, nx).deflection << " mm, Timoshenko "
        << timoshenko() << " mm";
    // The remaining difference is the 3-D clamp, not the discretisation: Q2 has converged.
    EXPECT_LT(std::abs(result(2, 80).deflection / result(2, 40).deflection - 1), 2e-3);
  }

  TEST_F(Cantilever, Q1ApproachesTimoshenkoMonotonically)
  {
    double previous = 1e30;
    for (const unsigned int nx : {10u, 20u, 40u, 80u, 160u})
      {
        const double error = std::abs(result(1, nx).error());
        EXPECT_LT(error, previous) << "Q1 error did not shrink at " << nx << " cells along";
        // Shear locking: too stiff, from below.
        EXPECT_LT(result(1, nx).deflection, timoshenko());
        previous = error;
      }
  }
} // namespace
