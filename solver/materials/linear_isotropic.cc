#include "materials/linear_isotropic.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace bonefusion::materials
{
  double LinearIsotropic::lambda() const
  {
    const double nu = poissons_ratio;
    return youngs_modulus * nu / ((1 + nu) * (1 - 2 * nu));
  }

  double LinearIsotropic::mu() const
  {
    return youngs_modulus / (2 * (1 + poissons_ratio));
  }

  double LinearIsotropic::bulk_modulus() const
  {
    return youngs_modulus / (3 * (1 - 2 * poissons_ratio));
  }

  void LinearIsotropic::validate(const std::string &what) const
  {
    std::ostringstream msg;
    if (!std::isfinite(youngs_modulus) || youngs_modulus <= 0)
      msg << what << ": Young's modulus must be positive and finite, got " << youngs_modulus
          << " MPa";
    else if (!std::isfinite(poissons_ratio) || poissons_ratio <= -1 || poissons_ratio >= 0.5)
      msg << what << ": Poisson's ratio must satisfy -1 < nu < 0.5, got " << poissons_ratio
          << " (nu >= 0.5 is incompressible; use 0.49-0.4999 for nearly incompressible tissue)";
    if (!msg.str().empty())
      throw std::invalid_argument(msg.str());
  }
} // namespace bonefusion::materials
