// Requirement: nearly incompressible tissue must not lock — pressurised thick cylinder, nu =
// 0.4999: B-bar Q1 u_r(a) within 3 % of Lamé, standard Q1 > 30 % too small; nu = 0.3: both within 3
// %.
//
// The problem. A thick-walled cylinder, inner radius a = 5 mm, outer radius b = 10 mm,
// internal pressure p = 1 MPa, E = 100 MPa. In plane strain (Lamé):
//   sigma_r = A - B / r^2, sigma_theta = A + B / r^2, A = p a^2 / (b^2 - a^2), B = A b^2,
//   u_r(r)  = (1 + nu) / E [ (1 - 2 nu) A r + B / r ].
// With a uniform axial strain eps_z instead of 0 (generalized plane strain) sigma_r and
// sigma_theta are unchanged and u_r(r) = u_r^Lamé(r) - nu eps_z r (exact; nu = lambda /
// (2 (lambda + mu))). For nu -> 1/2 the wall deforms at (nearly) constant volume: exactly the
// situation in which fully integrated trilinear hexahedra lock.
//
// Why a long cylinder clamped at both ends, compared at mid-length. ElasticSystem can only
// clamp all three components on a boundary id; it has no symmetry (roller) conditions and no
// other way to remove rigid-body modes. So neither a thin plane-strain slice (its faces need
// u_z = 0 with u_r free), nor an octant of a pressurised hollow sphere (three symmetry planes),
// nor a free-free cylinder (rigid modes, singular matrix) can be posed. A cylinder of length
// L = 60 mm = 12 wall thicknesses with both end faces clamped has u_z = 0 on its mid-plane by
// symmetry; the local end disturbance (u_r = 0 at the clamps) decays within about a wall
// thickness (Saint-Venant). It does leave one global trace: the clamps fix the total length,
// so the boundary layers' axial stretch is taken back by a small uniform axial strain eps_z in
// the middle, of order (wall thickness / L) (measured: -3.0e-4 for nu = 0.3, -4.0e-4 for
// nu = 0.4999; it halves when L doubles). For nu = 0.4999 it raises u_r by nu |eps_z| r:
// 1 % of u_r(a), 4 % of u_r(b). Hence two comparisons at z = L/2:
//   1. u_r(a) against plane-strain Lamé (the requirement's number), tolerance 3 %;
//   2. u_r(a) and u_r(b) against generalized plane strain with the eps_z measured at
//      mid-length (the exact solution of the middle section), tolerance 3 %.
// The nu = 0.3 control shows that the set-up (end effect, faceting of the circular surfaces
// by the MappingQ(1) mesh, resolution) costs well under 3 % for both elements; the
// nu = 0.4999 runs then isolate the element formulation.
//
// Mesh: GridGenerator::cylinder_shell with 12 cells around and 3 along, refined globally
// twice (CylindricalManifold places new vertices on the circles): 48 around, 4 through the
// wall, 12 along (5 mm; the middle field does not vary along z); 2 304 cells, 9 360 DoFs.
// (L = 120 mm with 24 cells along changes the errors by < 1 %, at four times the cost; the
// nearly incompressible B-bar solve needs ~1 200 CG iterations, as AMG suffers from
// kappa / mu = 5 000.)
// Boundary ids are set on the coarse mesh by face centre: inner surface 1 (loaded), end faces
// 2 (clamped), outer surface 0 (free).
#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>

#include "materials/linear_isotropic.h"
#include "mechanics/elastic_system.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

namespace
{
  using namespace bonefusion;

  constexpr double a = 5.0;                                       // inner radius [mm]
  constexpr double b = 10.0;                                      // outer radius [mm]
  constexpr double length = 60.0;                                 // 12 wall thicknesses [mm]
  constexpr unsigned int around = 12, along = 3, refinements = 2; // coarse mesh, then 2x
  constexpr double axial_cell = length / (along << refinements);  // [mm]
  constexpr double p = 1.0;                                       // internal pressure [MPa]
  constexpr double E = 100.0;                                     // Young's modulus [MPa]
  constexpr dealii::types::boundary_id inner_id = 1, ends_id = 2;

  /** Plane-strain Lamé radial displacement [mm]. */
  double lame_u_r(const double r, const double nu)
  {
    const double A = p * a * a / (b * b - a * a), B = A * b * b;
    return (1 + nu) / E * ((1 - 2 * nu) * A * r + B / r);
  }

  /** Generalized plane strain (uniform axial strain eps_z) radial displacement [mm]. */
  double gps_u_r(const double r, const double nu, const double eps_z)
  {
    return lame_u_r(r, nu) - nu * eps_z * r;
  }

