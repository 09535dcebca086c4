#include "adaptation/graft_healing.h"

#include <deal.II/base/parameter_handler.h>

#include "adaptation/differentiation_law.h"

#include <cmath>
#include <stdexcept>

namespace bonefusion::adaptation
{
  namespace
  {
    /** Graft types: name and starting fractions (see graft_healing.h for the reasons). */
    struct GraftTypeEntry
    {
      GraftType type;
      const char *name;
      double immature_bone; ///< living bone chips, take part in maturation [-]
      double mature_bone;   ///< inert mineralised scaffold of the same stiffness [-]
    };
    // As-placed modulus ~100 MPa (morsellised graft, BMC Surg 2024): 0.1 * 1000 MPa of woven
    // bone, or 1/60 * 6000 MPa of mature bone, in granulation tissue.
    const GraftTypeEntry graft_types[] = {
      {GraftType::autograft, "autograft", 0.1, 0.0},
      {GraftType::allograft, "allograft", 0.0, 1.0 / 60},
      {GraftType::synthetic, "synthetic", 0.0, 1.0 / 60},
    };

    const GraftTypeEntry &entry(const GraftType type)
    {
      for (const GraftTypeEntry &e : graft_types)
        if (e.type == type)
          return e;
      throw std::invalid_argument("unknown graft type");
    }

    bool is_soft(const unsigned int j)
    {
      return j != index(Tissue::immature_bone) && j != index(Tissue::mature_bone);
    }

    /** (e^{-a t} - e^{-b t}) / (b - a), also for b -> a (then t e^{-a t}). */
    double two_stage(const double a, const double b, const double t)
    {
      const double x = (b - a) * t;
      const double factor = std::abs(x) < 1e-8 ? 1 - 0.5 * x : -std::expm1(-x) / x;
      return t * std::exp(-a * t) * factor;
    }

    const char *tissue_keys[n_tissues] = {"Granulation tissue", "Fibrous tissue", "Cartilage",
                                          "Immature bone",      "Mature bone",    "Resorbed space"};
  } // namespace

  void GraftHealingParameters::validate() const
  {
    bool ok = differentiation_time > 0 && osteogenesis_time > 0 && maturation_time > 0;
    for (const double k : rate_factor)
      ok = ok && k > 0;
    for (unsigned int j = 0; j < n_tissues; ++j)
      ok = ok && tissues.youngs_modulus[j] > 0 && tissues.poissons_ratio[j] > -1 &&
           tissues.poissons_ratio[j] < 0.5;
    if (!ok)
      throw std::invalid_argument("Graft healing: time constants, healing-rate factors and "
                                  "tissue moduli must be positive and Poisson's ratios within "
                                  "(-1, 0.5)");
    if (!(tissues.youngs_modulus[index(Tissue::mature_bone)] >=
            tissues.youngs_modulus[index(Tissue::immature_bone)] &&
          tissues.youngs_modulus[index(Tissue::immature_bone)] >=
            tissues.youngs_modulus[index(Tissue::cartilage)]))
      throw std::invalid_argument(
        "Graft healing: need mature bone >= immature bone >= cartilage modulus (the "
        "ossification chain must stiffen the tissue)");
  }

  GraftHealing::GraftHealing(const GraftHealingParameters &parameters)
    : prm(parameters)
  {
    prm.validate();
  }

  GraftState GraftHealing::initial_state(const GraftType type) const
  {
    const GraftTypeEntry &e = entry(type);
    GraftState s;
    s.fraction.fill(0);
    s.fraction[index(Tissue::immature_bone)] = e.immature_bone;
    s.fraction[index(Tissue::mature_bone)] = e.mature_bone;
    s.fraction[index(Tissue::granulation)] = 1 - e.immature_bone - e.mature_bone;
    return s;
  }

  void GraftHealing::advance(GraftState &state, const Tissue target, const double dt,
                             const GraftType type) const
  {
    if (!(dt > 0))
      return;
    std::array<double, n_tissues> &f = state.fraction;
    const unsigned int woven = index(Tissue::immature_bone), mature = index(Tissue::mature_bone);
    const double k = prm.rate_factor[static_cast<unsigned int>(type)];
    if (target != Tissue::immature_bone && target != Tissue::mature_bone)
      {
        // Every fraction relaxes to the target soft tissue: f = e_T + (f0 - e_T) e^{-t/tau_d}.
        const double decay = std::exp(-dt / prm.differentiation_time);
        double moved = 0;
        for (unsigned int j = 0; j < n_tissues; ++j)
          if (j != index(target))
            {
              moved += f[j] * (1 - decay);
              f[j] *= decay;
            }
        f[index(target)] += moved;
        return;
      }
    // Ossification of the soft tissues into woven bone at rate a.
    const double a = k / prm.osteogenesis_time;
    const double keep = std::exp(-a * dt);
    double soft0 = 0;
    for (unsigned int j = 0; j < n_tissues; ++j)
      if (is_soft(j))
        {
          soft0 += f[j];
          f[j] *= keep;
        }
    const double ossified = soft0 * -std::expm1(-a * dt);
    if (target == Tissue::immature_bone)
      {
        f[woven] += ossified;
        return;
      }
    // Woven bone also matures at rate b: f_w(t) = f_w0 e^{-bt} + a S0 (e^{-at} - e^{-bt})/(b-a).
    const double b = k / prm.maturation_time;
    const double woven0 = f[woven];
    f[woven] = woven0 * std::exp(-b * dt) + a * soft0 * two_stage(a, b, dt);
    f[mature] += ossified + (woven0 - f[woven]);
  }

  double GraftHealing::modulus(const GraftState &state) const
  {
    double E = 0;
    for (unsigned int j = 0; j < n_tissues; ++j)
      E += state.fraction[j] * prm.tissues.youngs_modulus[j];
    return E;
  }

