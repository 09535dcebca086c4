#pragma once
/**
 * @file Prendergast-Lacroix mechano-regulation (Prendergast, Huiskes & Soballe 1997 J Biomech
 * 30:539; Lacroix & Prendergast 2002 J Biomech 35:1163; docs/sources.md, "Graft healing").
 *
 * The full stimulus is S = gamma_oct / a + v / b (a = 0.0375, b = 3 um/s, v the relative
 * fluid velocity). bonefusion's mechanics is single-phase linear elasticity: there is no
 * fluid velocity, so the fluid term is dropped and S = gamma_oct / a. The thresholds stay
 * those of the full model. Without the fluid term the stimulus is lower where flow matters
 * most (soft, permeable early tissue under fast loading), so the law leans towards bone
 * there; docs/sources.md, "Graft healing" recommends exactly this fallback without a poroelastic
 * model. Thresholds: S < 0.01 resorption; 0.01-0.267 mature bone; 0.267-1 immature bone; 1-3
 * cartilage; > 3 fibrous tissue.
 */
#include "adaptation/differentiation_law.h"

namespace bonefusion::adaptation
{
  /** Thresholds of the Prendergast-Lacroix law. */
  struct PrendergastLacroixParameters
  {
    double reference_shear_strain = 0.0375; ///< a [-]
    double resorption_limit = 0.01;         ///< S below: resorption [-]
    double mature_bone_limit = 0.267;       ///< S below: mature bone [-]
    double immature_bone_limit = 1;         ///< S below: immature bone [-]
    double cartilage_limit = 3;             ///< S below: cartilage, above: fibrous [-]
    /** Throws std::invalid_argument unless 0 < a and 0 <= limits increasing. */
    void validate() const;
  };

  /** Strain-only Prendergast-Lacroix law. */
  class PrendergastLacroix : public DifferentiationLaw
  {
  public:
    explicit PrendergastLacroix(const PrendergastLacroixParameters &parameters = {});
    /** S = gamma_oct / a [-]. */
    double stimulus(const TissueMechanics &mechanics) const;
    Tissue target(const TissueMechanics &mechanics) const override;
    std::string name() const override { return "Prendergast-Lacroix"; }

  private:
    PrendergastLacroixParameters prm;
  };
} // namespace bonefusion::adaptation
