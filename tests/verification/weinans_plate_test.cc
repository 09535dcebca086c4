// Requirement: Weinans 1992 plate — the element-wise SED stimulus checkerboards (> 10 % of the
// cells are one-cell density extrema by > 0.5 g/cm^3; measured 16.9 %); the non-local
// (Helmholtz-filtered) stimulus has none (< 1 %; measured 0) and agrees between meshes of h = 5
// and 2.5 mm within 0.05 g/cm^3 mean along the line y = 52.5 mm (measured 0.013).
//
// The benchmark (Weinans, Huiskes & Grootenboer 1992 J Biomech 25:1425; docs/sources.md,
// "Remodeling"). Law: d rho/dt = B (U/rho - K), E = 100 rho^2 MPa, K = 0.25 J/g, s = 0, B = 1, rho0
// = 0.8 g/cm^3, rho in [0.01, 1.74], nu = 0.3; time in the paper's units ("days" here). Geometry
// and load, as chosen here (the paper: a square plate, supported at the bottom, a linearly varying
// pressure on the top): a 100 x 100 mm plate, 1 mm thick, modelled as a 3-D slab one hexahedron
// thick with free faces in z (plane stress in the limit); the bottom edge y = 0 is clamped
// (ElasticSystem clamps all components of a boundary); the top edge y = 100 mm carries a normal
// pressure p(x) = p0 (1 - x / 100 mm), p0 = 10 MPa (in consistent units the magnitude of a public
// re-implementation of this benchmark, pympo: 10 N/m on a unit plate with E = 100 rho^2 Pa). Under
// uniaxial stress sigma the equilibrium is rho^3 = sigma^2 / (2 * 100 * 0.25): ~1.26 g/cm^3 under
// 10 MPa. Time integration: RemodelingLaw::advance (backward Euler with the fixed-stress scaling,
// stable for any step) with dt = 5, the stimulus recomputed after each step, 100 steps (T =
// 500). Beyond a few local time constants (rho / (3 B S) ~ 1) the evolution is limited by the
// load redistribution, one step at a time, not by dt: dt = 1, 5, 10 and 25 need about the same
// number of steps. After 100 steps the mean |d rho| per step is ~1.5e-3 g/cm^3 and 300 more
// steps change the coarse non-local field by 0.02 g/cm^3 on average (measured once).
// Non-local stimulus: StimulusFilter with l = 8 mm (1.6 h on the 20 x 20 mesh, 3.2 h on the
// 40 x 40 mesh), the same physical length on both meshes.
// Output: weinans_<case>_np<N>.csv (cell centre x, y [mm], density [g/cm^3]) in the working
// directory, for postprocess/plot_weinans.py. About 45 s at np = 1 on a loaded 2-core machine.
#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/grid/grid_generator.h>

#include "adaptation/remodeling_law.h"
#include "adaptation/stimulus_filter.h"
#include "adaptation/strain_energy_remodeling.h"
#include "mechanics/elastic_system.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <string>

namespace
{
  using namespace bonefusion;

  constexpr double L = 100;                 // plate side [mm]
  constexpr double thickness = 1;           // [mm]
  constexpr double p0 = 10;                 // pressure at x = 0 [MPa]
  constexpr double nu = 0.3;                // [-]
  constexpr double C = 100, K = 0.25;       // E = C rho^2 [MPa], reference [J/g]
  constexpr double rho0 = 0.8;              // [g/cm^3]
  constexpr double dt = 5;                  // [time units = days]
  constexpr unsigned int steps = 100;       // time steps
  constexpr double solver_tolerance = 1e-5; // relative residual of the elastic solve
  constexpr double filter_length = 8;       // [mm]
  constexpr unsigned int nc = 20;           // coarse mesh nc x nc, fine mesh 2 nc x 2 nc
  constexpr dealii::types::boundary_id bottom_id = 1, top_id = 2;

  /** Density field of one run on an n x n grid, row-major (i + n j), and what the run did. */
  struct PlateResult
  {
    unsigned int n = 0;
    double length = 0;
    std::vector<double> density;
    double last_mean_change = 0; // mean |d rho| of the last step [g/cm^3]
    double seconds = 0;
    double at(const unsigned int i, const unsigned int j) const { return density[i + n * j]; }
  };

