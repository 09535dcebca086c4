#pragma once
/**
 * @file Mechano-regulation of tissue differentiation: the seam between the mechanics of a
 * point in the graft and the tissue it tends to become (docs/sources.md, "Graft healing").
 *
 * Implementations (one per file, all in the factory table of differentiation_law.cc):
 *   - "Prendergast-Lacroix": octahedral shear strain stimulus (Prendergast, Huiskes & Soballe
 *     1997; Lacroix & Prendergast 2002), strain term only,
 *   - "Claes-Heigele": principal strain and hydrostatic pressure thresholds (Claes & Heigele
 *     1999, J Biomech 32:255).
 */
#include "adaptation/tissue.h"

#include <memory>
#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::adaptation
{
  /** The mechanical state of a point in the healing tissue. */
  struct TissueMechanics
  {
    double octahedral_shear_strain;  ///< gamma_oct = 2/3 sqrt((e1-e2)^2+(e2-e3)^2+(e3-e1)^2) [-]
    double principal_strain_max_abs; ///< max_i |e_i| [-]
    double hydrostatic_pressure;     ///< -tr(sigma)/3 [MPa], compression positive
  };

  /** A mechano-regulation law: the tissue favoured by the local mechanics. */
  class DifferentiationLaw
  {
  public:
    virtual ~DifferentiationLaw() = default;
    /** The tissue that the mechanics at a point favours. */
    virtual Tissue target(const TissueMechanics &mechanics) const = 0;
    /** The name the law is selected by in the input file. */
    virtual std::string name() const = 0;
  };

  /**
   * Declares the differentiation-law entries (law selection and thresholds) in the current
   * subsection of prm; declare_graft_healing_parameters() calls it inside "Graft healing".
   */
  void declare_differentiation_parameters(dealii::ParameterHandler &prm);

  /**
   * Factory: the law called `name` ("Prendergast-Lacroix" or "Claes-Heigele") with its
   * thresholds read from subsection "Graft healing" of prm (prm at the level where
   * declare_graft_healing_parameters() was called). Throws std::invalid_argument for an
   * unknown name or inconsistent thresholds.
   */
  std::unique_ptr<DifferentiationLaw> create_differentiation_law(const std::string &name,
                                                                 dealii::ParameterHandler &prm);

  /** Names of all differentiation laws, in the factory's order. */
  std::vector<std::string> differentiation_law_names();
} // namespace bonefusion::adaptation
