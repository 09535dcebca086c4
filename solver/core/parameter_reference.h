#pragma once
/**
 * @file The parameter reference printed by `bonefusion --print-parameters` and written to
 * docs/parameters.md: every entry with its full path, default, allowed values and
 * description (which ends with the unit in square brackets).
 */
#include <deal.II/base/parameter_handler.h>

#include <ostream>

namespace bonefusion::core
{
  /** Prints every declared entry of prm; `markdown` gives a Markdown document. */
  void print_parameter_reference(const dealii::ParameterHandler &prm, std::ostream &out,
                                 bool markdown);
} // namespace bonefusion::core
