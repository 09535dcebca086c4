#include "adaptation/remodeling_law.h"

#include <deal.II/base/parameter_handler.h>

#include "adaptation/daily_stress_remodeling.h"
#include "adaptation/strain_energy_remodeling.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bonefusion::adaptation
{
  namespace
  {
    /** Reads E = C rho^gamma: the patient's cancellous-bone law or the custom constants. */
    materials::DensityPowerLaw read_modulus_law(dealii::ParameterHandler &prm)
    {
      // prm is inside "Remodeling" here.
      materials::DensityPowerLaw law;
      if (prm.get("Density-modulus law") == "custom")
        {
          law.coefficient = prm.get_double("Density-modulus coefficient");
          law.exponent = prm.get_double("Density-modulus exponent");
          law.validate("Remodeling");
          return law;
        }
      prm.leave_subsection();
      // Asked before reading: deal.II's debug build aborts (instead of throwing) on an
      // undeclared subsection.
      if (!prm.subsection_path_exists({"Materials", "cancellous bone"}))
        {
          prm.enter_subsection("Remodeling");
          throw std::invalid_argument(
            "Remodeling/Density-modulus law = cancellous bone needs the parameters "
            "Materials/cancellous bone/Density-modulus coefficient and exponent; declare them "
            "(MaterialLibrary::declare_parameters) or set Density-modulus law = custom");
        }
      prm.enter_subsection("Materials");
      prm.enter_subsection("cancellous bone");
      law.coefficient = prm.get_double("Density-modulus coefficient");
      law.exponent = prm.get_double("Density-modulus exponent");
      prm.leave_subsection();
      prm.leave_subsection();
      prm.enter_subsection("Remodeling");
      law.validate("Materials/cancellous bone (used by Remodeling)");
      return law;
    }

    double lazy_zone(dealii::ParameterHandler &prm)
    {
      return prm.get_double("Lazy zone half width");
    }

    std::unique_ptr<RemodelingLaw> make_strain_energy(dealii::ParameterHandler &prm)
    {
      StrainEnergyRemodelingParameters p;
      p.rate_constant = prm.get_double("Rate constant");
      p.lazy_zone_half_width = lazy_zone(prm);
      p.min_density = prm.get_double("Minimum density");
      p.max_density = prm.get_double("Maximum density");
      p.modulus_exponent = read_modulus_law(prm).exponent;
      return std::make_unique<StrainEnergyRemodeling>(p);
    }

    std::unique_ptr<RemodelingLaw> make_daily_stress(dealii::ParameterHandler &prm)
    {
      DailyStressRemodelingParameters p;
      p.attractor = prm.get_double("Attractor stimulus");
      p.stress_exponent = prm.get_double("Stress exponent");
      p.lazy_zone_half_width = lazy_zone(prm);
      p.rate_coefficient = prm.get_double("Surface rate coefficient");
      p.tissue_density = prm.get_double("Tissue density");
      p.min_density = prm.get_double("Minimum density");
      p.max_density = prm.get_double("Maximum density");
      return std::make_unique<DailyStressRemodeling>(p);
    }

    /** The factory table: every remodeling law, by the name it is selected with. */
    struct Entry
    {
      const char *name;
      std::unique_ptr<RemodelingLaw> (*create)(dealii::ParameterHandler &);
    };
    const Entry table[] = {
      {"strain energy density", &make_strain_energy},
      {"daily stress stimulus", &make_daily_stress},
    };

    std::string joined_names(const char *separator)
    {
      std::string result;
      for (const Entry &e : table)
        result += (result.empty() ? "" : separator) + std::string(e.name);
      return result;
    }
  } // namespace

  std::vector<std::string> remodeling_law_names()
  {
    std::vector<std::string> names;
    for (const Entry &e : table)
      names.emplace_back(e.name);
    return names;
  }

  void declare_remodeling_parameters(dealii::ParameterHandler &prm)
  {
    using dealii::Patterns::Double;
    using dealii::Patterns::Selection;
    prm.enter_subsection("Remodeling");
    prm.declare_entry("Law", table[0].name, Selection(joined_names("|")),
                      "Remodeling law of the host bone: 'strain energy density' (Huiskes 1987, "
                      "Weinans 1992; stimulus U/rho in J/g) or 'daily stress stimulus' (Beaupré, "
                      "Orr & Carter 1990; stimulus in MPa/day). [-]");
    prm.declare_entry("Reference mode", "site-specific", Selection("site-specific|fixed"),
                      "Reference stimulus of a point: 'site-specific' = the stimulus of the "
                      "pre-operative state at the same point (Huiskes 1987), 'fixed' = "
                      "'Reference stimulus' (strain energy density law) or 'Attractor stimulus' "
                      "(daily stress stimulus law) everywhere. [-]");
    prm.declare_entry("Reference stimulus", "0.25", Double(0),
                      "Fixed reference K of the strain energy density law, used with Reference "
                      "mode = fixed (Weinans 1992 plate: 0.25). [J/g]");
    prm.declare_entry("Lazy zone half width", "0.55", Double(0, 0.999),
                      "Relative half width s of the lazy zone: no change while the stimulus lies "
                      "within (1 +- s) times the reference; docs/sources.md, \"Remodeling\" quotes "
                      "0.35-0.75 (approx.), the default is the middle. [-]");
    prm.declare_entry("Rate constant", "1", Double(0),
                      "B of d rho/dt = B (S - (1 +- s) K), strain energy density law (Weinans "
                      "1992: 1 per time unit; calibrate against clinical density changes). "
                      "[(g/cm^3)/day per J/g]");
    prm.declare_entry("Minimum density", "0.01", Double(0),
                      "Lower bound of the apparent density (Weinans 1992). [g/cm^3]");
    prm.declare_entry("Maximum density", "1.74", Double(0),
                      "Upper bound of the apparent density, cortical bone (Weinans 1992). "
                      "[g/cm^3]");
    prm.declare_entry("Density-modulus law", "cancellous bone", Selection("cancellous bone|custom"),
                      "E = C rho^gamma of the remodeling bone: 'cancellous bone' uses "
                      "Materials/cancellous bone (Morgan et al. 2003), 'custom' the two entries "
                      "below. gamma sets the fixed-stress exponent of the implicit update. [-]");
    prm.declare_entry("Density-modulus coefficient", "100", Double(0),
                      "C of E = C rho^gamma when Density-modulus law = custom (Weinans 1992: "
                      "100). [MPa/(g/cm^3)^gamma]");
    prm.declare_entry("Density-modulus exponent", "2", Double(0),
                      "gamma of E = C rho^gamma when Density-modulus law = custom (Weinans "
                      "1992: 2). [-]");
    prm.declare_entry("Attractor stimulus", "50", Double(0),
                      "psi* of the daily stress stimulus law, tissue level (Beaupré et al. 1990, "
                      "approx. 50). [MPa/day]");
    prm.declare_entry("Stress exponent", "4", Double(0),
                      "m of psi = (sum n_i sigma_i^m)^(1/m) (Beaupré et al. 1990: about 4). [-]");
    prm.declare_entry("Surface rate coefficient", "0.02", Double(0),
                      "Slope c of the surface remodeling rate r_dot = c (psi - (1 +- s) psi*) of "
                      "the daily stress stimulus law (assumed, order of Beaupré et al. 1990). "
                      "[um/day per MPa/day]");
    prm.declare_entry("Tissue density", "2.0", Double(0),
                      "Density rho_t of fully mineralised bone tissue, for the tissue-level "
                      "stimulus (rho_t/rho)^2 psi and the volume fraction rho/rho_t of the daily "
                      "stress stimulus law (approx.). [g/cm^3]");
    prm.declare_entry("Non-local length", "0", Double(0),
                      "Length l of the Helmholtz filter -l^2 lap(S) + S = S_cell applied to the "
                      "stimulus (Lazarov & Sigmund 2011) so that the density neither "
                      "checkerboards nor depends on the mesh; about 1.5-2 element sizes. 0 = "
                      "element-wise stimulus. [mm]");
    prm.leave_subsection();
  }

  RemodelingSettings parse_remodeling_settings(dealii::ParameterHandler &prm)
  {
    RemodelingSettings settings;
    prm.enter_subsection("Remodeling");
    settings.law = prm.get("Law");
    settings.reference_mode =
      prm.get("Reference mode") == "fixed" ? ReferenceMode::fixed : ReferenceMode::site_specific;
    settings.fixed_reference = settings.law == "daily stress stimulus" ?
                                 prm.get_double("Attractor stimulus") :
                                 prm.get_double("Reference stimulus");
    settings.nonlocal_length = prm.get_double("Non-local length");
    settings.modulus_law = read_modulus_law(prm);
    prm.leave_subsection();
    return settings;
  }

  std::unique_ptr<RemodelingLaw> create_remodeling_law(const std::string &name,
                                                       dealii::ParameterHandler &prm)
  {
    for (const Entry &e : table)
      if (name == e.name)
        {
          prm.enter_subsection("Remodeling");
          try
            {
              std::unique_ptr<RemodelingLaw> law = e.create(prm);
              prm.leave_subsection();
              return law;
            }
          catch (...)
            {
              prm.leave_subsection();
              throw;
            }
        }
    throw std::invalid_argument("unknown remodeling law '" + name +
                                "' (known: " + joined_names(", ") + ")");
  }

  double solve_implicit_step(const double rho_n, const double target, const double dt,
                             const RateAndSlope &g)
  {
    if (target == rho_n || !(dt > 0))
      return rho_n;
    // Residual R(rho) = (rho - rho_n - dt g(rho)) * direction: negative at rho_n, and at
    // target unless the bound is reached before the equilibrium.
    const double direction = target > rho_n ? 1.0 : -1.0;
    const auto residual = [&](const double rho) {
      const auto [value, slope] = g(rho);
      return std::make_pair(direction * (rho - rho_n - dt * value), direction * (1 - dt * slope));
    };
    if (residual(target).first <= 0)
      return target;
    double lo = rho_n, hi = target; // R(lo) < 0 < R(hi), R in the sense of direction
    double rho = rho_n + 0.5 * (target - rho_n);
    double previous_step = std::abs(target - rho_n);
    const double tolerance = 1e-15 * std::max(std::abs(rho_n), std::abs(target));
    for (unsigned int it = 0; it < 200; ++it)
      {
        const auto [R, dR] = residual(rho);
        if (R == 0)
          return rho;
        (R < 0 ? lo : hi) = rho;
        if (std::abs(hi - lo) <= tolerance)
          break;
        // Newton step; bisection when it leaves the bracket or converges too slowly (the
        // step does not halve), as in the classical safeguarded Newton method.
        double next = dR != 0 ? rho - R / dR : lo;
        const double a = std::min(lo, hi), b = std::max(lo, hi);
        if (!(next > a && next < b) || std::abs(next - rho) > 0.5 * previous_step)
          next = 0.5 * (lo + hi);
        previous_step = std::abs(next - rho);
        if (previous_step <= 0.25 * tolerance)
          return next;
        rho = next;
      }
    return 0.5 * (lo + hi);
  }
} // namespace bonefusion::adaptation
