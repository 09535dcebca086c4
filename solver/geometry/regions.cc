#include "geometry/regions.h"

#include <stdexcept>

namespace bonefusion::geometry
{
  std::string region_name(const Region r)
  {
    switch (r)
      {
      case Region::cortical: return "cortical";
      case Region::cancellous: return "cancellous";
      case Region::endplate: return "endplate";
      case Region::annulus: return "annulus";
      case Region::nucleus: return "nucleus";
      case Region::posterior: return "posterior";
      case Region::facet_cartilage: return "facet cartilage";
      case Region::screw: return "screw";
      case Region::rod: return "rod";
      case Region::cage: return "cage";
      case Region::graft: return "graft";
      case Region::posterolateral_graft: return "posterolateral graft";
      case Region::anterior_ligament: return "anterior longitudinal ligament";
      case Region::posterior_ligament: return "posterior longitudinal ligament";
      case Region::ligamentum_flavum: return "ligamentum flavum";
      case Region::interspinous_ligament: return "interspinous ligament";
      }
    return "unknown";
  }

  std::vector<Region> all_regions()
  {
    std::vector<Region> regions;
    for (unsigned int id = 1; id <= max_region_id; ++id)
      regions.push_back(static_cast<Region>(id));
    return regions;
  }

  Region region_from_name(const std::string &name)
  {
    std::string valid;
    for (const Region r : all_regions())
      {
        if (region_name(r) == name)
          return r;
        valid += (valid.empty() ? "" : ", ") + region_name(r);
      }
    throw std::invalid_argument("unknown region '" + name + "' (valid: " + valid + ")");
  }

  std::string surface_name(const Surface s)
  {
    switch (s)
      {
      case Surface::free: return "free";
      case Surface::lower_support: return "lower support";
      case Surface::upper_loaded: return "upper loaded";
      }
    return "unknown";
  }
} // namespace bonefusion::geometry
