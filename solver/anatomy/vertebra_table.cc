#include "anatomy/vertebra_table.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace bonefusion::anatomy
{
  std::string default_dimension_table()
  {
    return std::string(BONEFUSION_SOURCE_DIR) + "/meshes/lumbar_dimensions.csv";
  }

  VertebraDimensions read_vertebra_dimensions(const std::string &csv_file,
                                              const std::string &vertebra)
  {
    std::ifstream in(csv_file);
    if (!in)
      throw std::runtime_error("cannot open the vertebra dimension table '" + csv_file + "'");
    const std::vector<std::string> fields = {"name",
                                             "body_height",
                                             "upper_endplate_width",
                                             "upper_endplate_depth",
                                             "lower_endplate_width",
                                             "lower_endplate_depth",
                                             "pedicle_height",
                                             "pedicle_width",
                                             "canal_depth",
                                             "canal_width",
                                             "transverse_span"};
    std::vector<std::string> header;
    std::string line;
    unsigned int line_no = 0;
    while (std::getline(in, line))
      {
        ++line_no;
        if (line.empty() || line[0] == '#' || line.find_first_not_of(" \t\r") == std::string::npos)
          continue;
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');)
          {
            const auto b = cell.find_first_not_of(" \t\r"), e = cell.find_last_not_of(" \t\r");
            cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
          }
        if (header.empty())
          {
            header = cells;
            for (const auto &f : fields)
              if (std::find(header.begin(), header.end(), f) == header.end())
                throw std::runtime_error(csv_file + ": header lacks the column '" + f + "'");
            continue;
          }
        if (cells.size() != header.size())
          throw std::runtime_error(csv_file + ":" + std::to_string(line_no) + ": expected " +
                                   std::to_string(header.size()) + " columns");
        std::map<std::string, std::string> row;
        for (unsigned int i = 0; i < cells.size(); ++i)
          row[header[i]] = cells[i];
        if (row["name"] != vertebra)
          continue;
        auto number = [&](const std::string &f) {
          try
            {
              std::size_t used = 0;
              const double v = std::stod(row[f], &used);
              if (used == row[f].size() && v > 0)
                return v;
            }
          catch (const std::exception &)
            {
            }
          throw std::runtime_error(csv_file + ":" + std::to_string(line_no) + ": column '" + f +
                                   "' of " + vertebra + " is not a positive number: '" + row[f] +
                                   "'");
        };
        return {vertebra,
                number("body_height"),
                number("upper_endplate_width"),
                number("upper_endplate_depth"),
                number("lower_endplate_width"),
                number("lower_endplate_depth"),
                number("pedicle_height"),
                number("pedicle_width"),
                number("canal_depth"),
                number("canal_width"),
                number("transverse_span")};
      }
    throw std::runtime_error("vertebra '" + vertebra + "' not found in the dimension table '" +
                             csv_file + "'");
  }

  double disc_height_from_age(const std::string &level, const double age_years)
  {
    // Disc height [cm] = a + b * age (men; docs/sources.md, "Disc height"), converted to mm.
    static const std::map<std::string, std::pair<double, double>> regression = {
      {"L1-L2", {0.680, 0.0062}},
      {"L2-L3", {0.832, 0.0067}},
      {"L3-L4", {1.105, 0.0055}},
      {"L4-L5", {1.076, 0.0070}},
      {"L5-S1", {0.973, 0.0086}}};
    const auto it = regression.find(level);
    if (it == regression.end())
      throw std::invalid_argument("unknown lumbar level '" + level +
                                  "' (valid: L1-L2, L2-L3, L3-L4, L4-L5, L5-S1)");
    return 10. * (it->second.first + it->second.second * age_years);
  }
} // namespace bonefusion::anatomy
