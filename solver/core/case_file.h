#pragma once
/**
 * @file Checks of a case file before deal.II's ParameterHandler reads it: that it is a
 * readable regular file, that it sets something, and that no parameter is set twice and no
 * subsection opened twice at the same place (ParameterHandler would keep the last value
 * silently). Messages name the file and the lines.
 */
#include <string>

namespace bonefusion::core
{
  /** Throws std::runtime_error naming `path` (and the lines) for any of the problems above. */
  void check_case_file(const std::string &path);
} // namespace bonefusion::core
