// Requirement: remodeling laws reach their fixed-stress equilibrium (SED: rho* = (sigma^2 / (2 C
// K))^(1/(gamma+1)); Beaupré: psi = psi*) with a first-order (0.9-1.1), unconditionally stable
// update that never overshoots or leaves [rho_min, rho_max]; graft healing maps the thresholds to
// tissues, ossifies under low strain (6000 MPa), stays fibrous (2 MPa) under high strain, is exact
// for any step (1e-12) and ranks autograft > allograft > synthetic; the healing gap at a
// graft-bone junction obeys series-layer compatibility (1e-12) and its strain is the relative
// motion over the gap width whatever the voxel size (within 2 %).
#include <deal.II/base/parameter_handler.h>

#include "adaptation/claes_heigele.h"
#include "adaptation/daily_stress_remodeling.h"
#include "adaptation/differentiation_law.h"
#include "adaptation/graft_healing.h"
#include "adaptation/graft_modulus_change.h"
#include "adaptation/healing_junction.h"
#include "adaptation/prendergast_lacroix.h"
#include "adaptation/remodeling_law.h"
#include "adaptation/strain_energy_remodeling.h"
#include "materials/material_library.h"

#include <deal.II/base/mpi.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <vector>

using namespace bonefusion::adaptation;

namespace
{
  // Weinans 1992 constants (docs/sources.md, "Remodeling"): E = 100 rho^2, K = 0.25 J/g, B = 1.
  constexpr double C = 100, gamma_ = 2, K = 0.25, B = 1;

  StrainEnergyRemodelingParameters weinans(const double s = 0)
  {
    StrainEnergyRemodelingParameters p;
    p.rate_constant = B;
    p.lazy_zone_half_width = s;
    p.min_density = 0.01;
    p.max_density = 1.74;
    p.modulus_exponent = gamma_;
    return p;
  }

  double modulus(const double rho)
  {
    return C * std::pow(rho, gamma_);
  }

  /** One day at a point under a fixed uniaxial stress sigma [MPa]: U = sigma^2 / (2 E(rho)). */
  std::vector<DailyLoad> fixed_stress_day(const double sigma, const double rho,
                                          const double cycles = 1)
  {
    return {{sigma * sigma / (2 * modulus(rho)), cycles}};
  }

  /** Density after `steps` steps of dt under fixed stress, stimulus recomputed each step. */
  double integrate(const RemodelingLaw &law, double rho, const double sigma, const double reference,
                   const double dt, const unsigned int steps, const double cycles = 1)
  {
    for (unsigned int n = 0; n < steps; ++n)
      {
        const double S = law.stimulus(fixed_stress_day(sigma, rho, cycles), rho, modulus(rho));
        rho = law.advance(rho, S, reference, dt);
      }
    return rho;
  }

  /** int_a^b f by composite 5-point Gauss-Legendre on `panels` panels. */
  double gauss_legendre(const std::function<double(double)> &f, const double a, const double b,
                        const unsigned int panels)
  {
    static const double x[5] = {0.0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640,
                                0.9061798459386640};
    static const double w[5] = {0.5688888888888889, 0.4786286704993665, 0.4786286704993665,
                                0.2369268850561891, 0.2369268850561891};
    const double h = (b - a) / panels;
    double sum = 0;
    for (unsigned int p = 0; p < panels; ++p)
      {
        const double mid = a + (p + 0.5) * h;
        for (unsigned int q = 0; q < 5; ++q)
          sum += w[q] * f(mid + 0.5 * h * x[q]);
      }
    return 0.5 * h * sum;
  }
} // namespace

// ----------------------------------------------------------------------------------------
// Strain-energy-density law (Huiskes / Weinans)

TEST(RemodelingStrainEnergy, StimulusIsCycleWeightedMeanPerUnitMass)
{
  const StrainEnergyRemodeling law(weinans());
  // (1000 * 0.02 + 3000 * 0.06) / 4000 = 0.05 MPa, / 0.5 g/cm^3 = 0.1 J/g
  EXPECT_NEAR(law.stimulus({{0.02, 1000}, {0.06, 3000}}, 0.5, 25), 0.1, 1e-15);
  EXPECT_NEAR(law.stimulus({{0.02, 7}}, 0.5, 25), 0.04, 1e-15); // one case: U / rho
  EXPECT_EQ(law.stimulus({}, 0.5, 25), 0.0);
  EXPECT_EQ(law.name(), "strain energy density");
  EXPECT_DOUBLE_EQ(law.fixed_stress_exponent(), gamma_ + 1);
}

