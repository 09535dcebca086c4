#pragma once
/**
 * @file Modulus of bone from its apparent density, E = a rho^b.
 *
 * Defaults from Morgan, Bayraktar & Keaveny 2003 (J Biomech 36:897), vertebral trabecular
 * bone on-axis: a = 4730 MPa/(g/cm^3)^b, b = 1.56 (docs/sources.md, "Density-modulus law"). The
 * model is isotropic and uses the on-axis modulus.
 */
#include <string>

namespace bonefusion::materials
{
  /** E(rho) = coefficient * rho^exponent, rho apparent density [g/cm^3], E [MPa]. */
  struct DensityPowerLaw
  {
    double coefficient = 4730; ///< a [MPa / (g/cm^3)^b]
    double exponent = 1.56;    ///< b [-]

    /** E [MPa] at apparent density rho [g/cm^3] (rho > 0). */
    double modulus(double rho) const;
    /** dE/drho [MPa / (g/cm^3)], for tangents of remodeling laws. */
    double derivative(double rho) const;
    /** Throws std::invalid_argument naming `what` unless a > 0 and b > 0. */
    void validate(const std::string &what) const;
  };
} // namespace bonefusion::materials