  /**
   * Fraction of cells that are one-cell extrema: in x or in y, denser (or lighter) than both
   * neighbours by more than `jump` [g/cm^3]. Checkerboards and one-cell-wide stripes count; the
   * sharp edge of a wider strut does not (only one neighbour differs).
   */
  double checkerboard_fraction(const PlateResult &r, const double jump = 0.5)
  {
    unsigned int count = 0;
    for (unsigned int j = 0; j < r.n; ++j)
      for (unsigned int i = 0; i < r.n; ++i)
        {
          const double c = r.at(i, j);
          const auto isolated = [&](const double a, const double b) {
            return (c - a > jump && c - b > jump) || (a - c > jump && b - c > jump);
          };
          const bool in_x = i > 0 && i + 1 < r.n && isolated(r.at(i - 1, j), r.at(i + 1, j));
          const bool in_y = j > 0 && j + 1 < r.n && isolated(r.at(i, j - 1), r.at(i, j + 1));
          if (in_x || in_y)
            ++count;
        }
    return static_cast<double>(count) / (r.n * r.n);
  }

  /** RMS of the checkerboard component (rho00 - rho10 - rho01 + rho11)/4 of every 2 x 2 block,
   *  relative to the RMS of rho about its mean: ~0 for a smooth field. */
  double checkerboard_energy(const PlateResult &r)
  {
    double mean = 0;
    for (const double d : r.density)
      mean += d;
    mean /= r.density.size();
    double var = 0;
    for (const double d : r.density)
      var += (d - mean) * (d - mean);
    var /= r.density.size();
    double c2 = 0;
    for (unsigned int j = 0; j + 1 < r.n; ++j)
      for (unsigned int i = 0; i + 1 < r.n; ++i)
        {
          const double c =
            0.25 * (r.at(i, j) - r.at(i + 1, j) - r.at(i, j + 1) + r.at(i + 1, j + 1));
          c2 += c * c;
        }
    c2 /= (r.n - 1) * (r.n - 1);
    return std::sqrt(c2 / var);
  }

  /** Averages a 2n x 2n field onto the n x n grid. */
  PlateResult coarsen(const PlateResult &fine)
  {
    PlateResult c;
    c.n = fine.n / 2;
    c.density.assign(c.n * c.n, 0.0);
    for (unsigned int j = 0; j < c.n; ++j)
      for (unsigned int i = 0; i < c.n; ++i)
        c.density[i + c.n * j] = 0.25 * (fine.at(2 * i, 2 * j) + fine.at(2 * i + 1, 2 * j) +
                                         fine.at(2 * i, 2 * j + 1) + fine.at(2 * i + 1, 2 * j + 1));
    return c;
  }