TEST(RemodelingStrainEnergy, RateFollowsLazyZone)
{
  const StrainEnergyRemodeling law(weinans(0.5));
  EXPECT_NEAR(law.rate(0.8, 0.5, K), B * (0.5 - 1.5 * K), 1e-15); // above (1+s) K
  EXPECT_NEAR(law.rate(0.8, 0.1, K), B * (0.1 - 0.5 * K), 1e-15); // below (1-s) K
  EXPECT_EQ(law.rate(0.8, 0.3, K), 0.0);                          // inside
  EXPECT_EQ(law.rate(1.74, 1.0, K), 0.0);                         // at the upper bound
  EXPECT_EQ(law.rate(0.01, 0.0, K), 0.0);                         // at the lower bound
}

TEST(RemodelingStrainEnergy, BackwardEulerConvergesFirstOrderToExactTimeCourse)
{
  const StrainEnergyRemodeling law(weinans());
  const double rho0 = 0.8, rho_star = 1.2;
  const double sigma = std::sqrt(2 * C * K * std::pow(rho_star, gamma_ + 1));
  // Equilibrium under fixed stress: rho* = (sigma^2 / (2 C K))^(1/(gamma+1)).
  EXPECT_NEAR(std::pow(sigma * sigma / (2 * C * K), 1 / (gamma_ + 1)), rho_star, 1e-14);

  // Exact time course: t(rho) = int_rho0^rho dr / g(r), g(r) = B (sigma^2/(2 C r^3) - K).
  const auto g = [&](const double r) {
    return B * (sigma * sigma / (2 * C * std::pow(r, gamma_ + 1)) - K);
  };
  const auto time_to = [&](const double rho) {
    return gauss_legendre([&](const double r) { return 1 / g(r); }, rho0, rho, 400);
  };
  const double T = 2.0; // days
  // Invert t(rho) = T: t grows monotonically from 0 at rho0 to infinity at rho*.
  double lo = rho0, hi = rho_star;
  for (int it = 0; it < 200 && hi - lo > 1e-15; ++it)
    (time_to(0.5 * (lo + hi)) < T ? lo : hi) = 0.5 * (lo + hi);
  const double rho_exact = 0.5 * (lo + hi);
  EXPECT_NEAR(time_to(rho_exact), T, 1e-13);
  EXPECT_LT(rho_exact, rho_star);
  // Quadrature check: doubling the panels changes t by less than 1e-13.
  EXPECT_NEAR(gauss_legendre([&](const double r) { return 1 / g(r); }, rho0, rho_exact, 800), T,
              1e-13);

  std::vector<double> errors;
  double dt = 0.2;
  for (unsigned int level = 0; level < 4; ++level, dt /= 2)
    {
      const unsigned int steps = static_cast<unsigned int>(std::lround(T / dt));
      errors.push_back(std::abs(integrate(law, rho0, sigma, K, dt, steps) - rho_exact));
    }
  std::cout << "  rho(T = 2 d) exact " << rho_exact << "; backward Euler errors";
  for (const double e : errors)
    std::cout << " " << e;
  std::cout << "\n  observed orders";
  for (unsigned int i = 1; i < errors.size(); ++i)
    {
      const double order = std::log2(errors[i - 1] / errors[i]);
      std::cout << " " << order;
      EXPECT_GT(order, 0.9);
      EXPECT_LT(order, 1.1);
    }
  std::cout << std::endl;
}