  struct Result
  {
    double nu = 0;
    double u_inner = 0, u_outer = 0; // mean radial displacement at mid-length [mm]
    double spread_inner = 0;         // max |u_r - mean| over the inner ring [mm]
    double max_abs_u_z = 0;          // on the mid-plane ring vertices [mm]
    double eps_z = 0;                // axial strain next to the mid-plane [-]
    unsigned int iterations = 0;
    double seconds = 0;
    /** Relative error of u_r(a) against plane-strain Lamé. */
    double error_inner() const { return u_inner / lame_u_r(a, nu) - 1; }
    /** Relative errors against generalized plane strain with the measured eps_z. */
    double gps_error_inner() const { return u_inner / gps_u_r(a, nu, eps_z) - 1; }
    double gps_error_outer() const { return u_outer / gps_u_r(b, nu, eps_z) - 1; }
  };

  class LameCylinder : public ::testing::Test
  {
  protected:
    static void SetUpTestSuite()
    {
      tria = std::make_unique<dealii::parallel::distributed::Triangulation<3>>(MPI_COMM_WORLD);
      dealii::GridGenerator::cylinder_shell(*tria, length, a, b, around, along);
      for (const auto &cell : tria->active_cell_iterators())
        for (const unsigned int f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            {
              const dealii::Point<3> c = cell->face(f)->center();
              if (std::abs(c[2]) < 1e-9 || std::abs(c[2] - length) < 1e-9)
                cell->face(f)->set_boundary_id(ends_id);
              else if (std::hypot(c[0], c[1]) < 0.5 * (a + b))
                cell->face(f)->set_boundary_id(inner_id);
            }
      tria->refine_global(refinements);
      system = std::make_unique<mechanics::ElasticSystem>(*tria, 1);
      system->setup({ends_id});
    }

    static void TearDownTestSuite()
    {
      // Print the measured numbers once, then free deal.II/Trilinos objects before MPI ends.
      if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
        {
          std::cout << "\nThick cylinder, p = " << p << " MPa, a = " << a << " mm, b = " << b
                    << " mm, E = " << E << " MPa, " << tria->n_global_active_cells() << " cells, "
                    << system->dofs().n_dofs() << " DoFs, "
                    << dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD) << " rank(s)\n"
                    << "  nu      element    u_r(a) FE    u_r(a) Lamé  error    "
                       "eps_z       GPS error a  GPS error b  CG its  solve s\n";
          for (const auto &[key, r] : results)
            std::cout << "  " << std::left << std::setprecision(4) << std::setw(7) << r.nu << " "
                      << std::setw(10) << (key.second ? "B-bar" : "standard") << std::right
                      << std::scientific << std::setprecision(5) << std::setw(12) << r.u_inner
                      << std::setw(13) << lame_u_r(a, r.nu) << std::fixed << std::setprecision(2)
                      << std::setw(8) << 100 * r.error_inner() << " %" << std::scientific
                      << std::setprecision(2) << std::setw(11) << r.eps_z << std::fixed
                      << std::setw(11) << 100 * r.gps_error_inner() << " %" << std::setw(11)
                      << 100 * r.gps_error_outer() << " %" << std::setw(8) << r.iterations
                      << std::setprecision(1) << std::setw(9) << r.seconds << std::defaultfloat
                      << "\n";
          std::cout << std::endl;
        }
      results.clear();
      system.reset();
      tria.reset();
    }

