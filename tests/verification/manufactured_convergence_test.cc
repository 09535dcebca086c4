// Requirement: on a two-material body the FE error converges at the optimal rates — L2 rate
// p + 1 and H1-seminorm rate p (within 0.15, on each of the last two refinements) for Q1 and Q2.
//
// The problem. Unit cube (0, 1)^3 mm, two materials bonded at the mesh plane x = 1/2:
// E_0 = 1 000 MPa for x < 1/2 (material id 0), E_1 = 10 000 MPa for x > 1/2 (id 1), nu = 0.3
// in both. Displacement prescribed on the whole boundary, body force per material.
//
// The exact solution (manufactured so that no interface load is needed). With s = x - 1/2 and
// k_i = E_0 / E_i (1 and 0.1), material i has u(x) = F(k_i s, y, z) for one smooth field F:
//   F_x = 0.05 sin(2t) cos(1.3y) sin(0.9z + 0.4),
//   F_y = 0.04 G(t) sin(pi y) cos(pi z),   F_z = -0.04 G(t) cos(pi y) sin(pi z),
//   G(t) = cos(1.5t) + 0.8 sin(2.5t).
// At the interface (t = 0) both sides equal F(0, y, z): displacement is continuous. The
// traction sigma e_x is continuous as well, because (i) F_x(0, y, z) = 0, so d_y u_x =
// d_z u_x = 0 on the interface, (ii) d_y F_y + d_z F_z = 0 identically, so lambda (eps_yy +
// eps_zz) vanishes, and (iii) the remaining terms (lambda + 2 mu) d_x u_x and mu d_x u_y,
// mu d_x u_z carry the factor E_i k_i = E_0 on both sides (same nu). So the piecewise field
// is the exact solution of the bonded problem with body force f_i = -div sigma_i computed per
// material from exact second derivatives (verification::SineField) and no interface load.
// It is smooth in each material and only has a kink (strain jump) at x = 1/2, which is a mesh
// plane for 2, 4, 8 and 16 cells per side, so the optimal rates apply. The test first checks
// these properties numerically (continuity, traction continuity, f against a finite-difference
// divergence of the stress), so a mistake in the construction cannot hide behind the rates.
//
// Discretisation: nodal interpolation of the exact boundary values, QGauss(p + 1), CG + AMG
// to a relative residual of 1e-12 (far below the discretisation error); errors with
// QGauss(p + 4). Rates from consecutive meshes, rate = log2(e_2h / e_h).
// Tolerance 0.15 on the rates (the brief's), asserted on the last two refinements (4 -> 8 and
// 8 -> 16 cells): asymptotic there (measured in docs/verification.md).
// Output: convergence_np<N>.csv in the working directory (plotted by
// postprocess/plot_convergence.py into docs/images/convergence.png).
#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/grid/grid_generator.h>

#include "materials/linear_isotropic.h"
#include "verification_fixtures.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

namespace
{
  using namespace bonefusion;
  using verification::SineField;
  using verification::SineTerm;

  constexpr double interface_x = 0.5;             // [mm]
  constexpr double youngs[2] = {1000.0, 10000.0}; // [MPa], x < 1/2 and x > 1/2
  constexpr double poisson = 0.3;
  constexpr double rate_tolerance = 0.15;
  const std::vector<unsigned int> cells_per_side = {2, 4, 8, 16};

  /** F(t, y, z) as terms in (t, y, z): {component, coefficient, omega, phase}. */
  std::vector<SineTerm> reference_terms()
  {
    const double pi = M_PI, half = M_PI_2;
    return {
      {0, 0.05, {2.0, 1.3, 0.9}, {0, half, 0.4}}, {1, 0.04, {1.5, pi, pi}, {half, 0, half}},
      {1, 0.032, {2.5, pi, pi}, {0, 0, half}},    {2, -0.04, {1.5, pi, pi}, {half, half, 0}},
      {2, -0.032, {2.5, pi, pi}, {0, half, 0}},
    };
  }

  /** Material i's field u(x) = F(k_i (x - 1/2), y, z) as a SineField in x. */
  SineField field_of_material(const unsigned int i)
  {
    const double k = youngs[0] / youngs[i];
    SineField u;
    for (SineTerm t : reference_terms())
      {
        // sin(omega t + phi) with t = k (x - 1/2)  ->  sin(omega k x + phi - omega k / 2)
        t.phase[0] -= t.omega[0] * k * interface_x;
        t.omega[0] *= k;
        u.add(t);
      }
    return u;
  }

  struct Material
  {
    double lambda, mu;
    mechanics::CellElasticity elasticity;
  };

  Material material(const unsigned int i)
  {
    const materials::LinearIsotropic law{youngs[i], poisson};
    return {
      law.bulk_modulus() - 2.0 / 3.0 * law.mu(), law.mu(), {law.mu(), law.bulk_modulus(), false}};
  }

