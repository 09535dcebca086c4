#pragma once
/**
 * @file Progress messages from rank 0 to the screen and to <output>/log.txt.
 */
#include <fstream>
#include <iostream>
#include <sstream>
#include <mpi.h>
#include <string>

namespace bonefusion::io
{
  /** A stream that writes on rank 0 only, to std::cout and (once opened) a log file. */
  class Log
  {
  public:
    explicit Log(MPI_Comm comm);
    /** Copies the log into `path`: what was written before the file was opened first, then
     *  everything from now on; `append` keeps what is there (resumed runs). */
    void open_file(const std::string &path, bool append = false);

    template <typename T>
    Log &operator<<(const T &value)
    {
      if (active)
        {
          std::cout << value;
          if (file.is_open())
            file << value;
          else
            early << value;
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
    std::ostringstream early; ///< what was written before the file was opened
  };
} // namespace bonefusion::io
