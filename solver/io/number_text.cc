#include "io/number_text.h"

#include <sstream>

namespace bonefusion::io
{
  std::string number_text(const double value)
  {
    std::ostringstream s;
    s << value;
    return s.str();
  }
} // namespace bonefusion::io
