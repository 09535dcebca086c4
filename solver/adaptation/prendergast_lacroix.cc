#include "adaptation/prendergast_lacroix.h"

#include <cmath>
#include <stdexcept>

namespace bonefusion::adaptation
{
  void PrendergastLacroixParameters::validate() const
  {
    if (!(reference_shear_strain > 0) || !(resorption_limit >= 0) ||
        !(resorption_limit < mature_bone_limit) || !(mature_bone_limit < immature_bone_limit) ||
        !(immature_bone_limit < cartilage_limit) || !std::isfinite(cartilage_limit))
      throw std::invalid_argument(
        "Graft healing (Prendergast-Lacroix): need reference shear strain > 0 and 0 <= "
        "resorption < mature bone < immature bone < cartilage limits; got a = " +
        std::to_string(reference_shear_strain) + ", limits " + std::to_string(resorption_limit) +
        ", " + std::to_string(mature_bone_limit) + ", " + std::to_string(immature_bone_limit) +
        ", " + std::to_string(cartilage_limit));
  }

  PrendergastLacroix::PrendergastLacroix(const PrendergastLacroixParameters &parameters)
    : prm(parameters)
  {
    prm.validate();
  }

  double PrendergastLacroix::stimulus(const TissueMechanics &m) const
  {
    return std::abs(m.octahedral_shear_strain) / prm.reference_shear_strain;
  }

  Tissue PrendergastLacroix::target(const TissueMechanics &m) const
  {
    const double S = stimulus(m);
    if (S < prm.resorption_limit)
      return Tissue::resorption;
    if (S < prm.mature_bone_limit)
      return Tissue::mature_bone;
    if (S < prm.immature_bone_limit)
      return Tissue::immature_bone;
    if (S < prm.cartilage_limit)
      return Tissue::cartilage;
    return Tissue::fibrous;
  }
} // namespace bonefusion::adaptation