TEST(RemodelingStrainEnergy, HugeStepLandsNearEquilibriumWithoutOvershoot)
{
  const StrainEnergyRemodeling law(weinans());
  const double rho_star = 1.2;
  const double sigma = std::sqrt(2 * C * K * std::pow(rho_star, gamma_ + 1));
  for (const double rho0 : {0.8, 0.05, 1.6, 1.74})
    {
      double rho = rho0;
      for (unsigned int n = 0; n < 5; ++n)
        {
          rho = integrate(law, rho, sigma, K, 1000.0, 1);
          // Approach from one side only: never across rho*.
          if (rho0 < rho_star)
            {
              EXPECT_LE(rho, rho_star) << "from " << rho0;
            }
          else
            {
              EXPECT_GE(rho, rho_star) << "from " << rho0;
            }
          if (n == 0)
            {
              EXPECT_NEAR(rho, rho_star, 3e-3) << "one 1000-day step from " << rho0;
            }
        }
      EXPECT_NEAR(rho, rho_star, 1e-9);
    }
  // Equilibria outside the bounds: the density stops at the bound, exactly.
  const double sigma_high = std::sqrt(2 * C * K * std::pow(3.0, gamma_ + 1));
  const double sigma_low = std::sqrt(2 * C * K * std::pow(0.001, gamma_ + 1));
  EXPECT_EQ(integrate(law, 0.8, sigma_high, K, 1000.0, 1), 1.74);
  EXPECT_EQ(integrate(law, 0.8, sigma_low, K, 1000.0, 1), 0.01);
  // Never outside the bounds, for any step and load.
  for (const double dt : {1e-3, 0.1, 1.0, 10.0, 1e3, 1e6})
    for (const double s : {0.0, 0.1, 1.0, 3.0, 30.0})
      for (const double rho0 : {0.01, 0.3, 1.0, 1.74})
        {
          const double rho = integrate(law, rho0, s, K, dt, 3);
          EXPECT_GE(rho, 0.01);
          EXPECT_LE(rho, 1.74);
        }
}

TEST(RemodelingStrainEnergy, LazyZoneLeavesDensityUnchanged)
{
  const StrainEnergyRemodeling law(weinans(0.4));
  for (const double S : {0.6 * K + 1e-12, 0.9 * K, K, 1.3 * K, 1.4 * K - 1e-12})
    for (const double dt : {1.0, 1e3})
      EXPECT_EQ(law.advance(0.7, S, K, dt), 0.7);
  // Just outside, the density moves, but only to the lazy-zone edge.
  const double rho = law.advance(0.7, 2 * K, K, 1e6);
  EXPECT_GT(rho, 0.7);
  EXPECT_NEAR(2 * K * std::pow(0.7 / rho, 3), 1.4 * K, 1e-6 * K);
}

// ----------------------------------------------------------------------------------------
// Daily stress stimulus (Beaupré, Orr & Carter)

TEST(RemodelingDailyStress, StimulusAndSurfaceDensity)
{
  DailyStressRemodelingParameters p;
  const DailyStressRemodeling law(p);
  // One case, sigma = 2 MPa, 10 000 cycles/day: psi_b = 10000^(1/4) * 2 = 20 MPa/day;
  // tissue level (2 / 0.5)^2 * 20 = 320.
  const double E = 500, U = 2.0 * 2.0 / (2 * E);
  EXPECT_NEAR(law.stimulus({{U, 1e4}}, 0.5, E), 320, 1e-10);
  // Two cases combine as the m-norm.
  EXPECT_NEAR(law.stimulus({{U, 5e3}, {U, 5e3}}, 0.5, E), 320, 1e-10);
  // Martin 1984: zero at v = 0, positive on (0, 1], about 0.2 mm^-1 at v = 1.
  EXPECT_EQ(bone_surface_density(0), 0.0);
  for (double v = 0.01; v <= 1.0; v += 0.01)
    EXPECT_GT(bone_surface_density(v), 0.0) << v;
  EXPECT_NEAR(bone_surface_density(1), 0.2, 1e-12);
  const double h = 1e-6;
  EXPECT_NEAR(bone_surface_density_derivative(0.3),
              (bone_surface_density(0.3 + h) - bone_surface_density(0.3 - h)) / (2 * h), 1e-6);
}

