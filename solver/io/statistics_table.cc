#include "io/statistics_table.h"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace bonefusion::io
{
  void StatisticsTable::start_row(const std::string &load_case, const double time_days)
  {
    rows.push_back(Row{load_case, time_days, {}});
  }

  void StatisticsTable::add(const std::string &column, const double value)
  {
    if (rows.empty())
      throw std::logic_error("StatisticsTable::add before start_row");
    if (std::find(columns.begin(), columns.end(), column) == columns.end())
      columns.push_back(column);
    rows.back().values[column] = value;
  }

  double StatisticsTable::value(const unsigned int row, const std::string &column) const
  {
    if (column == "time_days")
      return rows.at(row).time;
    const auto it = rows.at(row).values.find(column);
    return it == rows.at(row).values.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
  }

  std::string StatisticsTable::serialize() const
  {
    // Text with hexadecimal floating point: exact and portable.
    std::ostringstream out;
    out << std::hexfloat << columns.size() << '\n';
    for (const std::string &c : columns)
      out << c << '\n';
    out << rows.size() << '\n';
    for (const Row &r : rows)
      {
        out << r.load_case << '\n' << r.time << ' ' << r.values.size();
        for (const auto &[name, value] : r.values)
          out << ' ' << (std::find(columns.begin(), columns.end(), name) - columns.begin()) << ' '
              << value;
        out << '\n';
      }
    return out.str();
  }

  void StatisticsTable::deserialize(const std::string &bytes)
  {
    std::istringstream in(bytes);
    std::size_t n_columns = 0, n_rows = 0;
    std::string line;
    const auto fail = [] { throw std::runtime_error("malformed statistics table in checkpoint"); };
    if (!(in >> n_columns) || !std::getline(in, line))
      fail();
    std::vector<std::string> cols(n_columns);
    for (std::string &c : cols)
      if (!std::getline(in, c))
        fail();
    if (!(in >> n_rows) || !std::getline(in, line))
      fail();
    std::vector<Row> restored(n_rows);
    for (Row &r : restored)
      {
        std::size_t n = 0;
        if (!std::getline(in, r.load_case))
          fail();
        std::string time, value;
        if (!(in >> time >> n))
          fail();
        r.time = std::strtod(time.c_str(), nullptr);
        for (std::size_t k = 0; k < n; ++k)
          {
            std::size_t column = 0;
            if (!(in >> column >> value) || column >= cols.size())
              fail();
            r.values[cols[column]] = std::strtod(value.c_str(), nullptr);
          }
        std::getline(in, line);
      }
    columns = cols;
    rows = restored;
  }

  void StatisticsTable::write_csv(const std::string &path) const
  {
    const std::string tmp = path + ".tmp";
    {
      std::ofstream out(tmp);
      if (!out)
        throw std::runtime_error("cannot write " + tmp);
      out << "time_days,load_case";
      for (const std::string &c : columns)
        out << ',' << c;
      out << '\n' << std::setprecision(10);
      for (const Row &r : rows)
        {
          out << r.time << ',' << r.load_case;
          for (const std::string &c : columns)
            {
              const auto it = r.values.find(c);
              out << ',';
              if (it != r.values.end() && std::isfinite(it->second))
                out << it->second;
            }
          out << '\n';
        }
      if (!out)
        throw std::runtime_error("error while writing " + tmp);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      throw std::runtime_error("cannot rename " + tmp + " to " + path);
  }

  namespace
  {
    void write_string_attribute(hid_t object, const std::string &name, const std::string &value)
    {
      const hid_t type = H5Tcopy(H5T_C_S1);
      H5Tset_size(type, std::max<size_t>(1, value.size()));
      const hid_t space = H5Screate(H5S_SCALAR);
      const hid_t attr = H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
      H5Awrite(attr, type, value.c_str());
      H5Aclose(attr);
      H5Sclose(space);
      H5Tclose(type);
    }

    void write_doubles(hid_t file, const std::string &name, const std::vector<double> &data)
    {
      const hsize_t n = data.size();
      const hid_t space = H5Screate_simple(1, &n, nullptr);
      const hid_t set = H5Dcreate2(file, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT,
                                   H5P_DEFAULT, H5P_DEFAULT);
      H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data());
      H5Dclose(set);
      H5Sclose(space);
    }
  } // namespace

  void StatisticsTable::write_hdf5(const std::string &path,
                                   const std::map<std::string, std::string> &metadata) const
  {
    const std::string tmp = path + ".tmp";
    const hid_t file = H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file < 0)
      throw std::runtime_error("cannot create " + tmp);
    const hid_t group = H5Gcreate2(file, "statistics", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    std::vector<double> times;
    std::string cases;
    for (const Row &r : rows)
      {
        times.push_back(r.time);
        cases += (cases.empty() ? "" : "\n") + r.load_case;
      }
    write_doubles(group, "time_days", times);
    for (const std::string &c : columns)
      {
        std::vector<double> data;
        for (unsigned int i = 0; i < rows.size(); ++i)
          data.push_back(value(i, c));
        write_doubles(group, c, data);
      }
    // Load-case names, one per row, newline separated (h5py: .attrs["load_cases"].split()).
    write_string_attribute(group, "load_cases", cases);
    for (const auto &[key, value] : metadata)
      write_string_attribute(file, key, value);
    H5Gclose(group);
    H5Fclose(file);
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      throw std::runtime_error("cannot rename " + tmp + " to " + path);
  }
} // namespace bonefusion::io