    /** Solves (or returns the cached solution of) one variant. */
    static const Result &solve(const double nu, const bool b_bar)
    {
      const auto key = std::make_pair(nu, b_bar);
      if (const auto it = results.find(key); it != results.end())
        return it->second;

      const materials::LinearIsotropic law{E, nu};
      law.validate("test material");
      const mechanics::CellElasticity c{law.mu(), law.bulk_modulus(), b_bar};
      system->assemble([&](const mechanics::CellIterator &) { return c; });
      system->build_preconditioner();
      const mechanics::Vector rhs = system->traction_rhs(inner_id, [](const dealii::Point<3> &x) {
        // Pressure pushes the inner wall outwards: traction = -p n, n = -e_r there.
        const double r = std::hypot(x[0], x[1]);
        return dealii::Tensor<1, 3>({p * x[0] / r, p * x[1] / r, 0.0});
      });
      mechanics::Vector u = system->make_ghosted_vector();
      const mechanics::SolveReport report = system->solve(rhs, u, 1e-10, 10000);

      // Ring vertices at mid-length; each counted once, by the rank owning its x DoF.
      const dealii::IndexSet &owned = system->dofs().locally_owned_dofs();
      double sum[6] = {}; // u_r inner, count, u_r outer, count, eps_z, count
      std::vector<double> inner_values;
      double max_u_z = 0;
      for (const auto &cell : system->dofs().active_cell_iterators())
        if (cell->is_locally_owned())
          for (const unsigned int v : cell->vertex_indices())
            {
              const dealii::Point<3> x = cell->vertex(v);
              const double r = std::hypot(x[0], x[1]);
              if (!owned.is_element(cell->vertex_dof_index(v, 0)))
                continue;
              // The next vertex layer above the mid-plane: its u_z / dz is the axial strain
              // the clamps leave in the middle (u_z = 0 on the mid-plane by symmetry).
              if (std::abs(x[2] - 0.5 * length - axial_cell) < 1e-9)
                {
                  sum[4] += u[cell->vertex_dof_index(v, 2)] / axial_cell;
                  sum[5] += 1;
                }
              if (std::abs(x[2] - 0.5 * length) > 1e-9)
                continue;
              const bool inner = std::abs(r - a) < 1e-9 * a, outer = std::abs(r - b) < 1e-9 * b;
              if (!inner && !outer)
                continue;
              const double ux = u[cell->vertex_dof_index(v, 0)],
                           uy = u[cell->vertex_dof_index(v, 1)],
                           uz = u[cell->vertex_dof_index(v, 2)];
              const double ur = (ux * x[0] + uy * x[1]) / r;
              sum[inner ? 0 : 2] += ur;
              sum[inner ? 1 : 3] += 1;
              if (inner)
                inner_values.push_back(ur);
              max_u_z = std::max(max_u_z, std::abs(uz));
            }
      // Vertices shared by several local cells appear more than once; that does not change
      // the mean of a ring whose values all agree closely, and the spread is what we check.
      dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sum, 6), MPI_COMM_WORLD,
                                  dealii::ArrayView<double>(sum, 6));
      EXPECT_GT(sum[1], 0) << "no vertex found on the inner ring at mid-length";
      EXPECT_GT(sum[3], 0) << "no vertex found on the outer ring at mid-length";
      Result r;
      r.nu = nu;
      r.u_inner = sum[0] / sum[1];
      r.u_outer = sum[2] / sum[3];
      r.eps_z = sum[4] / sum[5];
      double spread = 0;
      for (const double v : inner_values)
        spread = std::max(spread, std::abs(v - r.u_inner));
      r.spread_inner = dealii::Utilities::MPI::max(spread, MPI_COMM_WORLD);
      r.max_abs_u_z = dealii::Utilities::MPI::max(max_u_z, MPI_COMM_WORLD);
      r.iterations = report.iterations;
      r.seconds = report.seconds;
      return results.emplace(key, r).first->second;
    }

    static std::unique_ptr<dealii::parallel::distributed::Triangulation<3>> tria;
    static std::unique_ptr<mechanics::ElasticSystem> system;
    static std::map<std::pair<double, bool>, Result> results;
  };

  std::unique_ptr<dealii::parallel::distributed::Triangulation<3>> LameCylinder::tria;
  std::unique_ptr<mechanics::ElasticSystem> LameCylinder::system;
  std::map<std::pair<double, bool>, Result> LameCylinder::results;

  constexpr double tolerance = 0.03;    // accurate: within 3 % of Lamé
  constexpr double locked_error = 0.30; // locked: displacement too small by more than 30 %

  TEST_F(LameCylinder, CompressibleControlBothElementsMatchLame)
  {
    for (const bool b_bar : {false, true})
      {
        const Result &r = solve(0.3, b_bar);
        const char *element = b_bar ? "B-bar" : "standard";
        EXPECT_LT(std::abs(r.error_inner()), tolerance) << element;
        EXPECT_LT(std::abs(r.gps_error_inner()), tolerance) << element;
        EXPECT_LT(std::abs(r.gps_error_outer()), tolerance) << element;
        // Axisymmetry and mid-plane symmetry of the discrete solution.
        EXPECT_LT(r.spread_inner, 1e-3 * r.u_inner) << element;
        EXPECT_LT(r.max_abs_u_z, 1e-6 * r.u_inner) << element;
      }
  }

  TEST_F(LameCylinder, NearlyIncompressibleBBarMatchesLame)
  {
    const Result &r = solve(0.4999, true);
    EXPECT_LT(std::abs(r.error_inner()), tolerance)
      << "B-bar u_r(a) = " << r.u_inner << " mm, Lamé " << lame_u_r(a, r.nu) << " mm";
    EXPECT_LT(std::abs(r.gps_error_inner()), tolerance);
    EXPECT_LT(std::abs(r.gps_error_outer()), tolerance);
    EXPECT_LT(r.spread_inner, 1e-3 * r.u_inner);
    EXPECT_LT(r.max_abs_u_z, 1e-6 * r.u_inner);
  }

  TEST_F(LameCylinder, NearlyIncompressibleStandardQ1Locks)
  {
    // Shows that the benchmark is sensitive: without B-bar the same mesh locks.
    const Result &r = solve(0.4999, false);
    EXPECT_LT(r.error_inner(), -locked_error)
      << "standard Q1 u_r(a) = " << r.u_inner << " mm, Lamé " << lame_u_r(a, r.nu)
      << " mm: expected locking (far too small)";
  }
} // namespace
