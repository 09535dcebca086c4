#include "adaptation/tissue.h"

namespace bonefusion::adaptation
{
  std::string tissue_name(const Tissue t)
  {
    switch (t)
      {
      case Tissue::granulation: return "granulation";
      case Tissue::fibrous: return "fibrous";
      case Tissue::cartilage: return "cartilage";
      case Tissue::immature_bone: return "immature bone";
      case Tissue::mature_bone: return "mature bone";
      case Tissue::resorption: return "resorption";
      }
    return "unknown";
  }
} // namespace bonefusion::adaptation
