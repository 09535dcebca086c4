#include "adaptation/claes_heigele.h"

#include <cmath>
#include <stdexcept>

namespace bonefusion::adaptation
{
  void ClaesHeigeleParameters::validate() const
  {
    if (!(direct_strain_limit > 0) || !(direct_pressure_limit > 0) ||
        !(endochondral_strain_limit >= direct_strain_limit) ||
        !std::isfinite(endochondral_strain_limit))
      throw std::invalid_argument(
        "Graft healing (Claes-Heigele): need 0 < direct ossification strain limit <= "
        "endochondral strain limit and pressure limit > 0; got " +
        std::to_string(direct_strain_limit) + ", " + std::to_string(endochondral_strain_limit) +
        ", " + std::to_string(direct_pressure_limit) + " MPa");
  }

  ClaesHeigele::ClaesHeigele(const ClaesHeigeleParameters &parameters)
    : prm(parameters)
  {
    prm.validate();
  }

  Tissue ClaesHeigele::target(const TissueMechanics &m) const
  {
    const double strain = std::abs(m.principal_strain_max_abs), p = m.hydrostatic_pressure;
    if (strain < prm.direct_strain_limit && std::abs(p) < prm.direct_pressure_limit)
      return Tissue::mature_bone;
    if (strain < prm.endochondral_strain_limit && p >= prm.direct_pressure_limit)
      return Tissue::cartilage;
    return Tissue::fibrous;
  }
} // namespace bonefusion::adaptation
