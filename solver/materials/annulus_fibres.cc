#include "materials/annulus_fibres.h"

#include "io/number_text.h"

#include <deal.II/base/parameter_handler.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bonefusion::materials
{
  double AnnulusFibres::stiffness_per_family() const
  {
    return modulus * volume_fraction / (tension_only ? 2 : 4);
  }

  double AnnulusFibres::stiffness_per_family(const double depth) const
  {
    // Linear in s from r k_o (s = 0) to k_o (s = 1); its mean over s, k_o (1 + r) / 2, is
    // the uniform stiffness.
    const double r = inner_modulus_ratio;
    const double outer = 2 * stiffness_per_family() / (1 + r);
    return outer * (r + (1 - r) * std::clamp(depth, 0.0, 1.0));
  }

  double AnnulusFibres::angle_at(const double depth) const
  {
    return angle + inner_angle_change * (1 - std::clamp(depth, 0.0, 1.0));
  }

  std::array<dealii::Tensor<1, 3>, 2> AnnulusFibres::directions(const dealii::Point<3> &p,
                                                                const double a, const double b,
                                                                const double n) const
  {
    return directions(p, a, b, n, 1.0);
  }

  std::array<dealii::Tensor<1, 3>, 2> AnnulusFibres::directions(const dealii::Point<3> &p,
                                                                const double a, const double b,
                                                                const double n,
                                                                const double depth) const
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
    const double t = angle_at(depth) * M_PI / 180;
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
    prm.declare_entry("Inner-to-outer modulus ratio", io::number_text(d.inner_modulus_ratio),
                      Double(0.05, 1),
                      "Radial grading of the fibre stiffness: the fibre stiffness falls linearly "
                      "from the outer annulus (the outline) to the inner one (the nucleus) to "
                      "this fraction of its outer value, the mean staying E_f phi (per family as "
                      "'Law' says). 1: uniform. Shirazi-Adl 1984 (Choi 2013): 358 / 550 = 0.65; "
                      "the calibrated HGO disc of Gruber 2024: k1 about 0.5. [-]");
    prm.declare_entry("Inner angle change", io::number_text(d.inner_angle_change),
                      Double(-30, 30),
                      "Radial grading of the fibre angle: the angle grows linearly from 'Angle' "
                      "at the outline to 'Angle' + this at the nucleus (the inner plies are "
                      "steeper). 0: uniform. The calibrated HGO disc of Gruber 2024: about 31 "
                      "deg outer, 37 inner. [deg]");
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
    inner_modulus_ratio = prm.get_double("Inner-to-outer modulus ratio");
    inner_angle_change = prm.get_double("Inner angle change");
    prm.leave_subsection();
    if (angle + inner_angle_change < 0 || angle + inner_angle_change > 90)
      throw std::invalid_argument(
        "Annulus fibres/Angle + Inner angle change must lie between 0 and 90 deg, got " +
        io::number_text(angle) + " + " + io::number_text(inner_angle_change));
    if (present && !(modulus > 0))
      throw std::invalid_argument("Annulus fibres/Fibre modulus must be positive, got " +
                                  std::to_string(modulus) + " [MPa]");
  }
} // namespace bonefusion::materials
