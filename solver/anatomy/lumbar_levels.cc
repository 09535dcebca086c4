#include "anatomy/lumbar_levels.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace bonefusion::anatomy
{
  const std::vector<std::string> &lumbar_vertebra_order()
  {
    static const std::vector<std::string> order = {"L1", "L2", "L3", "L4", "L5", "S1"};
    return order;
  }

  std::vector<std::string> vertebra_range(const std::string &text, const std::string &parameter)
  {
    const auto &order = lumbar_vertebra_order();
    const auto fail = [&](const std::string &why) {
      throw std::invalid_argument(parameter + ": " + why +
                                  " (write a contiguous range of L1, L2, "
                                  "L3, L4, L5, S1 from top to bottom, such as L4-L5 or L3-S1), "
                                  "got '" +
                                  text + "'");
    };
    const auto dash = text.find('-');
    if (dash == std::string::npos || text.find('-', dash + 1) != std::string::npos)
      fail("expected two vertebrae joined by '-'");
    const std::string upper = text.substr(0, dash), lower = text.substr(dash + 1);
    const auto u = std::find(order.begin(), order.end(), upper);
    const auto l = std::find(order.begin(), order.end(), lower);
    if (u == order.end())
      fail("unknown vertebra '" + upper + "'");
    if (l == order.end())
      fail("unknown vertebra '" + lower + "'");
    if (l <= u)
      fail("the lower vertebra must lie below the upper one");
    return {u, l + 1};
  }

  namespace
  {
    // One value per lumbar motion segment; an unknown name is an input error that lists the
    // valid ones.
    double per_level_value(const std::map<std::string, double> &table, const std::string &segment)
    {
      const auto it = table.find(segment);
      if (it == table.end())
        throw std::invalid_argument("unknown lumbar level '" + segment +
                                    "' (valid: L1-L2, L2-L3, L3-L4, L4-L5, L5-S1)");
      return it->second;
    }
  } // namespace

  double published_segmental_lordosis(const std::string &segment)
  {
    // Means of 324 asymptomatic adults (docs/sources.md, "Segmental lordosis").
    static const std::map<std::string, double> lordosis = {
      {"L1-L2", 1.2}, {"L2-L3", 5.9}, {"L3-L4", 9.1}, {"L4-L5", 12.7}, {"L5-S1", 21.6}};
    return per_level_value(lordosis, segment);
  }

  double published_facet_angle(const std::string &segment)
  {
    // Masharawi 2004 gives per-vertebra means as two ranges: 25.89-33.87 deg for T12-L2 and
    // 40.40-56.30 deg for L3-L5, rising caudally. A joint takes the angle of the superior
    // facets of its lower vertebra: L2 (the top of the first range), L3 and L5 (the ends of
    // the second), L4 halfway between them. S1 was not measured; the L5-S1 joints keep the
    // L4-L5 value rather than an extrapolation.
    static const std::map<std::string, double> angle = {
      {"L1-L2", 33.87}, {"L2-L3", 40.40}, {"L3-L4", 48.35}, {"L4-L5", 56.30}, {"L5-S1", 56.30}};
    return per_level_value(angle, segment);
  }

  double published_pedicle_transverse_angle(const std::string &vertebra)
  {
    // Dickman et al. 1992 (J Neurosurg 77:860): the medial angle of the lumbar pedicle,
    // which an open pedicle-screw trajectory follows, is about 5 deg times the vertebra's
    // number, L1 to L5. S1 is outside that rule; it keeps L5's angle.
    static const std::map<std::string, double> angle = {
      {"L1", 5}, {"L2", 10}, {"L3", 15}, {"L4", 20}, {"L5", 25}, {"S1", 25}};
    const auto it = angle.find(vertebra);
    if (it == angle.end())
      throw std::invalid_argument("unknown lumbar vertebra '" + vertebra +
                                  "' (valid: L1, L2, L3, L4, L5, S1)");
    return it->second;
  }
} // namespace bonefusion::anatomy
