#include "materials/density_power_law.h"

#include <cmath>
#include <stdexcept>

namespace bonefusion::materials
{
  double DensityPowerLaw::modulus(const double rho) const
  {
    return coefficient * std::pow(rho, exponent);
  }

  double DensityPowerLaw::derivative(const double rho) const
  {
    return coefficient * exponent * std::pow(rho, exponent - 1);
  }

  void DensityPowerLaw::validate(const std::string &what) const
  {
    if (!(coefficient > 0) || !(exponent > 0) || !std::isfinite(coefficient) ||
        !std::isfinite(exponent))
      throw std::invalid_argument(what +
                                  ": density-modulus coefficient and exponent must be "
                                  "positive, got a = " +
                                  std::to_string(coefficient) +
                                  ", b = " + std::to_string(exponent));
  }
} // namespace bonefusion::materials