  double GraftHealing::poissons_ratio(const GraftState &state) const
  {
    double nu = 0, sum = 0;
    for (unsigned int j = 0; j < n_tissues; ++j)
      {
        nu += state.fraction[j] * prm.tissues.poissons_ratio[j];
        sum += state.fraction[j];
      }
    return nu / sum;
  }

  double GraftHealing::bone_fraction(const GraftState &state)
  {
    return state.fraction[index(Tissue::immature_bone)] +
           state.fraction[index(Tissue::mature_bone)];
  }

  std::string graft_type_name(const GraftType type)
  {
    return entry(type).name;
  }

  GraftType graft_type_from_name(const std::string &name)
  {
    for (const GraftTypeEntry &e : graft_types)
      if (name == e.name)
        return e.type;
    throw std::invalid_argument("unknown graft type '" + name +
                                "' (known: autograft, allograft, synthetic)");
  }

  void declare_graft_healing_parameters(dealii::ParameterHandler &prm)
  {
    using dealii::Patterns::Double;
    const GraftHealingParameters defaults;
    prm.enter_subsection("Graft healing");
    declare_differentiation_parameters(prm);
    prm.declare_entry("Graft type", "autograft",
                      dealii::Patterns::Selection("autograft|allograft|synthetic"),
                      "Graft material: sets the starting tissue fractions (all about 100 MPa as "
                      "placed) and the healing-rate factor; autograft is the clinical gold "
                      "standard (docs/sources.md, \"Graft healing\"). [-]");
    prm.declare_entry(
      "Junction gap width", "0.5", Double(0, 5),
      "Width g of the healing gap where the graft meets the host bone (the endplates for an "
      "interbody graft, the posterior elements for a posterolateral graft): it starts as "
      "granulation tissue and differentiates with its own strain, the relative motion across "
      "it over g (Perren's interfragmentary strain), in series with the graft in the graft "
      "cells that touch bone; bridging needs bone in the gap too. 0 = no gap: the graft is "
      "tied to the bone as a continuum. The default is an assumption (no measured value): "
      "with it, early loading without a brace fuses a TLIF with Ti rods and not a stand-alone "
      "cage; 0.4-0.6 mm give the same picture (docs/healing.md). At most 5 mm: a wider gap is "
      "a defect, not a junction. [mm]");
    prm.declare_entry("Differentiation time constant", "10", Double(0),
                      "tau_d: time over which the tissue follows a soft-tissue target (fibrous, "
                      "cartilage, resorption); Lacroix & Prendergast 2002 smooth the tissue "
                      "type over ~10 days. [days]");
    prm.declare_entry("Osteogenesis time constant", "30", Double(0),
                      "tau_o: soft tissue -> woven bone for an autograft (divided by the "
                      "healing-rate factor for other grafts); assumed, calibrated to solid "
                      "fusion by ~6 months (docs/sources.md, \"Graft healing\"). [days]");
    prm.declare_entry("Maturation time constant", "60", Double(0),
                      "tau_m: woven -> mature bone for an autograft (divided by the "
                      "healing-rate factor); assumed, as above. [days]");
    prm.declare_entry("Allograft healing rate factor", std::to_string(defaults.rate_factor[1]),
                      Double(0),
                      "Ossification and maturation rates of an allograft relative to an "
                      "autograft (assumed; ranking autograft > allograft > synthetic). [-]");
    prm.declare_entry("Synthetic healing rate factor", std::to_string(defaults.rate_factor[2]),
                      Double(0),
                      "Ossification and maturation rates of a synthetic (ceramic) graft "
                      "relative to an autograft (assumed). [-]");
    for (unsigned int j = 0; j < n_tissues; ++j)
      {
        prm.declare_entry(std::string(tissue_keys[j]) + " modulus",
                          std::to_string(defaults.tissues.youngs_modulus[j]), Double(0),
                          std::string("Young's modulus of ") + tissue_keys[j] +
                            " (Lacroix & Prendergast 2002; resorbed space: as granulation "
                            "tissue, assumed). [MPa]");
        prm.declare_entry(std::string(tissue_keys[j]) + " Poisson's ratio",
                          std::to_string(defaults.tissues.poissons_ratio[j]), Double(-1, 0.5),
                          std::string("Poisson's ratio of ") + tissue_keys[j] +
                            " (Lacroix & Prendergast 2002). [-]");
      }
    prm.leave_subsection();
  }

  GraftHealingSettings parse_graft_healing_parameters(dealii::ParameterHandler &prm)
  {
    GraftHealingSettings s;
    prm.enter_subsection("Graft healing");
    s.law = prm.get("Law");
    s.graft_type = graft_type_from_name(prm.get("Graft type"));
    s.junction = HealingJunction(prm.get_double("Junction gap width"));
    GraftHealingParameters &p = s.parameters;
    p.differentiation_time = prm.get_double("Differentiation time constant");
    p.osteogenesis_time = prm.get_double("Osteogenesis time constant");
    p.maturation_time = prm.get_double("Maturation time constant");
    p.rate_factor[1] = prm.get_double("Allograft healing rate factor");
    p.rate_factor[2] = prm.get_double("Synthetic healing rate factor");
    for (unsigned int j = 0; j < n_tissues; ++j)
      {
        p.tissues.youngs_modulus[j] = prm.get_double(std::string(tissue_keys[j]) + " modulus");
        p.tissues.poissons_ratio[j] =
          prm.get_double(std::string(tissue_keys[j]) + " Poisson's ratio");
      }
    prm.leave_subsection();
    p.validate();
    return s;
  }
} // namespace bonefusion::adaptation