TEST(RemodelingDailyStress, ReachesAttractorUnderFixedStressWithoutOvershoot)
{
  DailyStressRemodelingParameters p;
  p.lazy_zone_half_width = 0;
  const DailyStressRemodeling law(p);
  const double sigma = 1.0, cycles = 1e4, psi_star = p.attractor;
  // psi(rho) = (rho_t/rho)^2 n^(1/m) sigma = psi*  ->  rho* = rho_t sqrt(n^(1/m) sigma / psi*).
  const double rho_star = p.tissue_density * std::sqrt(std::pow(cycles, 0.25) * sigma / psi_star);
  for (const double rho0 : {0.3, 1.5})
    {
      double rho = rho0;
      for (unsigned int n = 0; n < 40; ++n)
        {
          rho = integrate(law, rho, sigma, psi_star, 1000.0, 1, cycles);
          // No overshoot (up to rounding in rho*).
          if (rho0 < rho_star)
            {
              EXPECT_LE(rho, rho_star * (1 + 1e-14));
            }
          else
            {
              EXPECT_GE(rho, rho_star * (1 - 1e-14));
            }
        }
      const double psi = law.stimulus(fixed_stress_day(sigma, rho, cycles), rho, modulus(rho));
      EXPECT_NEAR(psi / psi_star, 1.0, 1e-6) << "from " << rho0 << ": rho = " << rho;
      EXPECT_NEAR(rho, rho_star, 1e-6);
    }
  // Small steps converge to the same point.
  EXPECT_NEAR(integrate(law, 0.3, sigma, psi_star, 5.0, 4000, cycles), rho_star, 1e-6);
  // Bounds hold for extreme loads.
  EXPECT_EQ(integrate(law, 0.8, 100.0, psi_star, 1e5, 3, cycles), p.max_density);
  EXPECT_EQ(integrate(law, 0.8, 1e-6, psi_star, 1e5, 3, cycles), p.min_density);
}

// ----------------------------------------------------------------------------------------
// Factory and parameters

TEST(RemodelingParameters, FactoryBuildsEveryLawAndRejectsUnknownNames)
{
  dealii::ParameterHandler prm;
  declare_remodeling_parameters(prm);
  prm.enter_subsection("Remodeling");
  prm.set("Density-modulus law", "custom");
  prm.set("Lazy zone half width", "0.0");
  prm.set("Reference mode", "fixed");
  prm.set("Non-local length", "3.5");
  prm.leave_subsection();
  for (const std::string &name : remodeling_law_names())
    EXPECT_EQ(create_remodeling_law(name, prm)->name(), name);
  EXPECT_THROW(create_remodeling_law("Frost mechanostat", prm), std::invalid_argument);
  const RemodelingSettings s = parse_remodeling_settings(prm);
  EXPECT_EQ(s.law, "strain energy density");
  EXPECT_EQ(s.reference_mode, ReferenceMode::fixed);
  EXPECT_DOUBLE_EQ(s.fixed_reference, 0.25);
  EXPECT_DOUBLE_EQ(s.nonlocal_length, 3.5);
  EXPECT_DOUBLE_EQ(s.modulus_law.coefficient, 100);
  EXPECT_DOUBLE_EQ(s.modulus_law.exponent, 2);

  // "cancellous bone" needs the Materials tree; without it the error says what is missing.
  prm.enter_subsection("Remodeling");
  prm.set("Density-modulus law", "cancellous bone");
  prm.leave_subsection();
  EXPECT_THROW(create_remodeling_law("strain energy density", prm), std::invalid_argument);

  // Inconsistent bounds are rejected.
  prm.enter_subsection("Remodeling");
  prm.set("Density-modulus law", "custom");
  prm.set("Minimum density", "2");
  prm.leave_subsection();
  EXPECT_THROW(create_remodeling_law("strain energy density", prm), std::invalid_argument);
  EXPECT_THROW(create_remodeling_law("daily stress stimulus", prm), std::invalid_argument);

  // With the Materials tree, "cancellous bone" takes the patient's law (Morgan et al. 2003).
  dealii::ParameterHandler full;
  bonefusion::materials::MaterialLibrary::declare_parameters(full);
  declare_remodeling_parameters(full);
  const RemodelingSettings patient = parse_remodeling_settings(full);
  EXPECT_DOUBLE_EQ(patient.modulus_law.coefficient, 4730);
  EXPECT_DOUBLE_EQ(patient.modulus_law.exponent, 1.56);
  const auto law = create_remodeling_law("strain energy density", full);
  EXPECT_DOUBLE_EQ(dynamic_cast<const StrainEnergyRemodeling &>(*law).fixed_stress_exponent(),
                   2.56);
}

