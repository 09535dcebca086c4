#pragma once
/**
 * @file The run's table of numbers: one row per (time, load case), columns named with their
 * unit (e.g. "rod_peak_von_mises_MPa"). Written as statistics.csv and into summary.h5 (one
 * dataset per column plus the run's metadata as attributes), each atomically (temporary file,
 * then rename) so that an interrupted run never leaves a table that looks complete.
 */
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bonefusion::io
{
  class StatisticsTable
  {
  public:
    /** Starts a row; values are then added with add() in column order. */
    void start_row(const std::string &load_case, double time_days);
    /** Adds a numeric column value to the current row (new columns are appended). */
    void add(const std::string &column, double value);

    /** Writes `path` (CSV). Call on one rank only. */
    void write_csv(const std::string &path) const;
    /** Writes `path` (HDF5): datasets per column, "load_case" names, and metadata as string
     *  attributes of the root group. Call on one rank only. */
    void write_hdf5(const std::string &path,
                    const std::map<std::string, std::string> &metadata) const;

    /** Value of column in row (NaN if absent). */
    double value(unsigned int row, const std::string &column) const;
    unsigned int n_rows() const { return rows.size(); }
    /** Load-case label of a row. */
    const std::string &load_case(unsigned int row) const { return rows.at(row).load_case; }
    const std::vector<std::string> &column_names() const { return columns; }

    /** The whole table as bytes (exact doubles), for checkpoints. */
    std::string serialize() const;
    /** Restores a table from serialize()'s bytes; throws std::runtime_error if malformed. */
    void deserialize(const std::string &bytes);

  private:
    std::vector<std::string> columns;
    struct Row
    {
      std::string load_case;
      double time;
      std::map<std::string, double> values;
    };
    std::vector<Row> rows;
  };
} // namespace bonefusion::io
