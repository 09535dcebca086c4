// GoogleTest entry point for the verification executables: MPI initialised, output from rank 0.
#include <deal.II/base/mpi.h>

#include <gtest/gtest.h>

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  ::testing::InitGoogleTest(&argc, argv);
  // Every rank runs every assertion on global (reduced) numbers; only rank 0 reports, so
  // mpirun -np 2 prints one result list instead of two interleaved ones.
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0)
    delete ::testing::UnitTest::GetInstance()->listeners().Release(
      ::testing::UnitTest::GetInstance()->listeners().default_result_printer());
  return RUN_ALL_TESTS();
}
