#pragma once
/**
 * @file Daily-stress-stimulus remodeling (Beaupré, Orr & Carter 1990, J Orthop Res 8:651 and
 * 8:662; docs/sources.md, "Remodeling").
 *
 * Stimulus. Each load case i contributes its effective stress sigma_i = sqrt(2 E U_i) [MPa]
 * (the uniaxial stress with the same strain energy) n_i times a day; the daily stress
 * stimulus of the continuum is
 *   psi_b = (sum_i n_i sigma_i^m)^(1/m)                                       [MPa/day],
 * (Beaupré's unit "MPa/day" for MPa (cycles/day)^(1/m)), m ~ 4. Beaupré compares the
 * tissue-level stimulus with the attractor: the stress in the trabeculae is higher than the
 * apparent stress by (rho_t / rho)^2 (Carter & Hayes), so
 *   psi = (rho_t / rho)^2 psi_b,   rho_t = density of fully mineralised tissue [g/cm^3].
 * This is what stimulus() returns. It matters for stability: under load control sigma_i does
 * not change with the density, so psi_b alone would give no equilibrium; psi does, at
 * psi = psi*, and the fixed-stress exponent of S(rho) = S_n (rho_n/rho)^p is p = 2 for every
 * modulus law.
 *
 * Rate. Bone is added or removed on the free trabecular surfaces: a surface rate
 *   r_dot = c (psi - (1+s) psi*)  above the lazy zone, c (psi - (1-s) psi*) below, 0 inside
 * [um/day] (Beaupré's piecewise-linear rate function, simplified here to one slope c and a
 * lazy zone of relative half width s; Beaupré's saturation of the rate at large stimuli is
 * left out), times the bone surface density S_v of Martin 1984 (polynomial in the volume
 * fraction v = rho / rho_t, S_v [mm^2/mm^3]),
 *   S_v(v) = 32.3 v - 93.9 v^2 + 134 v^3 - 101 v^4 + 28.8 v^5,
 * and the tissue density:
 *   d rho/dt = rho_t S_v(v) r_dot * 1e-3                                   [g/cm^3/day].
 * The slope c = 0.02 um/day per MPa/day is an assumption of the order of magnitude of
 * Beaupré's rate function (approx.); calibrate it against clinical density changes.
 */
#include "adaptation/remodeling_law.h"

namespace bonefusion::adaptation
{
  /** Constants of the daily-stress-stimulus law. */
  struct DailyStressRemodelingParameters
  {
    double attractor = 50;           ///< psi* [MPa/day] (Beaupré 1990, approx.)
    double stress_exponent = 4;      ///< m [-]
    double lazy_zone_half_width = 0; ///< s, relative to psi* [-]
    double rate_coefficient = 0.02;  ///< c [um/day per MPa/day] (assumed, approx.)
    double tissue_density = 2.0;     ///< rho_t [g/cm^3] (fully mineralised bone, approx.)
    double min_density = 0.01;       ///< rho_min [g/cm^3]
    double max_density = 1.74;       ///< rho_max [g/cm^3], at most rho_t
    /** Throws std::invalid_argument for inconsistent constants. */
    void validate() const;
  };

  /** Martin 1984 bone surface density [mm^2/mm^3] at volume fraction v in [0, 1]. */
  double bone_surface_density(double v);
  /** d S_v / d v [mm^2/mm^3]. */
  double bone_surface_density_derivative(double v);

  /** Beaupré/Carter daily-stress-stimulus law (stimulus in MPa/day, tissue level). */
  class DailyStressRemodeling : public RemodelingLaw
  {
  public:
    explicit DailyStressRemodeling(const DailyStressRemodelingParameters &parameters);

    /** psi = (rho_t/rho)^2 (sum_i n_i sqrt(2 E U_i)^m)^(1/m) [MPa/day]. */
    double stimulus(const std::vector<DailyLoad> &day, double rho, double E) const override;
    double advance(double rho_n, double stimulus_n, double reference, double dt) const override;
    double rate(double rho, double stimulus, double reference) const override;
    std::string name() const override { return "daily stress stimulus"; }

    /** p of S(rho) = S_n (rho_n/rho)^p under load control: 2. */
    static constexpr double fixed_stress_exponent() { return 2; }
    const DailyStressRemodelingParameters &parameters() const { return prm; }

  private:
    /** Surface rate r_dot [um/day] at stimulus psi against the reference psi*. */
    double surface_rate(double psi, double reference) const;
    DailyStressRemodelingParameters prm;
  };
} // namespace bonefusion::adaptation