  /** Runs the remodeling simulation on an n x n x 1 mesh with filter length l [mm]. */
  PlateResult run(const unsigned int n, const double l, const std::string &label)
  {
    dealii::Timer timer;
    const MPI_Comm comm = MPI_COMM_WORLD;
    dealii::parallel::distributed::Triangulation<3> tria(comm);
    dealii::GridGenerator::subdivided_hyper_rectangle(tria, {n, n, 1u}, dealii::Point<3>(0, 0, 0),
                                                      dealii::Point<3>(L, L, thickness));
    for (const auto &cell : tria.active_cell_iterators())
      for (const unsigned int f : cell->face_indices())
        if (cell->face(f)->at_boundary())
          {
            const double y = cell->face(f)->center()[1];
            if (std::abs(y) < 1e-9)
              cell->face(f)->set_boundary_id(bottom_id);
            else if (std::abs(y - L) < 1e-9)
              cell->face(f)->set_boundary_id(top_id);
          }

    mechanics::ElasticSystem system(tria, 1);
    system.setup({bottom_id});
    const mechanics::Vector rhs = system.traction_rhs(top_id, [](const dealii::Point<3> &x) {
      return dealii::Tensor<1, 3>({0.0, -p0 * (1 - x[0] / L), 0.0});
    });
    const adaptation::StimulusFilter filter(tria, l);
    adaptation::StrainEnergyRemodelingParameters prm;
    prm.rate_constant = 1;
    prm.lazy_zone_half_width = 0;
    prm.min_density = 0.01;
    prm.max_density = 1.74;
    prm.modulus_exponent = 2;
    const adaptation::StrainEnergyRemodeling law(prm);

    std::vector<double> density(tria.n_active_cells(), rho0), stimulus(tria.n_active_cells(), 0.0),
      smoothed;
    const auto elasticity = [&](const double rho) {
      const double E = C * rho * rho;
      return mechanics::CellElasticity{E / (2 * (1 + nu)), E / (3 * (1 - 2 * nu)), false};
    };

    dealii::FEValues<3> fe_values(system.map(), system.element(), system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::Vector<double> u_cell(system.element().n_dofs_per_cell());
    mechanics::Vector u = system.make_ghosted_vector();
    PlateResult result;
    for (unsigned int step = 0; step < steps; ++step)
      {
        system.assemble([&](const mechanics::CellIterator &cell) {
          return elasticity(density[cell->active_cell_index()]);
        });
        system.build_preconditioner();
        system.solve(rhs, u, solver_tolerance, 2000);
        // Element-wise stimulus: the cell mean of U = sigma : eps / 2, divided by rho.
        for (const auto &cell : system.dofs().active_cell_iterators())
          if (cell->is_locally_owned())
            {
              fe_values.reinit(cell);
              kinematics.reinit(fe_values, false);
              cell->get_dof_values(u, u_cell);
              const double rho = density[cell->active_cell_index()];
              const mechanics::CellElasticity c = elasticity(rho);
              double energy = 0, volume = 0;
              for (unsigned int q = 0; q < kinematics.n_quadrature_points(); ++q)
                {
                  const auto eps = kinematics.strain(q, u_cell);
                  energy += 0.5 * (mechanics::stress(c, eps) * eps) * fe_values.JxW(q);
                  volume += fe_values.JxW(q);
                }
              stimulus[cell->active_cell_index()] =
                law.stimulus({{energy / volume, 1.0}}, rho, C * rho * rho);
            }
        filter.apply(stimulus, smoothed);
        double change = 0;
        for (const auto &cell : tria.active_cell_iterators())
          if (cell->is_locally_owned())
            {
              double &rho = density[cell->active_cell_index()];
              const double next = law.advance(rho, smoothed[cell->active_cell_index()], K, dt);
              change += std::abs(next - rho);
              rho = next;
            }
        result.last_mean_change = dealii::Utilities::MPI::sum(change, comm) / (n * n);
      }

    // Gather the field on every rank, by cell position.
    std::vector<std::pair<unsigned int, double>> local;
    const double h = L / n;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto i = static_cast<unsigned int>(cell->center()[0] / h),
                     j = static_cast<unsigned int>(cell->center()[1] / h);
          local.emplace_back(i + n * j, density[cell->active_cell_index()]);
        }
    result.n = n;
    result.length = l;
    result.density.assign(n * n, -1.0);
    for (const auto &part : dealii::Utilities::MPI::all_gather(comm, local))
      for (const auto &[index, rho] : part)
        result.density[index] = rho;
    result.seconds = timer.wall_time();

    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      {
        std::ofstream csv("weinans_" + label + "_np" +
                          std::to_string(dealii::Utilities::MPI::n_mpi_processes(comm)) + ".csv");
        csv << "# Weinans plate, " << label << ": " << n << " x " << n << " cells, filter length "
            << l << " mm, " << steps << " steps of dt = " << dt << "\n"
            << "x_mm,y_mm,density_g_per_cm3\n"
            << std::setprecision(8);
        for (unsigned int j = 0; j < n; ++j)
          for (unsigned int i = 0; i < n; ++i)
            csv << (i + 0.5) * h << "," << (j + 0.5) * h << "," << result.at(i, j) << "\n";
      }
    return result;
  }

  class WeinansPlate : public ::testing::Test
  {
  protected:
    /** The runs, each done once per label ("element-wise_40", "non-local_20", ...). */
    static const PlateResult &get(const std::string &label, const unsigned int n, const double l)
    {
      const auto it = results.find(label);
      if (it != results.end())
        return it->second;
      const PlateResult &r = results.emplace(label, run(n, l, label)).first->second;
      if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
        std::cout << "  " << std::left << std::setw(22) << label << std::right << " "
                  << std::setw(2) << n << " x " << n << ", l = " << l << " mm: one-cell extrema "
                  << std::fixed << std::setprecision(1) << 100 * checkerboard_fraction(r)
                  << " % of cells, checkerboard component " << std::setprecision(3)
                  << checkerboard_energy(r) << ", last mean |d rho| " << std::scientific
                  << std::setprecision(2) << r.last_mean_change << ", " << std::fixed
                  << std::setprecision(1) << r.seconds << " s" << std::defaultfloat << std::endl;
      return r;
    }
    static void TearDownTestSuite() { results.clear(); }
    static std::map<std::string, PlateResult> results;
  };
  std::map<std::string, PlateResult> WeinansPlate::results;

