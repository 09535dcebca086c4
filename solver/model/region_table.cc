#include "model/region_table.h"

#include <stdexcept>

namespace bonefusion::model
{
  RegionId RegionTable::add(Region region)
  {
    if (has(region.name))
      throw std::logic_error("region '" + region.name + "' is defined twice");
    region.id = regions.size() + 1;
    if (region.preoperative == unchanged_by_surgery)
      region.preoperative = static_cast<int>(region.id);
    regions.push_back(region);
    return region.id;
  }

  const Region &RegionTable::operator[](const RegionId id) const
  {
    if (id == 0 || id > regions.size())
      throw std::out_of_range("no region with id " + std::to_string(id));
    return regions[id - 1];
  }

  Region &RegionTable::operator[](const RegionId id)
  {
    if (id == 0 || id > regions.size())
      throw std::out_of_range("no region with id " + std::to_string(id));
    return regions[id - 1];
  }

  bool RegionTable::has(const std::string &name) const
  {
    for (const Region &r : regions)
      if (r.name == name)
        return true;
    return false;
  }

  RegionId RegionTable::id(const std::string &name) const
  {
    std::string valid;
    for (const Region &r : regions)
      {
        if (r.name == name)
          return r.id;
        valid += (valid.empty() ? "" : ", ") + r.name;
      }
    throw std::invalid_argument("unknown region '" + name + "' (regions of this model: " + valid +
                                ")");
  }

  std::vector<RegionId> RegionTable::of_tissue(const Tissue t) const
  {
    std::vector<RegionId> ids;
    for (const Region &r : regions)
      if (r.tissue == t)
        ids.push_back(r.id);
    return ids;
  }
} // namespace bonefusion::model
