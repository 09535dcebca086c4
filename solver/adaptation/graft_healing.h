#pragma once
/**
 * @file Healing of a bone graft: per-point tissue fractions that move towards the tissue the
 * mechano-regulation law favours (docs/sources.md, "Graft healing").
 *
 * State: the volume fractions f_j of the six tissues (tissue.h), summing to 1. Over a step in
 * which the differentiation law's target tissue T is constant the fractions follow a linear
 * ODE with constant coefficients that is integrated exactly (closed form), so the update is
 * stable and independent of how a time interval is split into steps:
 *   - T = a soft tissue (fibrous, cartilage, granulation, resorption): every fraction relaxes
 *     to T, df/dt = (e_T - f) / tau_d. tau_d ~ 10 days is the continuous counterpart of
 *     Lacroix & Prendergast's smoothing of the tissue type over the preceding ~10 days.
 *   - T = immature bone: soft tissue ossifies into woven bone at rate k / tau_o; mature bone
 *     stays.
 *   - T = mature bone: soft tissue ossifies into woven bone at rate k / tau_o, and woven bone
 *     matures into lamellar bone at rate k / tau_m (a two-stage chain, over weeks).
 * k is the healing-rate factor of the graft type (autograft 1).
 *
 * Modulus: rule of mixtures (Voigt), E = sum_j f_j E_j. Because f relaxes exponentially,
 * this equals an exponentially weighted average over the recent past of the target tissues'
 * moduli, the continuous analogue of Lacroix & Prendergast's averaging of the modulus over
 * the previous iterations. Poisson's ratio: the same mixture of the tissues' ratios.
 *
 * Calibration (assumptions, documented): tau_o = 30 and tau_m = 60 days make an autograft in
 * a low-strain environment reach 90 % of the mature-bone modulus in about 6 months, an
 * allograft (k = 0.6) in about 9 and a synthetic graft (k = 0.4) in about 14 months, against
 * the clinical time line "most interbody fusions solid by 6-12 months, autograft the gold
 * standard" (docs/sources.md, "Graft healing"). All graft types start at the as-placed modulus of a
 * morsellised graft, about 100 MPa (BMC Surg 2024, docs/sources.md, "Materials"): autograft as 10 %
 * living (woven-bone) chips in 90 % granulation tissue (the chips take part in the maturation
 * chain); allograft and synthetic grafts as an inert mineralised scaffold of the same
 * stiffness (1/60 mature-bone fraction) in granulation tissue, without living osteogenic
 * cells. The ranking autograft > allograft > synthetic follows the graft's osteogenic and
 * osteoinductive potential; the factors themselves are not measured values.
 */
#include "adaptation/healing_junction.h"
#include "adaptation/tissue.h"

#include <array>
#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::adaptation
{
  /** What the graft is made of. */
  enum class GraftType
  {
    autograft,
    allograft,
    synthetic
  };

  /** Per-point state of a healing graft: fractions of each tissue, summing to 1. */
  struct GraftState
  {
    std::array<double, n_tissues> fraction = {{1, 0, 0, 0, 0, 0}};
  };

  /** Constants of the graft-healing model. */
  struct GraftHealingParameters
  {
    double differentiation_time = 10; ///< tau_d [days]
    double osteogenesis_time = 30;    ///< tau_o, soft tissue -> woven bone, autograft [days]
    double maturation_time = 60;      ///< tau_m, woven -> mature bone, autograft [days]
    /** Healing-rate factor k of autograft, allograft, synthetic [-]. */
    std::array<double, 3> rate_factor = {{1.0, 0.6, 0.4}};
    TissueProperties tissues;
    /** Throws std::invalid_argument for non-positive times, factors or moduli. */
    void validate() const;
  };

  /** Graft healing: initial state per graft type, exact update, effective properties. */
  class GraftHealing
  {
  public:
    explicit GraftHealing(const GraftHealingParameters &parameters = {});

    /** State of a freshly placed graft of the given type. */
    GraftState initial_state(GraftType type) const;

    /**
     * Advances the fractions over dt [days] with the target tissue held constant (exact
     * solution of the linear ODE; any dt >= 0).
     */
    void advance(GraftState &state, Tissue target, double dt, GraftType type) const;

    /** Effective Young's modulus [MPa], rule of mixtures. */
    double modulus(const GraftState &state) const;
    /** Effective Poisson's ratio [-], rule of mixtures. */
    double poissons_ratio(const GraftState &state) const;
    /** Bone volume fraction (woven + mature) [-]. */
    static double bone_fraction(const GraftState &state);

    const GraftHealingParameters &parameters() const { return prm; }

  private:
    GraftHealingParameters prm;
  };

  /** Settings of subsection "Graft healing". */
  struct GraftHealingSettings
  {
    std::string law = "Prendergast-Lacroix";
    GraftType graft_type = GraftType::autograft;
    GraftHealingParameters parameters;
    /** The healing gap between the graft and the host bone (healing_junction.h). */
    HealingJunction junction;
  };

  /** Name of a graft type ("autograft", "allograft", "synthetic"). */
  std::string graft_type_name(GraftType type);
  /** Graft type from its name; throws std::invalid_argument for an unknown name. */
  GraftType graft_type_from_name(const std::string &name);

  /**
   * Declares subsection "Graft healing" (law and thresholds, graft type, time constants,
   * tissue properties) at the current level of prm.
   */
  void declare_graft_healing_parameters(dealii::ParameterHandler &prm);
  /** Reads subsection "Graft healing" (same level as declared); validates. */
  GraftHealingSettings parse_graft_healing_parameters(dealii::ParameterHandler &prm);
} // namespace bonefusion::adaptation
