// Requirement: the Helmholtz stimulus filter keeps a constant field to 1e-10, conserves the
// volume integral to 1e-8 (also with hanging nodes and on tetrahedra), damps a cell checkerboard
// by > 90 % with l = 2 h, is the identity for l = 0, and gives the same result on any number of
// ranks (distributed vs serial mesh to 1e-8).
#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/tria.h>

#include "adaptation/stimulus_filter.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <memory>

namespace
{
  using bonefusion::adaptation::StimulusFilter;
  using Point = dealii::Point<3>;

  constexpr double side = 40.0, height = 10.0; // block [0, 40] x [0, 40] x [0, 10] mm
  constexpr unsigned int nx = 16, nz = 4;      // coarse cells, refined once: h = 1.25 mm
  constexpr double h = side / (2 * nx);

  /** The block, coarse cells of 2.5 mm, refined once globally. */
  template <class Tria>
  void make_block(Tria &tria)
  {
    dealii::GridGenerator::subdivided_hyper_rectangle(tria, {nx, nx, nz}, Point(0, 0, 0),
                                                      Point(side, side, height));
    tria.refine_global(1);
  }

  /** Values per active cell from a function of the cell centre (locally owned cells). */
  std::vector<double> cell_field(const dealii::Triangulation<3> &tria,
                                 const std::function<double(const Point &)> &f)
  {
    std::vector<double> values(tria.n_active_cells(), 0.0);
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        values[cell->active_cell_index()] = f(cell->center());
    return values;
  }

  /** Volume-weighted sum over locally owned cells, summed over all ranks of tria. */
  double integral(const dealii::Triangulation<3> &tria, const std::vector<double> &values,
                  const MPI_Comm comm)
  {
    double sum = 0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        sum += values[cell->active_cell_index()] * cell->measure();
    return dealii::Utilities::MPI::sum(sum, comm);
  }

  /** A deterministic, rough field (no random generator: identical on every rank count). */
  double rough(const Point &p)
  {
    return 1.0 + 0.5 * std::sin(0.37 * p[0] + 1.3 * p[1] * p[1] / side) +
           0.3 * std::cos(7.1 * p[0] * p[2] / side + 0.2 * p[1]);
  }

  /** Checkerboard of the cells: +-1 by the parity of the cell indices. */
  double checkerboard(const Point &p)
  {
    const long i = std::lround(p[0] / h - 0.5), j = std::lround(p[1] / h - 0.5),
               k = std::lround(p[2] / h - 0.5);
    return ((i + j + k) % 2 == 0) ? 1.0 : -1.0;
  }

  MPI_Comm world()
  {
    return MPI_COMM_WORLD;
  }
  bool root()
  {
    return dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  }

  class StimulusFilterTest : public ::testing::Test
  {
  protected:
    static void SetUpTestSuite()
    {
      tria = std::make_unique<dealii::parallel::distributed::Triangulation<3>>(MPI_COMM_WORLD);
      make_block(*tria);
      filter = std::make_unique<StimulusFilter>(*tria, 2 * h);
    }
    static void TearDownTestSuite()
    {
      filter.reset();
      tria.reset();
    }
    static std::unique_ptr<dealii::parallel::distributed::Triangulation<3>> tria;
    static std::unique_ptr<StimulusFilter> filter;
  };
  std::unique_ptr<dealii::parallel::distributed::Triangulation<3>> StimulusFilterTest::tria;
  std::unique_ptr<StimulusFilter> StimulusFilterTest::filter;

  TEST_F(StimulusFilterTest, ConstantStaysConstant)
  {
    const std::vector<double> in = cell_field(*tria, [](const Point &) { return 3.7; });
    std::vector<double> out;
    filter->apply(in, out);
    double error = 0;
    for (const auto &cell : tria->active_cell_iterators())
      if (cell->is_locally_owned())
        error = std::max(error, std::abs(out[cell->active_cell_index()] - 3.7));
    error = dealii::Utilities::MPI::max(error, world());
    if (root())
      std::cout << "  constant 3.7: max deviation " << error << " (" << filter->last_iterations()
                << " CG iterations, " << tria->n_global_active_cells() << " cells)" << std::endl;
    EXPECT_LT(error, 1e-10 * 3.7);
  }

  TEST_F(StimulusFilterTest, IntegralIsConserved)
  {
    const std::vector<double> in = cell_field(*tria, rough);
    std::vector<double> out;
    filter->apply(in, out);
    const double before = integral(*tria, in, world()), after = integral(*tria, out, world());
    if (root())
      std::cout << "  integral " << before << " -> " << after << ", relative change "
                << (after - before) / before << std::endl;
    EXPECT_NEAR(after, before, 1e-8 * std::abs(before));
  }

