// bonefusion: command line. Runs a case file, prints the parameter reference, or checks a
// model's size without solving. Exit code 0 on success, 1 on any error (message on stderr
// naming the file or parameter), 2 on a command-line mistake.
#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include "core/parameter_reference.h"
#include "core/parameters.h"
#include "core/simulator.h"

#include <dlfcn.h>
#include <omp.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace
{
  const char *usage =
    "Usage: bonefusion [CASE.prm] [options]\n"
    "\n"
    "Finite-element model of an instrumented lumbar motion segment: builds the segment and\n"
    "its hardware from the case file, solves every load case, and writes statistics.csv,\n"
    "summary.h5 and ParaView files to the output directory. Units: mm, N, MPa, days;\n"
    "moments are given in N m in input files.\n"
    "\n"
    "Options:\n"
    "  --set \"Subsection/Key=value\"  override a parameter (repeatable), e.g.\n"
    "                               --set \"Instrumentation/Rods/Material=PEEK\"\n"
    "  --check                      read and validate the case file and overrides (names,\n"
    "                               types, ranges, level, materials, files); build nothing\n"
    "  --dry-run                    build the model, report cells, DoFs and memory; no solve\n"
    "  --print-parameters           list every parameter: default, allowed values, unit,\n"
    "                               meaning (the generated reference is docs/parameters.md)\n"
    "  --print-parameters=markdown  the same as a Markdown document\n"
    "  --help                       this text\n"
    "\n"
    "Parallel: mpirun -np N bonefusion CASE.prm\n";

  /**
   * True if every rank of `comm` reaches this call within `seconds`: every rank failed, each
   * can report and return. An error on some ranks only (an inverted cell in one rank's part
   * of the mesh, a file one rank cannot write) leaves the others waiting in a collective
   * call of the run, which would hold the job until its wall-time limit. `comm` is used for
   * nothing else, so the barrier cannot meet another collective call.
   */
  bool every_rank_failed(const MPI_Comm comm, const double seconds)
  {
    MPI_Request request;
    MPI_Ibarrier(comm, &request);
    const double start = MPI_Wtime();
    int done = 0;
    while (!done && MPI_Wtime() - start < seconds)
      {
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (!done)
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    return done != 0;
  }
} // namespace

int main(int argc, char **argv)
{
  // One thread per MPI rank unless the user asks otherwise: the OpenMP threads of the
  // linear-algebra libraries otherwise spin against the MPI ranks (measured: 20 s of system
  // time in a 25 s run on 2 cores, no speed-up).
  if (std::getenv("OMP_NUM_THREADS") == nullptr)
    {
      omp_set_num_threads(1);
      // OpenBLAS (when it provides libblas) starts its own thread pool at load time.
      using SetThreads = void (*)(int);
      if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        set(1);
    }
  dealii::Utilities::MPI::MPI_InitFinalize mpi_init(argc, argv, 1);
  const MPI_Comm comm = MPI_COMM_WORLD;
  const bool root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
  // For every_rank_failed(): a communicator of its own, made while all ranks are here.
  MPI_Comm failure_comm;
  MPI_Comm_dup(comm, &failure_comm);

  std::string case_file;
  std::vector<std::string> overrides;
  bool check_only = false, dry_run = false, print_parameters = false, markdown = false;
  for (int i = 1; i < argc; ++i)
    {
      const std::string arg = argv[i];
      if (arg == "--help" || arg == "-h")
        {
          if (root)
            std::cout << usage;
          return 0;
        }
      else if (arg == "--set" && i + 1 < argc)
        overrides.push_back(argv[++i]);
      else if (arg.rfind("--set=", 0) == 0)
        overrides.push_back(arg.substr(6));
      else if (arg == "--check")
        check_only = true;
      else if (arg == "--dry-run")
        dry_run = true;
      else if (arg == "--print-parameters")
        print_parameters = true;
      else if (arg == "--print-parameters=markdown")
        print_parameters = markdown = true;
      else if (!arg.empty() && arg[0] != '-' && case_file.empty())
        case_file = arg;
      else
        {
          if (root)
            std::cerr << "bonefusion: unknown or incomplete option '" << arg << "'\n\n" << usage;
          return 2;
        }
    }

  try
    {
      dealii::ParameterHandler prm;
      if (print_parameters)
        {
          bonefusion::core::Parameters::declare(prm);
          if (root)
            bonefusion::core::print_parameter_reference(prm, std::cout, markdown);
          return 0;
        }
      const bonefusion::core::Parameters parameters =
        bonefusion::core::read_parameters(prm, case_file, overrides);
      if (check_only)
        {
          // Used by the study tools to reject a bad case before any case runs.
          if (root)
            std::cout << "bonefusion: parameters OK"
                      << (case_file.empty() ? std::string() : ": " + case_file) << std::endl;
          return 0;
        }
      bonefusion::core::Simulator simulator(parameters, prm, comm);
      if (dry_run)
        simulator.dry_run();
      else
        simulator.run();
    }
  catch (const std::exception &e)
    {
      if (root)
        std::cerr << "\nbonefusion: error: " << e.what() << std::endl;
      if (dealii::Utilities::MPI::n_mpi_processes(comm) > 1 &&
          !every_rank_failed(failure_comm, 30.0))
        {
          if (!root)
            std::cerr << "\nbonefusion: error on MPI rank "
                      << dealii::Utilities::MPI::this_mpi_process(comm) << ": " << e.what()
                      << std::endl;
          std::cerr << "bonefusion: the other ranks did not stop within 30 s: aborting the job"
                    << std::endl;
          MPI_Abort(comm, 1);
        }
      MPI_Comm_free(&failure_comm);
      return 1;
    }
  MPI_Comm_free(&failure_comm);
  return 0;
}
