#pragma once
/**
 * @file Collagen fibres of the annulus fibrosus as two crossed families smeared through the
 * annulus (a linear angle-ply reinforcement of the ground substance).
 *
 * Why: the annulus ground substance alone (4.2 MPa, Choi 2013) gives the disc almost no
 * torsional stiffness, so without fibres the intact L4-L5 segment turns 3.9 deg in axial
 * rotation at 7.5 N m against 2.1 +- 0.9 deg in vitro (Niosi 2006). The plies run at about
 * +-30 deg to the transverse plane, so they are stretched by axial rotation above all and add
 * little in flexion and lateral bending (docs/sources.md, "Annulus fibres"; Shirazi-Adl 1984).
 *
 * Stiffness of each family: k = E_f phi / 4. E_f phi is the fibres' share of the annulus
 * stiffness (fibre modulus x volume fraction); /2 because it is split between the two
 * families; /2 again because real fibres carry tension only, while this linear term also
 * resists compression: in torsion and bending one family (or one side) of the two is
 * stretched, so halving the linear term gives about the tension-only stiffness. Defaults:
 * E_f = 455 MPa (mean of 550 outer and 358 inner, Shirazi-Adl; Choi 2013), phi = 0.16
 * (approx., the fibre volume fraction used in many lumbar models), so k = 18.2 MPa.
 *
 * With the finite-strain formulation the fibres can instead carry tension only (Law =
 * tension only): psi = k/8 (exp(k2 (I4 - 1)^2) - 1) / k2 while stretched, the fibre term of
 * the Holzapfel-Gasser-Ogden law with k1 = k/4 (mechanics/hyperelastic_cell.h). Then no
 * halving is needed and k = E_f phi / 2, so both laws carry the same tension at small
 * strain. k2 (the stiffening of the collagen's crimp) has no verified lumbar value in the
 * project's sources yet: the default 0 is the quadratic (tension-only linear) limit.
 */
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include <array>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::materials
{
  /** Settings of subsection "Annulus fibres" and the fibre directions. */
  struct AnnulusFibres
  {
    bool present = true;
    double modulus = 455;          ///< E_f [MPa]
    double volume_fraction = 0.16; ///< phi [-]
    double angle = 30;             ///< fibre angle to the transverse plane [deg]
    /** Radial grading from the outer to the inner annulus (annulus depth s = 1 to 0,
     *  model::DiscShape::annulus_depth): the family stiffness falls linearly to
     *  inner_modulus_ratio x its outer value, keeping stiffness_per_family() as the mean over
     *  s, and the angle grows linearly by inner_angle_change [deg]. 1 and 0: uniform. */
    double inner_modulus_ratio = 1; ///< [-]
    double inner_angle_change = 0;  ///< [deg]
    /** Finite strain only: fibres carry tension only, stiffening exponentially. */
    bool tension_only = false;
    double stiffening = 0; ///< k2 of the exponential law [-] (tension only)

    /** k of each of the two families [MPa]: E_f phi / 4 for linear fibres (see the file
     *  comment), E_f phi / 2 for tension-only ones (each family carries its full share in
     *  tension and nothing in compression). */
    double stiffness_per_family() const;
    /** The same at annulus depth s (1 outer, 0 inner) with the radial grading [MPa]. */
    double stiffness_per_family(double depth) const;
    /** Fibre angle at annulus depth s [deg]. */
    double angle_at(double depth) const;

    /**
     * Unit directions of the two families at point p of an annulus whose outline is the
     * superellipse |x/a|^n + |y/b|^n = 1 (centred on the z axis; n = 2 an ellipse): the
     * tangent of the level curve of that function through p, tilted by +angle and -angle
     * towards z.
     */
    std::array<dealii::Tensor<1, 3>, 2> directions(const dealii::Point<3> &p, double a, double b,
                                                   double n = 2) const;
    /** The same with the angle at annulus depth s (angle_at). */
    std::array<dealii::Tensor<1, 3>, 2> directions(const dealii::Point<3> &p, double a, double b,
                                                   double n, double depth) const;

    static void declare(dealii::ParameterHandler &prm);
    /** Reads subsection "Annulus fibres"; throws std::invalid_argument on bad values. */
    void parse(dealii::ParameterHandler &prm);
  };
} // namespace bonefusion::materials
