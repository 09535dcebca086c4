#pragma once
/**
 * @file Strain-energy-density remodeling (Huiskes et al. 1987 J Biomech 20:1135; Weinans,
 * Huiskes & Grootenboer 1992 J Biomech 25:1425; docs/sources.md, "Remodeling").
 *
 * Stimulus: the strain energy per unit mass, averaged over the day's load cases with the
 * cycles per day as weights,
 *   S = (sum_i n_i U_i / sum_i n_i) / rho                                    [J/g],
 * (U [MPa] = [J/cm^3], rho [g/cm^3]). The cycle-weighted mean, not the sum, is used so that S
 * of a single load case is U / rho whatever its cycle count, as in Weinans 1992, and the
 * reference K keeps the magnitude of the single-load-case literature (Weinans: K = 0.25).
 * Rate, with lazy-zone half width s:
 *   d rho/dt = B (S - (1+s) K)   if S > (1+s) K,
 *            = B (S - (1-s) K)   if S < (1-s) K,
 *            = 0                 otherwise,                                  [g/cm^3/day],
 * and rho stays within [rho_min, rho_max].
 *
 * Fixed-stress exponent. Under load control the stress at a point does not change when its
 * stiffness does, so U = sigma^2 / (2E) = sigma^2 / (2 C rho^gamma) and S = U/rho varies as
 * rho^-(gamma+1): the implicit step uses S(rho) = S_n (rho_n / rho)^p with p = gamma + 1.
 * With it the rate decreases monotonically in rho, the backward-Euler residual is monotone
 * and the step has one root (Harrigan & Hamilton 1993 show forward Euler can be unstable).
 */
#include "adaptation/remodeling_law.h"

namespace bonefusion::adaptation
{
  /** Constants of the strain-energy-density law. */
  struct StrainEnergyRemodelingParameters
  {
    double rate_constant = 1.0;      ///< B [(g/cm^3)/day per J/g]
    double lazy_zone_half_width = 0; ///< s [-]
    double min_density = 0.01;       ///< rho_min [g/cm^3]
    double max_density = 1.74;       ///< rho_max [g/cm^3]
    double modulus_exponent = 2;     ///< gamma of E = C rho^gamma [-]
    /** Throws std::invalid_argument unless B > 0, 0 <= s < 1, 0 < rho_min < rho_max, gamma > 0. */
    void validate() const;
  };

  /** Huiskes/Weinans strain-energy-density law (stimulus in J/g). */
  class StrainEnergyRemodeling : public RemodelingLaw
  {
  public:
    explicit StrainEnergyRemodeling(const StrainEnergyRemodelingParameters &parameters);

    /** S = cycle-weighted mean U / rho [J/g]; E is not used. */
    double stimulus(const std::vector<DailyLoad> &day, double rho, double E) const override;
    double advance(double rho_n, double stimulus_n, double reference, double dt) const override;
    double rate(double rho, double stimulus, double reference) const override;
    std::string name() const override { return "strain energy density"; }

    /** p of S(rho) = S_n (rho_n/rho)^p under load control: gamma + 1. */
    double fixed_stress_exponent() const { return prm.modulus_exponent + 1; }
    const StrainEnergyRemodelingParameters &parameters() const { return prm; }

  private:
    /** The rate without the density bounds [g/cm^3/day]. */
    double free_rate(double stimulus, double reference) const;
    StrainEnergyRemodelingParameters prm;
  };
} // namespace bonefusion::adaptation