  /** The piecewise exact field as a Function (for the boundary values). */
  class PiecewiseExact : public dealii::Function<3>
  {
  public:
    PiecewiseExact()
      : dealii::Function<3>(3)
      , fields{field_of_material(0), field_of_material(1)}
    {
    }
    double value(const dealii::Point<3> &x, const unsigned int c) const override
    {
      return fields[x[0] < interface_x ? 0 : 1].value(x)[c];
    }
    SineField fields[2];
  };

  dealii::Tensor<2, 3> stress(const Material &m, const dealii::Tensor<2, 3> &grad)
  {
    const dealii::Tensor<2, 3> eps = 0.5 * (grad + dealii::transpose(grad));
    return 2 * m.mu * eps + m.lambda * dealii::trace(eps) * dealii::unit_symmetric_tensor<3>();
  }

  struct Row
  {
    unsigned int degree = 0, n = 0;
    dealii::types::global_dof_index dofs = 0;
    verification::ErrorNorms e;
    unsigned int iterations = 0;
    double seconds = 0;
  };

  Row run(const unsigned int degree, const unsigned int n)
  {
    const MPI_Comm mpi = MPI_COMM_WORLD;
    dealii::Timer timer;
    dealii::parallel::distributed::Triangulation<3> tria(mpi);
    dealii::GridGenerator::hyper_cube(tria, 0.0, 1.0);
    tria.refine_global(static_cast<unsigned int>(std::lround(std::log2(n))));
    for (const auto &cell : tria.active_cell_iterators())
      cell->set_material_id(cell->center()[0] < interface_x ? 0 : 1);

    const dealii::FESystem<3> fe(dealii::FE_Q<3>(degree), 3);
    dealii::DoFHandler<3> dofs(tria);
    dofs.distribute_dofs(fe);

    const PiecewiseExact exact;
    const Material materials[2] = {material(0), material(1)};
    verification::DirichletElasticity problem(dofs, mpi);
    problem.setup({{0, &exact, dealii::ComponentMask()}});
    problem.assemble(
      [&](const mechanics::CellIterator &cell) {
        return materials[cell->material_id()].elasticity;
      },
      [&](const mechanics::CellIterator &cell, const dealii::Point<3> &x) {
        const Material &m = materials[cell->material_id()];
        return exact.fields[cell->material_id()].body_force(x, m.lambda, m.mu);
      });
    const mechanics::SolveReport report = problem.solve(verification::LinearSolver::cg_amg, 1e-12);
    Row row;
    row.degree = degree;
    row.n = n;
    row.dofs = dofs.n_dofs();
    row.iterations = report.iterations;
    row.e = problem.errors({[&](const mechanics::CellIterator &cell, const dealii::Point<3> &x) {
                              return exact.fields[cell->material_id()].value(x);
                            },
                            [&](const mechanics::CellIterator &cell, const dealii::Point<3> &x) {
                              return exact.fields[cell->material_id()].gradient(x);
                            }},
                           4);
    row.seconds = timer.wall_time();
    return row;
  }

  class ManufacturedConvergence : public ::testing::Test
  {
  protected:
    static const std::vector<Row> &rows(const unsigned int degree)
    {
      auto &r = results[degree];
      if (r.empty())
        for (const unsigned int n : cells_per_side)
          r.push_back(run(degree, n));
      return r;
    }

