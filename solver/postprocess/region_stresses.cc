#include "postprocess/region_stresses.h"

namespace bonefusion::postprocess
{
  RegionStresses::RegionStresses(const Context &c)
    : context(c)
  {
  }

  void RegionStresses::evaluate(const SolvedLoad &load, io::StatisticsTable &table)
  {
    std::vector<std::string> names;
    for (const model::Region &r : context.model.regions.all())
      names.push_back(r.name);
    for (const auto &[name, value] : region_von_mises(context.system, load.solution, names,
                                                            context.finite_strain))
      table.add(name, value);
  }
} // namespace bonefusion::postprocess
