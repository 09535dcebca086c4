#pragma once
/**
 * @file Progress messages from rank 0 to the screen and to <output>/log.txt.
 */
#include <fstream>
#include <iostream>
#include <mpi.h>
#include <string>

namespace bonefusion::core
{
  /** A stream that writes on rank 0 only, to std::cout and (once opened) a log file. */
  class Log
  {
  public:
    explicit Log(MPI_Comm comm);
    /** Starts copying everything to `path` (truncated). */
    /** Copies the log into `path` from now on; `append` keeps what is there (resumed runs). */
    void open_file(const std::string &path, bool append = false);

    template <typename T>
    Log &operator<<(const T &value)
    {
      if (active)
        {
          std::cout << value;
          if (file.is_open())
            file << value;
        }
      return *this;
    }
    Log &operator<<(std::ostream &(*manip)(std::ostream &));

    /** The file stream (for deal.II's TimerOutput summary); may be closed. */
    std::ostream &file_stream() { return file; }
    bool is_active() const { return active; }

  private:
    bool active;
    std::ofstream file;
  };
} // namespace bonefusion::core
