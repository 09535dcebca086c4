#include "materials/annulus_fibres.h"

#include <deal.II/base/parameter_handler.h>

#include <cmath>
#include <stdexcept>

namespace bonefusion::materials
{
  double AnnulusFibres::stiffness_per_family() const
  {
    return modulus * volume_fraction / (tension_only ? 2 : 4);
  }

  std::array<dealii::Tensor<1, 3>, 2> AnnulusFibres::directions(const dealii::Point<3> &p,
                                                                const double a, const double b,
                                                                const double n) const
  {
    // The gradient of |x/a|^n + |y/b|^n (up to the factor n) is normal to the level curve
    // through p; the circumferential tangent is its rotation by 90 degrees.
    const auto slope = [n](const double x, const double s) {
      return std::copysign(std::pow(std::abs(x) / s, n - 1), x) / s;
    };
    const double gx = slope(p[0], a), gy = slope(p[1], b);
    const double g = std::hypot(gx, gy);
    dealii::Tensor<1, 3> tangent;
    if (g > 0)
      {
        tangent[0] = -gy / g;
        tangent[1] = gx / g;
      }
    else
      tangent[0] = 1; // on the axis (never inside an annulus): any horizontal direction
    dealii::Tensor<1, 3> axial;
    axial[2] = 1;
    const double t = angle * M_PI / 180;
    return {
      {std::cos(t) * tangent + std::sin(t) * axial, std::cos(t) * tangent - std::sin(t) * axial}};
  }

  void AnnulusFibres::declare(dealii::ParameterHandler &prm)
  {
    using dealii::Patterns::Bool;
    using dealii::Patterns::Double;
    const AnnulusFibres d;
    prm.enter_subsection("Annulus fibres");
    prm.declare_entry("Present", d.present ? "true" : "false", Bool(),
                      "Reinforce the annulus with two crossed collagen fibre families (linear, "
                      "smeared; parametric segment only: an imported mesh has no annulus to "
                      "orient them and ignores this). "
                      "Without them the disc is far too soft in axial rotation: intact L4-L5 "
                      "at 7.5 N m (compression-only facets, ligaments) 3.9 deg without, 1.8 "
                      "deg with (in vitro 2.1 +- 0.9, Niosi 2006). [-]");
    prm.declare_entry("Fibre modulus", "455", Double(0),
                      "Young's modulus of the collagen fibres, E_f (550 outer to 358 inner, "
                      "Shirazi-Adl 1984; Choi 2013). [MPa]");
    prm.declare_entry("Volume fraction", "0.16", Double(0, 1),
                      "Volume fraction of the fibres in the annulus, phi (approx.). Each family "
                      "gets the stiffness E_f phi / 4 (two families, tension-only "
                      "approximated by a linear term of half the stiffness). [-]");
    prm.declare_entry("Angle", "30", Double(0, 90),
                      "Angle of the fibres to the transverse plane, +angle and -angle in "
                      "alternate plies (about 30 deg, Shirazi-Adl 1984). [deg]");
    prm.declare_entry("Law", d.tension_only ? "tension only" : "linear",
                      dealii::Patterns::Selection("linear|tension only"),
                      "linear: each family resists stretch and shortening with E_f phi / 4 "
                      "(half the tension-only stiffness). tension only: each family carries "
                      "tension alone with E_f phi / 2 at small strain, stiffening "
                      "exponentially (Holzapfel-Gasser-Ogden fibre); needs 'Mechanics/"
                      "Formulation = finite strain'. [-]");
    prm.declare_entry("Stiffening coefficient", "0", Double(0, 1000),
                      "k2 of the tension-only law psi = k/8 (exp(k2 (I4 - 1)^2) - 1) / k2 (I4 "
                      "the squared fibre stretch): how fast the fibres stiffen as their crimp "
                      "straightens; 0 is the quadratic limit. Not calibrated yet (no verified "
                      "lumbar value in docs/sources.md). [-]");
    prm.leave_subsection();
  }

  void AnnulusFibres::parse(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Annulus fibres");
    present = prm.get_bool("Present");
    modulus = prm.get_double("Fibre modulus");
    volume_fraction = prm.get_double("Volume fraction");
    angle = prm.get_double("Angle");
    tension_only = prm.get("Law") == "tension only";
    stiffening = prm.get_double("Stiffening coefficient");
    prm.leave_subsection();
    if (present && !(modulus > 0))
      throw std::invalid_argument("Annulus fibres/Fibre modulus must be positive, got " +
                                  std::to_string(modulus) + " [MPa]");
  }
} // namespace bonefusion::materials
