#include "adaptation/strain_energy_remodeling.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bonefusion::adaptation
{
  void StrainEnergyRemodelingParameters::validate() const
  {
    if (!(rate_constant > 0) || !(lazy_zone_half_width >= 0 && lazy_zone_half_width < 1) ||
        !(min_density > 0 && min_density < max_density) || !(modulus_exponent > 0) ||
        !std::isfinite(max_density))
      throw std::invalid_argument(
        "Remodeling (strain energy density): need rate constant B > 0, 0 <= lazy zone half "
        "width < 1, 0 < minimum density < maximum density and density-modulus exponent > 0; "
        "got B = " +
        std::to_string(rate_constant) + ", s = " + std::to_string(lazy_zone_half_width) +
        ", rho = [" + std::to_string(min_density) + ", " + std::to_string(max_density) +
        "], gamma = " + std::to_string(modulus_exponent));
  }

  StrainEnergyRemodeling::StrainEnergyRemodeling(const StrainEnergyRemodelingParameters &parameters)
    : prm(parameters)
  {
    prm.validate();
  }

  double StrainEnergyRemodeling::stimulus(const std::vector<DailyLoad> &day, const double rho,
                                          const double) const
  {
    double weighted = 0, cycles = 0;
    for (const DailyLoad &load : day)
      {
        weighted += load.cycles_per_day * load.strain_energy_density;
        cycles += load.cycles_per_day;
      }
    if (!(cycles > 0) || !(rho > 0))
      return 0;
    return weighted / cycles / rho;
  }

  double StrainEnergyRemodeling::free_rate(const double S, const double K) const
  {
    const double s = prm.lazy_zone_half_width, B = prm.rate_constant;
    if (S > (1 + s) * K)
      return B * (S - (1 + s) * K);
    if (S < (1 - s) * K)
      return B * (S - (1 - s) * K);
    return 0;
  }

  double StrainEnergyRemodeling::rate(const double rho, const double S, const double K) const
  {
    const double r = free_rate(S, K);
    // At a bound the density cannot move further out.
    if ((r > 0 && rho >= prm.max_density) || (r < 0 && rho <= prm.min_density))
      return 0;
    return r;
  }

  double StrainEnergyRemodeling::advance(const double rho_n_in, const double S_n, const double K,
                                         const double dt) const
  {
    const double rho_n = std::clamp(rho_n_in, prm.min_density, prm.max_density);
    const double s = prm.lazy_zone_half_width, p = fixed_stress_exponent();
    // The lazy-zone edge the stimulus moves towards; S(rho) reaches it at target.
    double edge;
    if (S_n > (1 + s) * K)
      edge = (1 + s) * K;
    else if (S_n < (1 - s) * K)
      edge = (1 - s) * K;
    else
      return rho_n;
    if (!(dt > 0))
      return rho_n;
    const double target =
      edge > 0 ? std::clamp(rho_n * std::pow(S_n / edge, 1 / p), prm.min_density, prm.max_density) :
                 prm.max_density; // K <= 0: any load makes bone
    const double B = prm.rate_constant;
    return solve_implicit_step(rho_n, target, dt, [&](const double rho) {
      const double S = S_n * std::pow(rho_n / rho, p);
      // dS/drho = -p S / rho
      return std::make_pair(B * (S - edge), -B * p * S / rho);
    });
  }
} // namespace bonefusion::adaptation