// ----------------------------------------------------------------------------------------
// Tissue differentiation

namespace
{
  TissueMechanics shear(const double gamma_oct)
  {
    return {gamma_oct, gamma_oct, 0.0};
  }
} // namespace

TEST(GraftDifferentiation, PrendergastLacroixThresholds)
{
  const PrendergastLacroix law;
  const double a = 0.0375;
  EXPECT_EQ(law.target(shear(0.005 * a)), Tissue::resorption);
  EXPECT_EQ(law.target(shear(0.01 * a)), Tissue::mature_bone);
  EXPECT_EQ(law.target(shear(0.1 * a)), Tissue::mature_bone);
  EXPECT_EQ(law.target(shear(0.266 * a)), Tissue::mature_bone);
  EXPECT_EQ(law.target(shear(0.268 * a)), Tissue::immature_bone);
  EXPECT_EQ(law.target(shear(0.99 * a)), Tissue::immature_bone);
  EXPECT_EQ(law.target(shear(1.01 * a)), Tissue::cartilage);
  EXPECT_EQ(law.target(shear(2.99 * a)), Tissue::cartilage);
  EXPECT_EQ(law.target(shear(3.01 * a)), Tissue::fibrous);
  // Pressure plays no role in the strain-only law.
  EXPECT_EQ(law.target({0.1 * a, 0.1 * a, 5.0}), Tissue::mature_bone);
}

TEST(GraftDifferentiation, ClaesHeigeleThresholds)
{
  const ClaesHeigele law;
  EXPECT_EQ(law.target({0.01, 0.02, 0.05}), Tissue::mature_bone);  // direct ossification
  EXPECT_EQ(law.target({0.01, 0.02, -0.10}), Tissue::mature_bone); // small tension too
  EXPECT_EQ(law.target({0.05, 0.10, 0.50}), Tissue::cartilage);    // compressed, < 15 %
  EXPECT_EQ(law.target({0.01, 0.03, 0.50}), Tissue::cartilage);    // small strain, > 0.15 MPa
  EXPECT_EQ(law.target({0.05, 0.10, 0.05}), Tissue::fibrous);      // strain > 5 %, no pressure
  EXPECT_EQ(law.target({0.01, 0.03, -0.50}), Tissue::fibrous);     // tension
  EXPECT_EQ(law.target({0.20, 0.20, 0.50}), Tissue::fibrous);      // > 15 %
}

TEST(GraftDifferentiation, FactoryAndParameters)
{
  dealii::ParameterHandler prm;
  declare_graft_healing_parameters(prm);
  for (const std::string &name : differentiation_law_names())
    EXPECT_EQ(create_differentiation_law(name, prm)->name(), name);
  EXPECT_THROW(create_differentiation_law("Carter", prm), std::invalid_argument);
  prm.enter_subsection("Graft healing");
  prm.set("Mature bone limit", "2");
  prm.set("Graft type", "allograft");
  prm.set("Mature bone modulus", "5000");
  prm.leave_subsection();
  EXPECT_THROW(create_differentiation_law("Prendergast-Lacroix", prm), std::invalid_argument);
  const GraftHealingSettings s = parse_graft_healing_parameters(prm);
  EXPECT_EQ(s.graft_type, GraftType::allograft);
  EXPECT_DOUBLE_EQ(s.parameters.tissues.youngs_modulus[index(Tissue::mature_bone)], 5000);
  EXPECT_DOUBLE_EQ(s.parameters.tissues.youngs_modulus[index(Tissue::granulation)], 0.2);
  EXPECT_DOUBLE_EQ(s.parameters.tissues.poissons_ratio[index(Tissue::granulation)], 0.167);
  prm.enter_subsection("Graft healing");
  prm.set("Immature bone modulus", "8000");
  prm.leave_subsection();
  EXPECT_THROW(parse_graft_healing_parameters(prm), std::invalid_argument);
}

// ----------------------------------------------------------------------------------------
// Graft healing

