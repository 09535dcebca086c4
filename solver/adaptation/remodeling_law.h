#pragma once
/**
 * @file Host-bone remodeling: the seam between the mechanics (strain energy per load case) and
 * the apparent density of the bone at a point.
 *
 * A law turns the day's loads at a point into a stimulus, compares it with a reference (the
 * pre-operative stimulus at the same point, "site-specific", or a fixed value) and changes the
 * density. Implementations (one per file, all listed in the factory table in
 * remodeling_law.cc):
 *   - "strain energy density": Huiskes et al. 1987, Weinans et al. 1992 (docs/sources.md,
 * "Remodeling"),
 *   - "daily stress stimulus": Beaupré, Orr & Carter 1990 (docs/sources.md, "Remodeling").
 *
 * Units: strain energy density U [MPa] = [J/cm^3], density rho [g/cm^3], modulus E [MPa],
 * time [days].
 */
#include "materials/density_power_law.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::adaptation
{
  /**
   * One load case of the daily activity at a point: strain energy density U [MPa] and cycles
   * per day n [1/day].
   */
  struct DailyLoad
  {
    double strain_energy_density;
    double cycles_per_day;
  };

  /** A remodeling law: stimulus, rate and a stable density update at one point. */
  class RemodelingLaw
  {
  public:
    virtual ~RemodelingLaw() = default;

    /**
     * Stimulus at a point from the day's loads, at apparent density rho [g/cm^3] and modulus E
     * [MPa]. Unit depends on the law (documented with each law).
     */
    virtual double stimulus(const std::vector<DailyLoad> &day, double rho, double E) const = 0;

    /**
     * Density [g/cm^3] after dt [days], from rho_n, the stimulus computed at rho_n and the
     * site's reference stimulus. Unconditionally stable: backward Euler on the local ODE with
     * the stimulus scaled by the fixed-stress (load-control) approximation
     * S(rho) = S_n (rho_n / rho)^p, solved by safeguarded Newton/bisection; the result never
     * crosses the equilibrium and stays within [rho_min, rho_max].
     */
    virtual double advance(double rho_n, double stimulus_n, double reference, double dt) const = 0;

    /** Rate d rho / dt [g/cm^3/day] at (rho, stimulus, reference). */
    virtual double rate(double rho, double stimulus, double reference) const = 0;

    /** The name the law is selected by in the input file. */
    virtual std::string name() const = 0;
  };

  /** Where the reference stimulus of a point comes from. */
  enum class ReferenceMode
  {
    site_specific, ///< the stimulus of the pre-operative state at the same point
    fixed          ///< one value for every point (RemodelingSettings::fixed_reference)
  };

  /** Settings of subsection "Remodeling" that the time loop needs besides the law itself. */
  struct RemodelingSettings
  {
    std::string law = "strain energy density";
    ReferenceMode reference_mode = ReferenceMode::site_specific;
    /** Reference for ReferenceMode::fixed, in the selected law's stimulus unit. */
    double fixed_reference = 0.25;
    /** Length of the non-local stimulus filter [mm]; 0 = element-wise stimulus. */
    double nonlocal_length = 0;
    /** E = C rho^gamma of the remodeling bone (C [MPa/(g/cm^3)^gamma], gamma [-]). */
    materials::DensityPowerLaw modulus_law;
  };

  /**
   * Declares subsection "Remodeling" (law selection and every law's constants) at the
   * current level of prm.
   */
  void declare_remodeling_parameters(dealii::ParameterHandler &prm);

  /** Reads the law-independent settings of subsection "Remodeling" (same level as declared). */
  RemodelingSettings parse_remodeling_settings(dealii::ParameterHandler &prm);

  /**
   * Factory: the law called `name` ("strain energy density" or "daily stress stimulus") with
   * its constants read from subsection "Remodeling" of prm (prm at the level where
   * declare_remodeling_parameters() was called). Throws std::invalid_argument for an unknown
   * name or inconsistent constants.
   */
  std::unique_ptr<RemodelingLaw> create_remodeling_law(const std::string &name,
                                                       dealii::ParameterHandler &prm);

  /** Names of all remodeling laws, in the factory's order. */
  std::vector<std::string> remodeling_law_names();

  /** A rate g(rho) [g/cm^3/day] and its derivative dg/drho [1/day]. */
  using RateAndSlope = std::function<std::pair<double, double>(double rho)>;

  /**
   * Backward-Euler step shared by the laws: solves rho = rho_n + dt g(rho) [g/cm^3] for a rate
   * g that has the sign of (target - rho_n) strictly between rho_n and `target`, where target
   * is the density at which the (fixed-stress) stimulus reaches the lazy-zone edge, already
   * clamped to the density bounds. If the residual at target is still of the same sign (the
   * bound is reached first), target is returned; otherwise the root between rho_n and target
   * is found by Newton's method safeguarded by bisection (relative tolerance 1e-15). Hence the
   * result never passes the equilibrium and never leaves the bounds, for any dt [days].
   */
  double solve_implicit_step(double rho_n, double target, double dt, const RateAndSlope &g);
} // namespace bonefusion::adaptation
