#include "io/log.h"

#include <deal.II/base/mpi.h>

namespace bonefusion::io
{
  Log::Log(MPI_Comm comm)
    : active(dealii::Utilities::MPI::this_mpi_process(comm) == 0)
  {
  }

  void Log::open_file(const std::string &path, const bool append)
  {
    if (active)
      {
        file.open(path, append ? std::ios::app : std::ios::trunc);
        file << early.str();
        early.str("");
      }
  }

  Log &Log::operator<<(std::ostream &(*manip)(std::ostream &))
  {
    if (active)
      {
        manip(std::cout);
        if (file.is_open())
          manip(file);
        else
          manip(early);
      }
    return *this;
  }
} // namespace bonefusion::io
