#pragma once
/**
 * @file Tissue types of a healing graft or callus and their linear-elastic properties.
 *
 * Moduli from Lacroix & Prendergast 2002 (J Biomech 35:1163; docs/sources.md, "Graft healing"):
 * granulation 0.2, fibrous 2, cartilage 10, immature (woven) bone 1000, mature bone 6000 MPa;
 * Poisson's ratios 0.167 for the soft tissues and 0.3 for bone (same source). "resorption"
 * is what the differentiation laws return where bone is removed (stimulus below the
 * resorption threshold); the space fills with marrow-like soft tissue, given the properties
 * of granulation tissue (assumption).
 */
#include <array>
#include <string>

namespace bonefusion::adaptation
{
  /** Tissue phenotypes, in the order of GraftState::fraction. */
  enum class Tissue
  {
    granulation,
    fibrous,
    cartilage,
    immature_bone,
    mature_bone,
    resorption
  };

  constexpr unsigned int n_tissues = 6;

  /** Index of a tissue in per-tissue arrays. */
  constexpr unsigned int index(const Tissue t)
  {
    return static_cast<unsigned int>(t);
  }

  /** Name of a tissue ("granulation", "fibrous", ..., as in parameter files). */
  std::string tissue_name(Tissue t);

  /** Young's modulus [MPa] and Poisson's ratio [-] of each tissue. */
  struct TissueProperties
  {
    std::array<double, n_tissues> youngs_modulus = {{0.2, 2, 10, 1000, 6000, 0.2}};
    std::array<double, n_tissues> poissons_ratio = {{0.167, 0.167, 0.167, 0.3, 0.3, 0.167}};
  };
} // namespace bonefusion::adaptation
