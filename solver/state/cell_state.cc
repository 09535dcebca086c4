#include "state/cell_state.h"

#include <stdexcept>

namespace bonefusion::state
{
  CellField &CellState::add(const std::string &name, const std::string &unit,
                            const unsigned int n_cells, const double initial,
                            const bool checkpointed, const bool visualized)
  {
    if (has(name))
      throw std::logic_error("cell field '" + name + "' is defined twice");
    auto field = std::make_unique<CellField>();
    field->name = name;
    field->unit = unit;
    field->values.assign(n_cells, initial);
    field->checkpointed = checkpointed;
    field->visualized = visualized;
    fields.push_back(std::move(field));
    return *fields.back();
  }

  bool CellState::has(const std::string &name) const
  {
    for (const auto &f : fields)
      if (f->name == name)
        return true;
    return false;
  }

  const CellField &CellState::operator[](const std::string &name) const
  {
    std::string valid;
    for (const auto &f : fields)
      {
        if (f->name == name)
          return *f;
        valid += (valid.empty() ? "" : ", ") + f->name;
      }
    throw std::invalid_argument("no cell field '" + name + "' (fields: " + valid + ")");
  }

  CellField &CellState::operator[](const std::string &name)
  {
    return const_cast<CellField &>(static_cast<const CellState &>(*this)[name]);
  }

  std::vector<std::string> CellState::checkpoint_names() const
  {
    std::vector<std::string> names;
    for (const auto &f : fields)
      if (f->checkpointed)
        names.push_back(f->name);
    return names;
  }

  std::vector<std::vector<double>> CellState::checkpoint_values() const
  {
    std::vector<std::vector<double>> values;
    for (const auto &f : fields)
      if (f->checkpointed)
        values.push_back(f->values);
    return values;
  }

  void CellState::restore(const std::vector<std::vector<double>> &values)
  {
    unsigned int k = 0;
    for (auto &f : fields)
      if (f->checkpointed)
        {
          if (k >= values.size() || values[k].size() != f->values.size())
            throw std::runtime_error("checkpoint: field '" + f->name + "' has the wrong size");
          f->values = values[k++];
        }
  }

  std::vector<std::pair<std::string, std::vector<float>>> CellState::visualization() const
  {
    std::vector<std::pair<std::string, std::vector<float>>> out;
    for (const auto &f : fields)
      if (f->visualized)
        out.emplace_back(f->name, std::vector<float>(f->values.begin(), f->values.end()));
    return out;
  }
} // namespace bonefusion::state
