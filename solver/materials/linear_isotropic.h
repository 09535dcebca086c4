#pragma once
/**
 * @file Linear isotropic elasticity: the law every region of the foundation model uses.
 */
#include <string>

namespace bonefusion::materials
{
  /** Young's modulus and Poisson's ratio of a linear isotropic solid, with Lamé constants. */
  struct LinearIsotropic
  {
    double youngs_modulus = 0; ///< E [MPa]
    double poissons_ratio = 0; ///< nu [-], -1 < nu < 0.5

    /** First Lamé constant lambda = E nu / ((1 + nu)(1 - 2 nu)) [MPa]. */
    double lambda() const;
    /** Shear modulus mu = E / (2 (1 + nu)) [MPa]. */
    double mu() const;
    /** Bulk modulus K = E / (3 (1 - 2 nu)) [MPa]. */
    double bulk_modulus() const;

    /**
     * Throws std::invalid_argument naming `what` (a parameter path) unless E > 0 and
     * -1 < nu < 0.5: nu = 0.5 makes lambda infinite, the displacement formulation cannot
     * represent an exactly incompressible solid.
     */
    void validate(const std::string &what) const;
  };
} // namespace bonefusion::materials