TEST(GraftHealing, LowStrainTurnsGranulationIntoMatureBone)
{
  const GraftHealing healing;
  const PrendergastLacroix law;
  GraftState state; // pure granulation tissue
  EXPECT_NEAR(healing.modulus(state), 0.2, 1e-12);
  double E_previous = healing.modulus(state), E_6_weeks = 0, E_6_months = 0;
  for (unsigned int day = 1; day <= 365; ++day)
    {
      healing.advance(state, law.target(shear(0.002)), 1.0, GraftType::autograft);
      const double E = healing.modulus(state);
      EXPECT_GE(E, E_previous) << "day " << day;
      E_previous = E;
      if (day == 42)
        E_6_weeks = E;
      if (day == 182)
        E_6_months = E;
      double sum = 0;
      for (const double f : state.fraction)
        {
          EXPECT_GE(f, -1e-15);
          sum += f;
        }
      EXPECT_NEAR(sum, 1.0, 1e-14);
    }
  std::cout << "  autograft, low strain: E = " << E_6_weeks << " MPa at 6 weeks, " << E_6_months
            << " at 6 months, " << E_previous << " at 12 months" << std::endl;
  EXPECT_LT(E_6_weeks, 0.5 * 6000);   // not yet solid at the first follow-up
  EXPECT_GT(E_6_months, 0.85 * 6000); // solid by 6-12 months (docs/sources.md, "Graft healing")
  EXPECT_GT(E_previous, 0.99 * 6000);
  EXPECT_GT(GraftHealing::bone_fraction(state), 0.999);
  EXPECT_NEAR(healing.poissons_ratio(state), 0.3, 1e-3);
}

TEST(GraftHealing, HighStrainGivesFibrousNonUnion)
{
  const GraftHealing healing;
  const PrendergastLacroix law;
  GraftState state = healing.initial_state(GraftType::autograft);
  for (unsigned int day = 0; day < 120; ++day)
    healing.advance(state, law.target(shear(0.2)), 1.0, GraftType::autograft);
  EXPECT_NEAR(healing.modulus(state), 2.0, 0.01);
  EXPECT_LT(GraftHealing::bone_fraction(state), 1e-4);
  EXPECT_NEAR(healing.poissons_ratio(state), 0.167, 1e-4);
}

TEST(GraftHealing, ExactUpdateIsIndependentOfTheStep)
{
  const GraftHealing healing;
  GraftState mixed;
  mixed.fraction = {{0.3, 0.1, 0.15, 0.2, 0.2, 0.05}};
  for (const Tissue target : {Tissue::granulation, Tissue::fibrous, Tissue::cartilage,
                              Tissue::immature_bone, Tissue::mature_bone, Tissue::resorption})
    for (const GraftType type : {GraftType::autograft, GraftType::synthetic})
      {
        GraftState one = mixed, ten = mixed;
        healing.advance(one, target, 10.0, type);
        for (unsigned int i = 0; i < 10; ++i)
          healing.advance(ten, target, 1.0, type);
        for (unsigned int j = 0; j < n_tissues; ++j)
          EXPECT_NEAR(one.fraction[j], ten.fraction[j], 1e-12)
            << tissue_name(target) << ", tissue " << j;
        EXPECT_NEAR(healing.modulus(one), healing.modulus(ten), 1e-12 * 6000);
      }
  // Equal maturation and ossification rates (the b -> a limit of the two-stage chain).
  GraftHealingParameters p;
  p.maturation_time = p.osteogenesis_time;
  const GraftHealing equal(p);
  GraftState one = mixed, hundred = mixed;
  equal.advance(one, Tissue::mature_bone, 50.0, GraftType::autograft);
  for (unsigned int i = 0; i < 100; ++i)
    equal.advance(hundred, Tissue::mature_bone, 0.5, GraftType::autograft);
  for (unsigned int j = 0; j < n_tissues; ++j)
    EXPECT_NEAR(one.fraction[j], hundred.fraction[j], 1e-12);
}

