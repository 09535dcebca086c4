#include "adaptation/daily_stress_remodeling.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bonefusion::adaptation
{
  void DailyStressRemodelingParameters::validate() const
  {
    if (!(attractor > 0) || !(stress_exponent > 0) ||
        !(lazy_zone_half_width >= 0 && lazy_zone_half_width < 1) || !(rate_coefficient > 0) ||
        !(min_density > 0 && min_density < max_density && max_density <= tissue_density) ||
        !std::isfinite(tissue_density))
      throw std::invalid_argument(
        "Remodeling (daily stress stimulus): need attractor > 0, m > 0, 0 <= lazy zone half "
        "width < 1, rate coefficient > 0 and 0 < minimum density < maximum density <= tissue "
        "density; got psi* = " +
        std::to_string(attractor) + ", m = " + std::to_string(stress_exponent) +
        ", s = " + std::to_string(lazy_zone_half_width) +
        ", c = " + std::to_string(rate_coefficient) + ", rho = [" + std::to_string(min_density) +
        ", " + std::to_string(max_density) + "], rho_t = " + std::to_string(tissue_density));
  }

  // Martin 1984 (Crit Rev Biomed Eng 10:179), as used by Beaupré et al. 1990.
  double bone_surface_density(const double v)
  {
    return v * (32.3 + v * (-93.9 + v * (134.0 + v * (-101.0 + v * 28.8))));
  }

  double bone_surface_density_derivative(const double v)
  {
    return 32.3 + v * (-2 * 93.9 + v * (3 * 134.0 + v * (-4 * 101.0 + v * 5 * 28.8)));
  }

  DailyStressRemodeling::DailyStressRemodeling(const DailyStressRemodelingParameters &parameters)
    : prm(parameters)
  {
    prm.validate();
  }

  double DailyStressRemodeling::stimulus(const std::vector<DailyLoad> &day, const double rho,
                                         const double E) const
  {
    if (!(rho > 0) || !(E > 0))
      return 0;
    const double m = prm.stress_exponent;
    double sum = 0;
    for (const DailyLoad &load : day)
      {
        const double sigma = std::sqrt(2 * E * std::max(load.strain_energy_density, 0.0));
        sum += load.cycles_per_day * std::pow(sigma, m);
      }
    const double psi_b = std::pow(sum, 1 / m);
    const double ratio = prm.tissue_density / rho;
    return ratio * ratio * psi_b;
  }

  double DailyStressRemodeling::surface_rate(const double psi, const double reference) const
  {
    const double s = prm.lazy_zone_half_width, c = prm.rate_coefficient;
    if (psi > (1 + s) * reference)
      return c * (psi - (1 + s) * reference);
    if (psi < (1 - s) * reference)
      return c * (psi - (1 - s) * reference);
    return 0;
  }

  double DailyStressRemodeling::rate(const double rho, const double psi,
                                     const double reference) const
  {
    const double r_dot = surface_rate(psi, reference);
    if ((r_dot > 0 && rho >= prm.max_density) || (r_dot < 0 && rho <= prm.min_density))
      return 0;
    const double v = std::clamp(rho / prm.tissue_density, 0.0, 1.0);
    return prm.tissue_density * bone_surface_density(v) * r_dot * 1e-3; // um -> mm
  }

  double DailyStressRemodeling::advance(const double rho_n_in, const double psi_n,
                                        const double reference, const double dt) const
  {
    const double rho_n = std::clamp(rho_n_in, prm.min_density, prm.max_density);
    const double s = prm.lazy_zone_half_width, p = fixed_stress_exponent();
    double edge;
    if (psi_n > (1 + s) * reference)
      edge = (1 + s) * reference;
    else if (psi_n < (1 - s) * reference)
      edge = (1 - s) * reference;
    else
      return rho_n;
    if (!(dt > 0))
      return rho_n;
    const double target = edge > 0 ? std::clamp(rho_n * std::pow(psi_n / edge, 1 / p),
                                                prm.min_density, prm.max_density) :
                                     prm.max_density;
    const double rho_t = prm.tissue_density, c = prm.rate_coefficient * 1e-3;
    return solve_implicit_step(rho_n, target, dt, [&](const double rho) {
      const double psi = psi_n * std::pow(rho_n / rho, p);
      const double v = rho / rho_t;
      const double Sv = bone_surface_density(v), dSv = bone_surface_density_derivative(v) / rho_t;
      // g = rho_t S_v(v) c (psi - edge), dpsi/drho = -p psi / rho
      return std::make_pair(rho_t * Sv * c * (psi - edge),
                            rho_t * c * (dSv * (psi - edge) - Sv * p * psi / rho));
    });
  }
} // namespace bonefusion::adaptation