  TEST_F(WeinansPlate, ElementWiseStimulusCheckerboards)
  {
    const PlateResult &r = get("element-wise_" + std::to_string(2 * nc), 2 * nc, 0.0);
    EXPECT_GT(checkerboard_fraction(r), 0.10);
    EXPECT_GT(checkerboard_energy(r), 0.2);
    // The coarse mesh checkerboards too.
    EXPECT_GT(checkerboard_fraction(get("element-wise_" + std::to_string(nc), nc, 0.0)), 0.10);
  }

  TEST_F(WeinansPlate, NonLocalStimulusIsSmooth)
  {
    for (const unsigned int n : {nc, 2 * nc})
      {
        const PlateResult &r = get("non-local_" + std::to_string(n), n, filter_length);
        EXPECT_LT(checkerboard_fraction(r), 0.01) << n;
        // The 2 x 2 checkerboard component only sees the staircase edges of the struts.
        EXPECT_LT(checkerboard_energy(r), 0.1) << n;
        // Settled: less than 0.3 % of rho0 per step on average.
        EXPECT_LT(r.last_mean_change, 2.5e-3) << n;
      }
  }

  TEST_F(WeinansPlate, NonLocalStimulusIsMeshIndependent)
  {
    const PlateResult &coarse = get("non-local_" + std::to_string(nc), nc, filter_length);
    const PlateResult fine =
      coarsen(get("non-local_" + std::to_string(2 * nc), 2 * nc, filter_length));
    // Along the row of coarse cells centred at y = 52.5 mm, and over the whole plate.
    const unsigned int row = nc / 2;
    double line_mean = 0, line_max = 0, plate_mean = 0;
    for (unsigned int i = 0; i < coarse.n; ++i)
      {
        const double d = std::abs(coarse.at(i, row) - fine.at(i, row));
        line_mean += d / coarse.n;
        line_max = std::max(line_max, d);
      }
    for (unsigned int k = 0; k < coarse.density.size(); ++k)
      plate_mean += std::abs(coarse.density[k] - fine.density[k]) / coarse.density.size();

    // The element-wise stimulus for contrast: the same comparison.
    const PlateResult &ew_coarse = get("element-wise_" + std::to_string(nc), nc, 0.0);
    const PlateResult ew_fine = coarsen(get("element-wise_" + std::to_string(2 * nc), 2 * nc, 0.0));
    double ew_line_mean = 0, ew_plate_mean = 0;
    for (unsigned int i = 0; i < coarse.n; ++i)
      ew_line_mean += std::abs(ew_coarse.at(i, row) - ew_fine.at(i, row)) / coarse.n;
    for (unsigned int k = 0; k < coarse.density.size(); ++k)
      ew_plate_mean += std::abs(ew_coarse.density[k] - ew_fine.density[k]) / coarse.density.size();

    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      {
        const double y = (row + 0.5) * L / nc;
        std::cout << std::setprecision(3) << "  mesh " << nc << " vs " << 2 * nc
                  << " (fine averaged onto the coarse cells), line y = " << y
                  << " mm: non-local mean |difference| " << line_mean << ", max " << line_max
                  << " g/cm^3; element-wise mean " << ew_line_mean
                  << "\n  whole plate mean |difference|: non-local " << plate_mean
                  << ", element-wise " << ew_plate_mean << " g/cm^3\n  line y = " << y
                  << " mm, x: non-local coarse / fine [g/cm^3]:";
        for (unsigned int i = 0; i < coarse.n; i += 2)
          std::cout << "  " << (i + 0.5) * L / coarse.n << ": " << coarse.at(i, row) << " / "
                    << fine.at(i, row);
        std::cout << std::defaultfloat << std::endl;
      }
    EXPECT_LT(line_mean, 0.05);
    EXPECT_LT(plate_mean, 0.05);
    // The element-wise patterns are mesh-dependent by comparison.
    EXPECT_GT(ew_plate_mean, 4 * plate_mean);
  }
} // namespace