    static void TearDownTestSuite()
    {
      const MPI_Comm mpi = MPI_COMM_WORLD;
      const unsigned int ranks = dealii::Utilities::MPI::n_mpi_processes(mpi);
      std::ostringstream csv, table;
      csv << "element,cells_per_side,h_mm,dofs,l2_error_mm,h1_error,l2_relative,h1_relative,"
             "l2_rate,h1_rate\n";
      table << "\nTwo-material manufactured solution (E = " << youngs[0] << " | " << youngs[1]
            << " MPa, nu = " << poisson << "), " << ranks << " rank(s)\n"
            << "  element  n   DoFs     ||e||_L2 [mm]  |e|_H1      rel L2     rel H1     "
               "rate L2  rate H1  CG its  seconds\n";
      for (const auto &[degree, rs] : results)
        for (std::size_t k = 0; k < rs.size(); ++k)
          {
            const Row &r = rs[k];
            const double h = 1.0 / r.n;
            std::string l2_rate = "", h1_rate = "";
            if (k > 0)
              {
                const double hc = 1.0 / rs[k - 1].n;
                l2_rate = std::to_string(verification::rate(rs[k - 1].e.l2, r.e.l2, hc, h));
                h1_rate = std::to_string(verification::rate(rs[k - 1].e.h1, r.e.h1, hc, h));
              }
            csv << "Q" << degree << "," << r.n << "," << h << "," << r.dofs << ","
                << std::setprecision(10) << r.e.l2 << "," << r.e.h1 << "," << r.e.l2 / r.e.l2_exact
                << "," << r.e.h1 / r.e.h1_exact << "," << l2_rate << "," << h1_rate << "\n";
            table << "  Q" << degree << "       " << std::setw(2) << r.n << std::setw(8) << r.dofs
                  << std::scientific << std::setprecision(3) << std::setw(14) << r.e.l2
                  << std::setw(12) << r.e.h1 << std::setw(11) << r.e.l2 / r.e.l2_exact
                  << std::setw(11) << r.e.h1 / r.e.h1_exact << std::fixed << std::setprecision(3)
                  << std::setw(9) << (k > 0 ? std::stod(l2_rate) : 0.0) << std::setw(9)
                  << (k > 0 ? std::stod(h1_rate) : 0.0) << std::setw(8) << r.iterations
                  << std::setprecision(1) << std::setw(9) << r.seconds << std::defaultfloat << "\n";
          }
      verification::write_on_root("convergence_np" + std::to_string(ranks) + ".csv", csv.str(),
                                  mpi);
      if (dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
        std::cout << table.str() << std::endl;
      results.clear();
    }

    /** Asserts the rates of the last two refinements. */
    static void check_rates(const unsigned int degree)
    {
      const std::vector<Row> &r = rows(degree);
      ASSERT_EQ(r.size(), cells_per_side.size());
      for (std::size_t k = 1; k < r.size(); ++k)
        {
          EXPECT_LT(r[k].e.l2, r[k - 1].e.l2) << "L2 error grew, n = " << r[k].n;
          EXPECT_LT(r[k].e.h1, r[k - 1].e.h1) << "H1 error grew, n = " << r[k].n;
        }
      for (std::size_t k = r.size() - 2; k < r.size(); ++k)
        {
          const double hc = 1.0 / r[k - 1].n, h = 1.0 / r[k].n;
          EXPECT_NEAR(verification::rate(r[k - 1].e.l2, r[k].e.l2, hc, h), degree + 1.0,
                      rate_tolerance)
            << "Q" << degree << " L2 rate, n = " << r[k - 1].n << " -> " << r[k].n;
          EXPECT_NEAR(verification::rate(r[k - 1].e.h1, r[k].e.h1, hc, h), double(degree),
                      rate_tolerance)
            << "Q" << degree << " H1 rate, n = " << r[k - 1].n << " -> " << r[k].n;
        }
    }

    static std::map<unsigned int, std::vector<Row>> results;
  };
  std::map<unsigned int, std::vector<Row>> ManufacturedConvergence::results;

  TEST(ManufacturedSolution, IsABondedEquilibriumState)
  {
    // Displacement and traction continuous at x = 1/2; f = -div sigma per material, compared
    // with a central-difference divergence of the exact stress (step 1e-4 mm: error ~1e-8).
    const PiecewiseExact exact;
    const Material m[2] = {material(0), material(1)};
    double max_u = 0, max_jump = 0, max_t = 0, max_t_jump = 0, max_f = 0, max_f_error = 0;
    for (unsigned int k = 0; k < 50; ++k)
      {
        const double y = 0.02 * k, z = std::fmod(0.37 * k, 1.0);
        const dealii::Point<3> x(interface_x, y, z);
        const dealii::Tensor<1, 3> u0 = exact.fields[0].value(x), u1 = exact.fields[1].value(x);
        const dealii::Tensor<1, 3> t0 = stress(m[0], exact.fields[0].gradient(x)) *
                                        dealii::Tensor<1, 3>({1, 0, 0}),
                                   t1 = stress(m[1], exact.fields[1].gradient(x)) *
                                        dealii::Tensor<1, 3>({1, 0, 0});
        max_u = std::max(max_u, u0.norm());
        max_jump = std::max(max_jump, (u0 - u1).norm());
        max_t = std::max(max_t, t0.norm());
        max_t_jump = std::max(max_t_jump, (t0 - t1).norm());
        for (unsigned int i = 0; i < 2; ++i)
          {
            const dealii::Point<3> p(i == 0 ? 0.1 + 0.008 * k : 0.55 + 0.009 * k, z, y);
            const double d = 1e-4;
            dealii::Tensor<1, 3> div;
            for (unsigned int a = 0; a < 3; ++a)
              {
                dealii::Point<3> plus = p, minus = p;
                plus[a] += d;
                minus[a] -= d;
                const dealii::Tensor<2, 3> s = stress(m[i], exact.fields[i].gradient(plus)) -
                                               stress(m[i], exact.fields[i].gradient(minus));
                for (unsigned int j = 0; j < 3; ++j)
                  div[j] += s[j][a] / (2 * d);
              }
            const dealii::Tensor<1, 3> f = exact.fields[i].body_force(p, m[i].lambda, m[i].mu);
            max_f = std::max(max_f, f.norm());
            max_f_error = std::max(max_f_error, (f + div).norm());
          }
      }
    EXPECT_GT(max_u, 1e-2);
    EXPECT_LT(max_jump, 1e-14 * max_u);
    EXPECT_GT(max_t, 1.0); // the interface really carries load [MPa]
    EXPECT_LT(max_t_jump, 1e-12 * max_t);
    EXPECT_GT(max_f, 10.0);
    EXPECT_LT(max_f_error, 1e-6 * max_f);
  }

  TEST_F(ManufacturedConvergence, Q1RatesAreTwoInL2AndOneInH1)
  {
    check_rates(1);
  }

  TEST_F(ManufacturedConvergence, Q2RatesAreThreeInL2AndTwoInH1)
  {
    check_rates(2);
  }
} // namespace
