#include "loads/surface_load_case.h"

#include <deal.II/base/utilities.h>

#include <cmath>
#include <set>
#include <stdexcept>

namespace bonefusion::loads
{
  namespace
  {
    constexpr double newton_mm_per_newton_m = 1000.0;

    dealii::Tensor<1, 3> to_vector(const std::string &text, const std::string &where)
    {
      const std::vector<std::string> parts = dealii::Utilities::split_string_list(text, ',');
      if (parts.size() != 3)
        throw std::invalid_argument(where +
                                    ": expected three comma-separated components "
                                    "(x,y,z), got '" +
                                    text + "'");
      dealii::Tensor<1, 3> v;
      for (unsigned int d = 0; d < 3; ++d)
        v[d] = parse_finite_number(parts[d], where);
      return v;
    }
  } // namespace

  double parse_finite_number(const std::string &text, const std::string &where)
  {
    std::size_t used = 0;
    double value = 0;
    try
      {
        value = std::stod(text, &used);
      }
    catch (const std::exception &)
      {
        used = 0;
      }
    if (used == 0 || used != text.size() || !std::isfinite(value))
      throw std::invalid_argument(where + ": '" + text + "' is not a finite number");
    return value;
  }

  std::vector<SurfaceLoadCase> parse_surface_load_cases(const std::string &text,
                                                        const std::string &parameter)
  {
    std::vector<SurfaceLoadCase> cases;
    std::set<std::string> names;
    for (const std::string &entry : dealii::Utilities::split_string_list(text, ';'))
      {
        const auto colon = entry.find(':');
        if (colon == std::string::npos)
          throw std::invalid_argument(parameter + ": '" + entry +
                                      "' should read 'name: pressure=p force=fx,fy,fz "
                                      "moment=mx,my,mz' (any of the three)");
        SurfaceLoadCase lc;
        lc.name = dealii::Utilities::trim(entry.substr(0, colon));
        const std::string where = parameter + " (load case '" + lc.name + "')";
        if (lc.name.empty() || lc.name.find_first_of(" ,/\\") != std::string::npos)
          throw std::invalid_argument(where + ": a load case needs a name without spaces, "
                                              "commas or slashes");
        if (!names.insert(lc.name).second)
          throw std::invalid_argument(where + ": the name is used twice");
        // Tokens are "key=value" separated by blanks; blanks next to ',' and '=' are
        // dropped first so that "force = 0, 50, 0" reads as one token.
        std::string body;
        for (const char c : entry.substr(colon + 1))
          {
            const bool blank = c == ' ' || c == '\t';
            if (blank &&
                (body.empty() || body.back() == ',' || body.back() == '=' || body.back() == ' '))
              continue;
            if ((c == ',' || c == '=') && !body.empty() && body.back() == ' ')
              body.pop_back();
            body += blank ? ' ' : c;
          }
        bool any = false;
        for (const std::string &token : dealii::Utilities::split_string_list(body, ' '))
          {
            if (token.empty())
              continue;
            const auto eq = token.find('=');
            const std::string key = token.substr(0, eq);
            if (eq == std::string::npos)
              throw std::invalid_argument(where + ": '" + token + "' is not key=value");
            const std::string value = token.substr(eq + 1);
            if (key == "pressure")
              lc.pressure = parse_finite_number(value, where + " pressure [MPa]");
            else if (key == "force")
              lc.force = to_vector(value, where + " force [N]");
            else if (key == "moment")
              lc.moment = newton_mm_per_newton_m * to_vector(value, where + " moment [N m]");
            else
              throw std::invalid_argument(where + ": unknown key '" + key +
                                          "' (pressure [MPa], force [N], moment [N m])");
            any = true;
          }
        if (!any)
          throw std::invalid_argument(where + ": no load given (pressure=, force= or moment=)");
        cases.push_back(lc);
      }
    if (cases.empty())
      throw std::invalid_argument(parameter + ": at least one load case is needed");
    return cases;
  }
} // namespace bonefusion::loads
