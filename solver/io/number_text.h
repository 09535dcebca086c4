#pragma once
/**
 * @file Numbers as text for parameter defaults and messages: the shortest form a stream gives
 * (six significant digits), so that "2.5" reads as the user would write it.
 */
#include <string>

namespace bonefusion::io
{
  /** The value as a stream prints it by default ("2.5", "1e-06"). */
  std::string number_text(double value);
} // namespace bonefusion::io
