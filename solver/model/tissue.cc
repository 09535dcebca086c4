#include "model/tissue.h"

#include <stdexcept>

namespace bonefusion::model
{
  std::string tissue_name(const Tissue t)
  {
    switch (t)
      {
      case Tissue::other: return "other";
      case Tissue::cortical: return "cortical";
      case Tissue::cancellous: return "cancellous";
      case Tissue::endplate: return "endplate";
      case Tissue::annulus: return "annulus";
      case Tissue::nucleus: return "nucleus";
      case Tissue::posterior: return "posterior";
      case Tissue::facet_cartilage: return "facet cartilage";
      case Tissue::screw: return "screw";
      case Tissue::rod: return "rod";
      case Tissue::cage: return "cage";
      case Tissue::graft: return "graft";
      case Tissue::posterolateral_graft: return "posterolateral graft";
      case Tissue::anterior_ligament: return "anterior longitudinal ligament";
      case Tissue::posterior_ligament: return "posterior longitudinal ligament";
      case Tissue::ligamentum_flavum: return "ligamentum flavum";
      case Tissue::interspinous_ligament: return "interspinous ligament";
      case Tissue::screw_halo: return "screw halo";
      }
    return "unknown";
  }

  std::vector<Tissue> all_tissues()
  {
    std::vector<Tissue> tissues;
    for (unsigned int id = 1; id <= max_tissue_id; ++id)
      tissues.push_back(static_cast<Tissue>(id));
    return tissues;
  }

  Tissue tissue_from_name(const std::string &name)
  {
    std::string valid;
    for (const Tissue t : all_tissues())
      {
        if (tissue_name(t) == name)
          return t;
        valid += (valid.empty() ? "" : ", ") + tissue_name(t);
      }
    throw std::invalid_argument("unknown tissue '" + name + "' (valid: " + valid + ")");
  }
} // namespace bonefusion::model