TEST(GraftHealing, AutograftHealsFasterThanAllograftFasterThanSynthetic)
{
  const GraftHealing healing;
  double days_to_solid[3];
  for (const GraftType type : {GraftType::autograft, GraftType::allograft, GraftType::synthetic})
    {
      GraftState state = healing.initial_state(type);
      // As placed: about the 100 MPa of a morsellised graft (BMC Surg 2024).
      EXPECT_NEAR(healing.modulus(state), 100, 1);
      unsigned int day = 0;
      while (healing.modulus(state) < 0.9 * 6000 && day < 2000)
        {
          healing.advance(state, Tissue::mature_bone, 1.0, type);
          ++day;
        }
      days_to_solid[static_cast<int>(type)] = day;
      std::cout << "  " << graft_type_name(type) << ": 90 % of the mature-bone modulus after "
                << day << " days" << std::endl;
    }
  EXPECT_LT(days_to_solid[0], days_to_solid[1]);
  EXPECT_LT(days_to_solid[1], days_to_solid[2]);
  // Autograft solid within 6-7 months, allograft within 12 (docs/sources.md, "Graft healing").
  EXPECT_LT(days_to_solid[0], 210);
  EXPECT_LT(days_to_solid[1], 365);
  EXPECT_THROW(graft_type_from_name("xenograft"), std::invalid_argument);
}

// ----------------------------------------------------------------------------------------
// Healing gap at a graft-bone junction

TEST(HealingJunction, GapFractionAndSeriesModulus)
{
  const HealingJunction none, gap(0.5);
  EXPECT_FALSE(none.active());
  EXPECT_EQ(none.gap_fraction(3.0), 0.0);
  EXPECT_DOUBLE_EQ(gap.gap_fraction(2.0), 0.25);
  EXPECT_DOUBLE_EQ(gap.gap_fraction(0.25), 1.0); // a gap wider than the cell fills it
  EXPECT_DOUBLE_EQ(HealingJunction::series_modulus(0.2, 100, 0.0), 100);
  EXPECT_DOUBLE_EQ(HealingJunction::series_modulus(0.2, 100, 1.0), 0.2);
  // Two layers in series: 1 / E = phi / E_gap + (1 - phi) / E_graft.
  EXPECT_NEAR(HealingJunction::series_modulus(2, 100, 0.25), 1 / (0.25 / 2 + 0.75 / 100), 1e-12);
  EXPECT_THROW(HealingJunction(-0.1), std::invalid_argument);
}

TEST(HealingJunction, LayerStrainsAddUpToTheCellStrain)
{
  // Same stress in gap and graft: phi eps_gap + (1 - phi) eps_graft = eps_cell (compatibility
  // of layers in series), and the pressure passes unchanged.
  for (const double E_gap : {0.2, 2.0, 10.0, 1000.0})
    for (const double phi : {0.1, 0.25, 0.7})
      {
        const double E_graft = 100, E = HealingJunction::series_modulus(E_gap, E_graft, phi);
        const TissueMechanics cell{0.004, 0.003, 0.2};
        const TissueMechanics gap = HealingJunction::layer_mechanics(cell, E, E_gap);
        const TissueMechanics graft = HealingJunction::layer_mechanics(cell, E, E_graft);
        EXPECT_NEAR(phi * gap.octahedral_shear_strain + (1 - phi) * graft.octahedral_shear_strain,
                    cell.octahedral_shear_strain, 1e-12);
        EXPECT_NEAR(phi * gap.principal_strain_max_abs + (1 - phi) * graft.principal_strain_max_abs,
                    cell.principal_strain_max_abs, 1e-12);
        EXPECT_DOUBLE_EQ(gap.hydrostatic_pressure, cell.hydrostatic_pressure);
      }
}

