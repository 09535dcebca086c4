// Requirement: the daily activity schedule parses forces [N], moments [N m -> N mm] and cycles
// [1/day] and scales them by recovery phase; bad schedules fail naming the parameter; the
// statistics table and per-cell checkpoints round-trip exactly, also into a triangulation
// partitioned differently (CellId keys).
#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>

#include "io/checkpoint.h"
#include "io/statistics_table.h"
#include "loads/activity_schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <stdexcept>

using bonefusion::loads::Activity;
using bonefusion::loads::ActivitySchedule;

TEST(ActivitySchedule, ParsesActivitiesAndRecoveryPhases)
{
  const auto activities = ActivitySchedule::parse_activities(
    "standing: force=0,0,-600 cycles=100; bending: force = 0, 0, -600 moment=-7.5,0,0 "
    "cycles = 20; idle: force=0,0,-1",
    "A");
  ASSERT_EQ(activities.size(), 3u);
  EXPECT_DOUBLE_EQ(activities[0].force[2], -600);
  EXPECT_DOUBLE_EQ(activities[0].cycles_per_day, 100);
  EXPECT_DOUBLE_EQ(activities[1].moment[0], -7500); // N m -> N mm
  EXPECT_DOUBLE_EQ(activities[1].cycles_per_day, 20);
  EXPECT_DOUBLE_EQ(activities[2].cycles_per_day, 1); // default
  const auto phases = ActivitySchedule::parse_phases(
    "0: force=0.5 moment=0.25 activities=standing, idle; 42: force=1 moment=1", activities, "R");
  ASSERT_EQ(phases.size(), 2u);
  EXPECT_DOUBLE_EQ(phases[0].moment_factor, 0.25);
  EXPECT_EQ(phases[0].activities, (std::vector<std::string>{"standing", "idle"}));
  EXPECT_TRUE(phases[1].activities.empty());
}

TEST(ActivitySchedule, BadInputNamesTheParameter)
{
  const auto a = ActivitySchedule::parse_activities("walk: force=0,0,-1000 cycles=10", "A");
  for (const std::string bad : {"walk: force=0,0,-1 cycles=-3", "walk: cycles=3",
                                "walk: pressure=1 cycles=2", "walk: force=0,0 cycles=1"})
    EXPECT_THROW(ActivitySchedule::parse_activities(bad, "Activities/Daily activities"),
                 std::invalid_argument)
      << bad;
  for (const std::string bad : {"5: force=1", "0: force=1; 0: force=2", "0: activities=run",
                                "0: force=-1", "0: speed=3", "zero: force=1"})
    EXPECT_THROW(ActivitySchedule::parse_phases(bad, a, "Activities/Recovery phases"),
                 std::invalid_argument)
      << bad;
  try
    {
      ActivitySchedule::parse_phases("0: activities=run", a, "Activities/Recovery phases");
    }
  catch (const std::invalid_argument &e)
    {
      EXPECT_NE(std::string(e.what()).find("Activities/Recovery phases"), std::string::npos);
      EXPECT_NE(std::string(e.what()).find("run"), std::string::npos);
    }
}

TEST(StatisticsTable, SerializeRoundTripIsExact)
{
  bonefusion::io::StatisticsTable table, copy;
  table.start_row("step", 0.1);
  table.add("a_MPa", 1.0 / 3.0);
  table.add("b", std::nan(""));
  table.start_row("follow-up", 42);
  table.add("b", -2.5e-300);
  copy.deserialize(table.serialize());
  ASSERT_EQ(copy.n_rows(), 2u);
  EXPECT_EQ(copy.column_names(), table.column_names());
  EXPECT_EQ(copy.value(0, "a_MPa"), 1.0 / 3.0);
  EXPECT_TRUE(std::isnan(copy.value(0, "b")));
  EXPECT_EQ(copy.value(1, "b"), -2.5e-300);
  EXPECT_EQ(copy.value(1, "time_days"), 42);
  EXPECT_EQ(copy.load_case(1), "follow-up");
  EXPECT_THROW(copy.deserialize("3\nx\n"), std::runtime_error);
}

TEST(Checkpoint, PerCellFieldsRoundTripByCellId)
{
  const MPI_Comm comm = MPI_COMM_WORLD;
  // In the temporary directory, not wherever the tests were started (a source tree once
  // picked the checkpoint up as a file to commit).
  const std::string dir =
    (std::filesystem::temp_directory_path() / "bonefusion_checkpoint_test").string();
  if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
    std::filesystem::create_directories(dir);
  MPI_Barrier(comm);
  dealii::parallel::distributed::Triangulation<3> tria(comm);
  dealii::GridGenerator::subdivided_hyper_cube(tria, 3);
  tria.refine_global(1);
  // A value that identifies the cell by where it is.
  const auto value_of = [](const dealii::Point<3> &c, int k) {
    return c[0] + 10 * c[1] + 100 * c[2] + 1000 * k;
  };
  std::vector<std::vector<double>> fields(2, std::vector<double>(tria.n_active_cells()));
  for (const auto &cell : tria.active_cell_iterators())
    if (cell->is_locally_owned())
      for (int k = 0; k < 2; ++k)
        fields[k][cell->active_cell_index()] = value_of(cell->center(), k);
  bonefusion::io::CheckpointHeader header;
  header.case_signature = "test";
  header.time = 91.5;
  header.time_step = 7;
  header.step = 12;
  header.blobs["statistics"] = std::string("a\0b", 3);
  bonefusion::io::write_checkpoint(dir, tria, header, {"density", "reference"}, fields, comm);
  ASSERT_TRUE(bonefusion::io::checkpoint_exists(dir));

  // Read back into a second triangulation (same mesh): fields in another order.
  dealii::parallel::distributed::Triangulation<3> other(comm);
  dealii::GridGenerator::subdivided_hyper_cube(other, 3);
  other.refine_global(1);
  bonefusion::io::CheckpointHeader read;
  std::vector<std::vector<double>> back;
  bonefusion::io::read_checkpoint(dir, other, read, {"reference", "density"}, back, comm);
  EXPECT_EQ(read.case_signature, "test");
  EXPECT_EQ(read.time, 91.5);
  EXPECT_EQ(read.step, 12u);
  EXPECT_EQ(read.blobs.at("statistics"), std::string("a\0b", 3));
  for (const auto &cell : other.active_cell_iterators())
    if (cell->is_locally_owned())
      {
        EXPECT_EQ(back[0][cell->active_cell_index()], value_of(cell->center(), 1));
        EXPECT_EQ(back[1][cell->active_cell_index()], value_of(cell->center(), 0));
      }
  // A different mesh or a missing field is refused.
  dealii::parallel::distributed::Triangulation<3> coarse(comm);
  dealii::GridGenerator::subdivided_hyper_cube(coarse, 3);
  EXPECT_THROW(bonefusion::io::read_checkpoint(dir, coarse, read, {"density"}, back, comm),
               std::runtime_error);
  EXPECT_THROW(bonefusion::io::read_checkpoint(dir, other, read, {"porosity"}, back, comm),
               std::runtime_error);
  MPI_Barrier(comm);
  if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
    std::filesystem::remove_all(dir);
}
