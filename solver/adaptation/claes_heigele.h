#pragma once
/**
 * @file Claes-Heigele mechano-regulation (Claes & Heigele 1999 J Biomech 32:255;
 * docs/sources.md, "Graft healing", values approx.).
 *
 * Intramembranous (direct) ossification where the largest principal strain magnitude is
 * below ~5 % and the hydrostatic pressure magnitude below ~0.15 MPa; endochondral
 * ossification (cartilage first) where the tissue is compressed by more than ~0.15 MPa and
 * strained by less than ~15 %; connective (fibrous) tissue otherwise. Direct ossification is
 * returned as Tissue::mature_bone, the end point of ossification: GraftHealing passes it
 * through woven (immature) bone at the osteogenic and maturation rates. The law has no
 * resorption branch.
 */
#include "adaptation/differentiation_law.h"

namespace bonefusion::adaptation
{
  /** Thresholds of the Claes-Heigele law. */
  struct ClaesHeigeleParameters
  {
    double direct_strain_limit = 0.05;       ///< |e|max below: intramembranous bone [-]
    double direct_pressure_limit = 0.15;     ///< |p| below: intramembranous bone [MPa]
    double endochondral_strain_limit = 0.15; ///< |e|max below, p > limit: cartilage [-]
    /** Throws std::invalid_argument unless 0 < direct strain limit <= endochondral limit. */
    void validate() const;
  };

  /** Strain and pressure thresholds of Claes & Heigele. */
  class ClaesHeigele : public DifferentiationLaw
  {
  public:
    explicit ClaesHeigele(const ClaesHeigeleParameters &parameters = {});
    Tissue target(const TissueMechanics &mechanics) const override;
    std::string name() const override { return "Claes-Heigele"; }

  private:
    ClaesHeigeleParameters prm;
  };
} // namespace bonefusion::adaptation
