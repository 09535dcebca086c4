#include "io/checkpoint.h"

#include <deal.II/base/utilities.h>
#include <deal.II/grid/cell_id.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace bonefusion::io
{
  namespace
  {
    constexpr char magic[] = "bonefusion-checkpoint-1";

    void put_string(std::ostream &out, const std::string &s)
    {
      const std::uint64_t n = s.size();
      out.write(reinterpret_cast<const char *>(&n), sizeof(n));
      out.write(s.data(), n);
    }

    std::string get_string(std::istream &in)
    {
      std::uint64_t n = 0;
      in.read(reinterpret_cast<char *>(&n), sizeof(n));
      if (!in || n > (std::uint64_t(1) << 36))
        throw std::runtime_error("checkpoint file is truncated or corrupt");
      std::string s(n, '\0');
      in.read(s.data(), n);
      if (!in)
        throw std::runtime_error("checkpoint file is truncated or corrupt");
      return s;
    }

    std::string path_of(const std::string &directory)
    {
      return directory + "/checkpoint.bin";
    }
  } // namespace

  void write_checkpoint(const std::string &directory, const dealii::Triangulation<3> &tria,
                        const CheckpointHeader &header, const std::vector<std::string> &field_names,
                        const std::vector<std::vector<double>> &fields, MPI_Comm mpi)
  {
    // This rank's cells: CellId text and values, as one byte string.
    std::ostringstream mine;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          put_string(mine, cell->id().to_string());
          for (const auto &field : fields)
            {
              const double v = field[cell->active_cell_index()];
              mine.write(reinterpret_cast<const char *>(&v), sizeof(v));
            }
        }
    const std::vector<std::string> parts = dealii::Utilities::MPI::gather(mpi, mine.str(), 0);
    std::string failure;
    if (dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
      {
        const std::string tmp = path_of(directory) + ".tmp";
        {
          std::ofstream out(tmp, std::ios::binary);
          put_string(out, magic);
          put_string(out, header.case_signature);
          out.write(reinterpret_cast<const char *>(&header.time), sizeof(double));
          out.write(reinterpret_cast<const char *>(&header.time_step), sizeof(double));
          const std::uint64_t step = header.step, n_blobs = header.blobs.size(),
                              n_fields = field_names.size();
          out.write(reinterpret_cast<const char *>(&step), sizeof(step));
          out.write(reinterpret_cast<const char *>(&n_blobs), sizeof(n_blobs));
          for (const auto &[name, bytes] : header.blobs)
            {
              put_string(out, name);
              put_string(out, bytes);
            }
          out.write(reinterpret_cast<const char *>(&n_fields), sizeof(n_fields));
          for (const std::string &name : field_names)
            put_string(out, name);
          std::uint64_t n_cells = tria.n_global_active_cells();
          out.write(reinterpret_cast<const char *>(&n_cells), sizeof(n_cells));
          for (const std::string &part : parts)
            out.write(part.data(), part.size());
          put_string(out, "end");
          out.flush();
          if (!out)
            failure = "cannot write " + tmp;
        }
        if (failure.empty() && std::rename(tmp.c_str(), path_of(directory).c_str()) != 0)
          failure = "cannot rename " + tmp;
      }
    failure = dealii::Utilities::MPI::broadcast(mpi, failure, 0);
    if (!failure.empty())
      throw std::runtime_error("checkpoint: " + failure);
  }

  bool checkpoint_exists(const std::string &directory)
  {
    return std::filesystem::exists(path_of(directory));
  }

  void read_checkpoint(const std::string &directory, const dealii::Triangulation<3> &tria,
                       CheckpointHeader &header, const std::vector<std::string> &field_names,
                       std::vector<std::vector<double>> &fields, MPI_Comm mpi)
  {
    const std::string path = path_of(directory);
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw std::runtime_error("cannot open " + path);
    try
      {
        if (get_string(in) != magic)
          throw std::runtime_error("not a bonefusion checkpoint");
        header.case_signature = get_string(in);
        in.read(reinterpret_cast<char *>(&header.time), sizeof(double));
        in.read(reinterpret_cast<char *>(&header.time_step), sizeof(double));
        std::uint64_t step = 0, n_blobs = 0, n_fields = 0, n_cells = 0;
        in.read(reinterpret_cast<char *>(&step), sizeof(step));
        in.read(reinterpret_cast<char *>(&n_blobs), sizeof(n_blobs));
        header.step = step;
        // Bounds that no real checkpoint comes near: a corrupt count must not allocate.
        if (n_blobs > 1000)
          throw std::runtime_error("checkpoint file is corrupt (" + std::to_string(n_blobs) +
                                   " named blobs)");
        header.blobs.clear();
        for (std::uint64_t b = 0; b < n_blobs; ++b)
          {
            const std::string name = get_string(in);
            header.blobs[name] = get_string(in);
          }
        in.read(reinterpret_cast<char *>(&n_fields), sizeof(n_fields));
        if (!in || n_fields > 10000)
          throw std::runtime_error("checkpoint file is corrupt (" + std::to_string(n_fields) +
                                   " per-cell fields)");
        std::vector<std::string> stored(n_fields);
        for (std::string &name : stored)
          name = get_string(in);
        // Position of each requested field among the stored ones.
        std::vector<unsigned int> column(field_names.size());
        for (unsigned int k = 0; k < field_names.size(); ++k)
          {
            const auto it = std::find(stored.begin(), stored.end(), field_names[k]);
            if (it == stored.end())
              throw std::runtime_error("field '" + field_names[k] + "' is missing");
            column[k] = it - stored.begin();
          }
        in.read(reinterpret_cast<char *>(&n_cells), sizeof(n_cells));
        if (n_cells != tria.n_global_active_cells())
          throw std::runtime_error("it holds " + std::to_string(n_cells) +
                                   " cells, the mesh of this case has " +
                                   std::to_string(tria.n_global_active_cells()));
        std::unordered_map<std::string, unsigned int> owned;
        for (const auto &cell : tria.active_cell_iterators())
          if (cell->is_locally_owned())
            owned[cell->id().to_string()] = cell->active_cell_index();
        fields.assign(field_names.size(), std::vector<double>(tria.n_active_cells(), 0.0));
        std::vector<double> values(n_fields);
        unsigned long found = 0;
        for (std::uint64_t c = 0; c < n_cells; ++c)
          {
            const std::string id = get_string(in);
            in.read(reinterpret_cast<char *>(values.data()), n_fields * sizeof(double));
            const auto it = owned.find(id);
            if (it == owned.end())
              continue;
            ++found;
            for (unsigned int k = 0; k < field_names.size(); ++k)
              fields[k][it->second] = values[column[k]];
          }
        if (get_string(in) != "end")
          throw std::runtime_error("checkpoint file is truncated or corrupt");
        if (found != owned.size())
          throw std::runtime_error("its cells do not match the mesh of this case");
      }
    catch (const std::runtime_error &e)
      {
        throw std::runtime_error("checkpoint " + path + ": " + e.what());
      }
    (void)mpi;
  }
} // namespace bonefusion::io