TEST(HealingJunction, GapStrainIsMotionOverGapWidthForAnyVoxelSize)
{
  // A 12 mm graft column between two endplates that move towards each other by delta: one
  // junction cell at each end (granulation gap of 0.5 mm in series with 100 MPa graft), the
  // rest graft. The gap's strain must be close to (share of delta taken by the gaps) / g for
  // 3, 1.5 and 0.75 mm voxels; without the gap model (the whole junction cell soft) it would
  // scale with the voxel size instead.
  const double H = 12, delta = 0.01, E_gap = 0.2, E_graft = 100;
  const HealingJunction junction(0.5);
  std::vector<double> gap_strain, cell_strain;
  for (const double h : {3.0, 1.5, 0.75})
    {
      const double phi = junction.gap_fraction(h);
      const double E = HealingJunction::series_modulus(E_gap, E_graft, phi);
      const double sigma = delta / (2 * h / E + (H - 2 * h) / E_graft);
      const TissueMechanics cell{sigma / E, sigma / E, 0};
      gap_strain.push_back(
        HealingJunction::layer_mechanics(cell, E, E_gap).octahedral_shear_strain);
      // The whole junction cell as gap tissue instead (no gap model).
      const double sigma_cell = delta / (2 * h / E_gap + (H - 2 * h) / E_graft);
      cell_strain.push_back(sigma_cell / E_gap);
      // Most of delta goes into the two gaps: strain close to delta / (2 g).
      EXPECT_NEAR(gap_strain.back(), delta / (2 * 0.5), 0.03 * delta / (2 * 0.5)) << "h " << h;
    }
  EXPECT_NEAR(gap_strain[0], gap_strain[2], 0.02 * gap_strain[2]);
  // Without the gap, the cell strain changes by the voxel ratio (4x here).
  EXPECT_GT(cell_strain[2] / cell_strain[0], 3.5);
}

// The adaptive step's graft measure: the largest cell, or per graft region the volume-weighted
// RMS of the cells' relative changes, the largest over regions; on any number of ranks (each
// rank adds the same cells, so the RMS is rank-independent and the largest cell is rank 0's).
TEST(GraftModulusChange, RelativeChangeIsSymmetricAndBounded)
{
  using bonefusion::adaptation::relative_modulus_change;
  // A rise and the fall back count the same; a cell leaving granulation tissue (0.2 MPa) for
  // woven bone (1 000 MPa) counts at most 1, not 4 999 as against the old modulus alone.
  EXPECT_DOUBLE_EQ(relative_modulus_change(100, 150), 50.0 / 150);
  EXPECT_DOUBLE_EQ(relative_modulus_change(150, 100), 50.0 / 150);
  EXPECT_NEAR(relative_modulus_change(0.2, 1000), 0.9998, 1e-12);
  EXPECT_DOUBLE_EQ(relative_modulus_change(7, 7), 0);
  EXPECT_DOUBLE_EQ(relative_modulus_change(0, 0), 0);
}

TEST(GraftModulusChange, LargestCellOrRegionRootMeanSquare)
{
  const MPI_Comm mpi = MPI_COMM_WORLD;
  const bool first = dealii::Utilities::MPI::this_mpi_process(mpi) == 0;
  bonefusion::adaptation::GraftModulusChange change(2);
  ASSERT_EQ(change.volume.size(), 3u); // region ids 0..2
  // Changes are given as a modulus going from 100 MPa to 100 / (1 - c): relative change c.
  const auto add = [&](const unsigned int region, const double volume, const double c) {
    change.add(region, volume, 100.0, 100.0 / (1 - c));
  };
  // Region 0: 99 cells of 1 mm^3 change by 1 %, one cell oscillating at a threshold by 80 %
  // (only on rank 0 for the largest cell). Region 1: no graft. Region 2: half-size cells, 30 %.
  for (unsigned int k = 0; k < 99; ++k)
    add(0, 1.0, 0.01);
  add(0, 1.0, first ? 0.8 : 0.01);
  for (unsigned int k = 0; k < 10; ++k)
    add(2, 0.5, 0.3);
  using bonefusion::adaptation::GraftChangeMeasure;
  EXPECT_NEAR(change.measure(GraftChangeMeasure::largest_cell, mpi), 0.8, 1e-12);
  // Region 0's RMS is sqrt((99 x 1e-4 + 0.64) / 100) = 0.0806 on one rank; region 2's 0.3.
  EXPECT_NEAR(change.measure(GraftChangeMeasure::region_rms, mpi), 0.3, 1e-12);
  change.weighted_square[2] = change.volume[2] = 0;
  const unsigned int ranks = dealii::Utilities::MPI::n_mpi_processes(mpi);
  const double rms = std::sqrt((0.64 + (100 * ranks - 1) * 1e-4) / (100.0 * ranks));
  EXPECT_NEAR(change.measure(GraftChangeMeasure::region_rms, mpi), rms, 1e-12);
  if (ranks == 1)
    {
      EXPECT_NEAR(rms, 0.0806, 1e-4);
    }
  EXPECT_THROW(change.add(3, 1.0, 1.0, 2.0), std::out_of_range);
}