  TEST_F(StimulusFilterTest, CheckerboardIsDamped)
  {
    const std::vector<double> in = cell_field(*tria, checkerboard);
    std::vector<double> out;
    filter->apply(in, out);
    // RMS of the output against the input's (mean 0, amplitude 1).
    double sums[2] = {0, 0};
    for (const auto &cell : tria->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          sums[0] += out[cell->active_cell_index()] * out[cell->active_cell_index()];
          sums[1] += 1;
        }
    dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums, 2), world(),
                                dealii::ArrayView<double>(sums, 2));
    const double ratio = std::sqrt(sums[0] / sums[1]);
    if (root())
      std::cout << "  checkerboard (h = " << h << " mm, l = " << 2 * h
                << " mm): RMS amplitude 1 -> " << ratio << std::endl;
    EXPECT_LT(ratio, 0.1);
  }

  TEST_F(StimulusFilterTest, SameResultOnAnyNumberOfRanks)
  {
    // The same mesh as a serial triangulation on every rank: the np = 1 answer.
    dealii::Triangulation<3> serial;
    make_block(serial);
    const StimulusFilter serial_filter(serial, 2 * h);
    const std::vector<double> in_serial = cell_field(serial, rough);
    std::vector<double> out_serial;
    serial_filter.apply(in_serial, out_serial);

    const std::vector<double> in = cell_field(*tria, rough);
    std::vector<double> out;
    filter->apply(in, out);
    // Cells are matched by their centres (p4est orders the coarse cells differently).
    const auto key = [](const Point &c) {
      return std::array<long, 3>{
        {std::lround(c[0] * 1e6), std::lround(c[1] * 1e6), std::lround(c[2] * 1e6)}};
    };
    std::map<std::array<long, 3>, double> serial_values;
    for (const auto &cell : serial.active_cell_iterators())
      serial_values[key(cell->center())] = out_serial[cell->active_cell_index()];
    double difference = 0, largest = 0;
    for (const auto &cell : tria->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto twin = serial_values.find(key(cell->center()));
          ASSERT_NE(twin, serial_values.end());
          difference =
            std::max(difference, std::abs(out[cell->active_cell_index()] - twin->second));
          largest = std::max(largest, std::abs(twin->second));
        }
    difference = dealii::Utilities::MPI::max(difference, world());
    largest = dealii::Utilities::MPI::max(largest, world());
    if (root())
      std::cout << "  " << dealii::Utilities::MPI::n_mpi_processes(world())
                << " rank(s) vs serial: max difference " << difference << " (values up to "
                << largest << ")" << std::endl;
    EXPECT_LT(difference, 1e-8 * largest);
  }

  TEST_F(StimulusFilterTest, ZeroLengthIsIdentity)
  {
    const StimulusFilter identity(*tria, 0.0);
    const std::vector<double> in = cell_field(*tria, rough);
    std::vector<double> out;
    identity.apply(in, out);
    EXPECT_EQ(out, in);
    EXPECT_EQ(identity.length(), 0.0);
    EXPECT_THROW(StimulusFilter(*tria, -1.0), std::invalid_argument);
    std::vector<double> too_short(3, 1.0);
    EXPECT_THROW(filter->apply(too_short, out), std::invalid_argument);
  }

  TEST(StimulusFilterMeshes, HangingNodesKeepConstantsAndIntegrals)
  {
    dealii::parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
    dealii::GridGenerator::subdivided_hyper_rectangle(tria, {8, 8, 2}, Point(0, 0, 0),
                                                      Point(side, side, height));
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && cell->center()[0] < 0.3 * side)
        cell->set_refine_flag();
    tria.execute_coarsening_and_refinement();
    const StimulusFilter filter(tria, 4.0);
    std::vector<double> out;
    filter.apply(cell_field(tria, [](const Point &) { return -2.5; }), out);
    double error = 0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        error = std::max(error, std::abs(out[cell->active_cell_index()] + 2.5));
    EXPECT_LT(dealii::Utilities::MPI::max(error, MPI_COMM_WORLD), 1e-10 * 2.5);
    const std::vector<double> in = cell_field(tria, rough);
    filter.apply(in, out);
    const double before = integral(tria, in, MPI_COMM_WORLD),
                 after = integral(tria, out, MPI_COMM_WORLD);
    EXPECT_NEAR(after, before, 1e-8 * std::abs(before));
  }

  TEST(StimulusFilterMeshes, TetrahedraKeepConstantsAndIntegralsAndSmooth)
  {
    dealii::Triangulation<3> tria;
    dealii::GridGenerator::subdivided_hyper_cube_with_simplices(tria, 8, 0.0, 20.0);
    ASSERT_FALSE(tria.all_reference_cells_are_hyper_cube());
    const StimulusFilter filter(tria, 5.0);
    std::vector<double> out;
    filter.apply(cell_field(tria, [](const Point &) { return 1.25; }), out);
    double error = 0;
    for (const auto &cell : tria.active_cell_iterators())
      error = std::max(error, std::abs(out[cell->active_cell_index()] - 1.25));
    EXPECT_LT(error, 1e-10 * 1.25);
    const std::vector<double> in = cell_field(tria, rough);
    filter.apply(in, out);
    const double before = integral(tria, in, MPI_COMM_SELF),
                 after = integral(tria, out, MPI_COMM_SELF);
    EXPECT_NEAR(after, before, 1e-8 * std::abs(before));
    // Smoothing lowers the spread of the values.
    double spread_in = 0, spread_out = 0;
    const double mean = before / 8000.0;
    for (const auto &cell : tria.active_cell_iterators())
      {
        spread_in += std::pow(in[cell->active_cell_index()] - mean, 2) * cell->measure();
        spread_out += std::pow(out[cell->active_cell_index()] - mean, 2) * cell->measure();
      }
    EXPECT_LT(spread_out, 0.5 * spread_in);
  }
} // namespace
