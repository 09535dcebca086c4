// Requirement: material laws and library give the published values (E=1000, nu=0.25 -> lambda = mu
// = 400, K = 666.67 MPa; 4730*0.2^1.56 = 384.12 MPa; Ti 110000, PEEK 3600, cortical 12000 -> 8040
// MPa osteoporotic) and reject invalid parameters naming them.
#include <deal.II/base/parameter_handler.h>

#include "materials/annulus_fibres.h"
#include "materials/density_power_law.h"
#include "materials/linear_isotropic.h"
#include "materials/material_library.h"
#include "materials/region_materials.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

using bonefusion::materials::DensityPowerLaw;
using bonefusion::materials::LinearIsotropic;
using bonefusion::materials::MaterialLibrary;

namespace
{
  /** Message of the std::invalid_argument that f throws; fails the test if none is thrown. */
  template <typename F>
  std::string invalid_argument_message(F &&f)
  {
    try
      {
        f();
      }
    catch (const std::invalid_argument &e)
      {
        return e.what();
      }
    ADD_FAILURE() << "expected std::invalid_argument";
    return "";
  }

  /** A parameter handler with the library's tree declared. */
  void declare(dealii::ParameterHandler &prm)
  {
    MaterialLibrary::declare_parameters(prm);
  }

  void set(dealii::ParameterHandler &prm, const std::string &subsection1,
           const std::string &subsection2, const std::string &key, const std::string &value)
  {
    prm.enter_subsection(subsection1);
    if (!subsection2.empty())
      prm.enter_subsection(subsection2);
    prm.set(key, value);
    if (!subsection2.empty())
      prm.leave_subsection();
    prm.leave_subsection();
  }
} // namespace

// ----------------------------------------------------------------------------------------
// LinearIsotropic

TEST(LinearIsotropic, LameConstantsMatchHandValues)
{
  const LinearIsotropic m{1000.0, 0.25};
  // lambda = E nu / ((1 + nu)(1 - 2 nu)) = 250 / (1.25 * 0.5) = 400
  EXPECT_NEAR(m.lambda(), 400.0, 1e-12);
  // mu = E / (2 (1 + nu)) = 1000 / 2.5 = 400
  EXPECT_NEAR(m.mu(), 400.0, 1e-12);
  // K = E / (3 (1 - 2 nu)) = 1000 / 1.5
  EXPECT_NEAR(m.bulk_modulus(), 2000.0 / 3.0, 1e-12);
  // Consistency: K = lambda + 2 mu / 3.
  EXPECT_NEAR(m.bulk_modulus(), m.lambda() + 2.0 * m.mu() / 3.0, 1e-12);
  EXPECT_NO_THROW(m.validate("Materials/test"));
}

TEST(LinearIsotropic, NearlyIncompressibleIsValidButStiffInBulk)
{
  const LinearIsotropic nucleus{1.0, 0.499};
  EXPECT_NO_THROW(nucleus.validate("Materials/nucleus"));
  EXPECT_GT(nucleus.bulk_modulus() / nucleus.mu(), 100.0);
}

TEST(LinearIsotropic, PoissonsRatioAtOrAboveHalfIsRejectedNamingTheParameter)
{
  for (const double nu : {0.5, 0.6, 1.0, -1.0, -1.5, std::numeric_limits<double>::quiet_NaN(),
                          std::numeric_limits<double>::infinity()})
    {
      SCOPED_TRACE("nu = " + std::to_string(nu));
      const std::string msg = invalid_argument_message([&] {
        LinearIsotropic{1000.0, nu}.validate("Materials/nucleus");
      });
      EXPECT_NE(msg.find("Materials/nucleus"), std::string::npos) << msg;
      EXPECT_NE(msg.find("Poisson"), std::string::npos) << msg;
    }
}

TEST(LinearIsotropic, NonPositiveOrNonFiniteModulusIsRejectedNamingTheParameter)
{
  for (const double E : {0.0, -1.0, -110000.0, std::numeric_limits<double>::quiet_NaN(),
                         std::numeric_limits<double>::infinity()})
    {
      SCOPED_TRACE("E = " + std::to_string(E));
      const std::string msg = invalid_argument_message([&] {
        LinearIsotropic{E, 0.3}.validate("Materials/PEEK");
      });
      EXPECT_NE(msg.find("Materials/PEEK"), std::string::npos) << msg;
      EXPECT_NE(msg.find("Young"), std::string::npos) << msg;
    }
}

// ----------------------------------------------------------------------------------------
// DensityPowerLaw

TEST(DensityPowerLaw, MorganDefaultsAtNormalDensity)
{
  const DensityPowerLaw law;
  EXPECT_EQ(law.coefficient, 4730.0);
  EXPECT_EQ(law.exponent, 1.56);
  // 4730 * 0.2^1.56 = 384.12 MPa
  EXPECT_NEAR(law.modulus(0.2), 384.12, 0.01);
  EXPECT_NEAR(law.modulus(0.2), 4730.0 * std::pow(0.2, 1.56), 1e-10);
  EXPECT_NEAR(law.modulus(1.0), 4730.0, 1e-10);
}

TEST(DensityPowerLaw, PositiveAndStrictlyIncreasing)
{
  const DensityPowerLaw law;
  double previous = 0;
  for (double rho = 0.01; rho <= 2.0; rho += 0.01)
    {
      const double E = law.modulus(rho);
      EXPECT_GT(E, previous) << "rho = " << rho;
      EXPECT_GT(law.derivative(rho), 0) << "rho = " << rho;
      previous = E;
    }
}

TEST(DensityPowerLaw, DerivativeMatchesCentralFiniteDifference)
{
  for (const DensityPowerLaw law : {DensityPowerLaw{}, DensityPowerLaw{2000, 2.0},
                                    DensityPowerLaw{8920, 1.83}, DensityPowerLaw{100, 0.7}})
    for (const double rho : {0.05, 0.1, 0.2, 0.35, 0.8, 1.5})
      {
        const double h = 1e-5 * rho;
        const double fd = (law.modulus(rho + h) - law.modulus(rho - h)) / (2 * h);
        EXPECT_NEAR(law.derivative(rho) / fd, 1.0, 1e-6)
          << "a = " << law.coefficient << ", b = " << law.exponent << ", rho = " << rho;
      }
}

TEST(DensityPowerLaw, NonPositiveParametersAreRejectedNamingThem)
{
  for (const DensityPowerLaw law :
       {DensityPowerLaw{0, 1.56}, DensityPowerLaw{-4730, 1.56}, DensityPowerLaw{4730, 0},
        DensityPowerLaw{4730, -1}, DensityPowerLaw{std::nan(""), 1.56}})
    {
      const std::string msg =
        invalid_argument_message([&] { law.validate("Materials/cancellous bone"); });
      EXPECT_NE(msg.find("Materials/cancellous bone"), std::string::npos) << msg;
    }
  EXPECT_NO_THROW(DensityPowerLaw{}.validate("Materials/cancellous bone"));
}

// ----------------------------------------------------------------------------------------
// MaterialLibrary

TEST(MaterialLibrary, PublishedDefaultsAfterParsingDefaults)
{
  dealii::ParameterHandler prm;
  declare(prm);
  MaterialLibrary lib;
  lib.parse_parameters(prm);
  EXPECT_EQ(lib.get("Ti-6Al-4V").youngs_modulus, 110000.0);
  EXPECT_EQ(lib.get("Ti-6Al-4V").poissons_ratio, 0.3);
  EXPECT_EQ(lib.get("PEEK").youngs_modulus, 3600.0);
  EXPECT_EQ(lib.get("cortical bone").youngs_modulus, 12000.0);
  EXPECT_EQ(lib.get("nucleus").poissons_ratio, 0.499);
  EXPECT_EQ(lib.bone_quality(), "normal");
  EXPECT_DOUBLE_EQ(lib.cancellous_density(), 0.20);
  EXPECT_NEAR(lib.get("cancellous bone").youngs_modulus, 384.12, 0.01);
  EXPECT_DOUBLE_EQ(lib.get("cancellous bone").poissons_ratio, 0.2);
  // Every material a tissue of the anatomy gets by default (Region materials, a list kept
  // apart from the library's) is in the library and valid; an unknown name is not.
  for (const auto &[tissue, name] : bonefusion::materials::RegionMaterialParameters().by_tissue)
    {
      EXPECT_TRUE(lib.has(name)) << name;
      EXPECT_NO_THROW(lib.get(name).validate(name)) << name;
    }
  EXPECT_FALSE(lib.has("unobtainium"));
  EXPECT_THROW(lib.get("unobtainium"), std::invalid_argument);
}

TEST(MaterialLibrary, ConstructorDefaultsEqualDeclaredDefaults)
{
  dealii::ParameterHandler prm;
  declare(prm);
  MaterialLibrary parsed;
  parsed.parse_parameters(prm);
  const MaterialLibrary constructed;
  for (const std::string &name : constructed.names())
    {
      EXPECT_DOUBLE_EQ(constructed.get(name).youngs_modulus, parsed.get(name).youngs_modulus)
        << name;
      EXPECT_DOUBLE_EQ(constructed.get(name).poissons_ratio, parsed.get(name).poissons_ratio)
        << name;
    }
}

TEST(MaterialLibrary, LigamentsCarryTheirBilinearCurves)
{
  // Choi 2013 (Goel set): flavum E1 15, transition 6.2 %, E2 19.5; the interspinous band is
  // the area-weighted interspinous + supraspinous pair (E2 A = 11.6 * 40 + 15 * 30 N over
  // 70 mm^2, E1 9.14). Declared defaults equal the constructor's; overrides are read.
  dealii::ParameterHandler prm;
  declare(prm);
  set(prm, "Materials", "anterior longitudinal ligament", "Linear-region modulus", "39");
  MaterialLibrary parsed;
  parsed.parse_parameters(prm);
  const MaterialLibrary constructed;
  const auto flavum = constructed.ligament_curve("ligamentum flavum");
  EXPECT_DOUBLE_EQ(flavum.transition_strain, 0.062);
  EXPECT_DOUBLE_EQ(flavum.linear_region_ratio, 19.5 / 15);
  EXPECT_NEAR(constructed.ligament_curve("interspinous ligament").linear_region_ratio,
              (11.6 * 40 + 15 * 30) / 70.0 / 9.14, 1e-3);
  for (const char *name : {"posterior longitudinal ligament", "ligamentum flavum",
                           "interspinous ligament"})
    {
      EXPECT_DOUBLE_EQ(parsed.ligament_curve(name).transition_strain,
                       constructed.ligament_curve(name).transition_strain);
      EXPECT_NEAR(parsed.ligament_curve(name).linear_region_ratio,
                  constructed.ligament_curve(name).linear_region_ratio, 1e-12);
    }
  EXPECT_DOUBLE_EQ(parsed.ligament_curve("anterior longitudinal ligament").linear_region_ratio,
                   39 / 7.8);
  // Other materials never stiffen.
  EXPECT_TRUE(std::isinf(constructed.ligament_curve("annulus").transition_strain));
  EXPECT_EQ(constructed.ligament_curve("annulus").linear_region_ratio, 1.0);
}

TEST(MaterialLibrary, ImplantMaterialsAreInTheLibrary)
{
  const MaterialLibrary lib;
  const auto implants = MaterialLibrary::implant_material_names();
  for (const char *expected : {"Ti-6Al-4V", "CoCr", "316L", "PEEK", "CFR-PEEK"})
    EXPECT_NE(std::find(implants.begin(), implants.end(), expected), implants.end()) << expected;
  for (const std::string &name : implants)
    EXPECT_TRUE(lib.has(name)) << name;
  EXPECT_EQ(std::find(implants.begin(), implants.end(), "cortical bone"), implants.end());
}

TEST(MaterialLibrary, OverridesFromParameterHandler)
{
  dealii::ParameterHandler prm;
  declare(prm);
  set(prm, "Materials", "PEEK", "Young's modulus", "4100");
  set(prm, "Materials", "Ti-6Al-4V", "Poisson's ratio", "0.34");
  set(prm, "Materials", "cancellous bone", "Density-modulus exponent", "2");
  MaterialLibrary lib;
  lib.parse_parameters(prm);
  EXPECT_EQ(lib.get("PEEK").youngs_modulus, 4100.0);
  EXPECT_EQ(lib.get("Ti-6Al-4V").poissons_ratio, 0.34);
  EXPECT_EQ(lib.cancellous_law().exponent, 2.0);
  EXPECT_NEAR(lib.get("cancellous bone").youngs_modulus, 4730.0 * 0.04, 1e-9);
}

TEST(MaterialLibrary, OsteoporoticLowersDensityAndCorticalModulus)
{
  dealii::ParameterHandler prm;
  declare(prm);
  set(prm, "Patient", "", "Bone quality", "osteoporotic");
  MaterialLibrary lib;
  lib.parse_parameters(prm);
  EXPECT_EQ(lib.bone_quality(), "osteoporotic");
  EXPECT_DOUBLE_EQ(lib.cancellous_density(), 0.10);
  EXPECT_NEAR(lib.get("cortical bone").youngs_modulus, 8040.0, 1e-9);
  // Morgan law at 0.10: 4730 * 0.1^1.56 = 130.4 MPa, 34 % of the normal 384 MPa.
  EXPECT_NEAR(lib.get("cancellous bone").youngs_modulus, 4730.0 * std::pow(0.1, 1.56), 1e-9);
  EXPECT_NEAR(lib.get("cancellous bone").youngs_modulus / 384.12, 0.34, 0.005);
  // Other tissues are unchanged.
  EXPECT_EQ(lib.get("bony endplate").youngs_modulus, 1000.0);
}

TEST(MaterialLibrary, OsteopenicAndCustomDensity)
{
  {
    dealii::ParameterHandler prm;
    declare(prm);
    set(prm, "Patient", "", "Bone quality", "osteopenic");
    MaterialLibrary lib;
    lib.parse_parameters(prm);
    EXPECT_DOUBLE_EQ(lib.cancellous_density(), 0.15);
    EXPECT_EQ(lib.get("cortical bone").youngs_modulus, 12000.0);
  }
  {
    dealii::ParameterHandler prm;
    declare(prm);
    set(prm, "Patient", "", "Bone quality", "custom");
    set(prm, "Patient", "", "Cancellous density", "0.3");
    MaterialLibrary lib;
    lib.parse_parameters(prm);
    EXPECT_DOUBLE_EQ(lib.cancellous_density(), 0.3);
    EXPECT_NEAR(lib.get("cancellous bone").youngs_modulus, 4730.0 * std::pow(0.3, 1.56), 1e-9);
  }
  {
    // "Cancellous density" is ignored unless the quality is custom.
    dealii::ParameterHandler prm;
    declare(prm);
    set(prm, "Patient", "", "Cancellous density", "0.3");
    MaterialLibrary lib;
    lib.parse_parameters(prm);
    EXPECT_DOUBLE_EQ(lib.cancellous_density(), 0.20);
  }
}

TEST(MaterialLibrary, PoissonsRatioHalfInInputIsRejectedNamingTheParameter)
{
  dealii::ParameterHandler prm;
  declare(prm);
  // 0.5 passes the pattern (closed interval) but not the law's validation.
  set(prm, "Materials", "nucleus", "Poisson's ratio", "0.5");
  MaterialLibrary lib;
  const std::string msg = invalid_argument_message([&] { lib.parse_parameters(prm); });
  EXPECT_NE(msg.find("Materials/nucleus"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Poisson"), std::string::npos) << msg;
}

TEST(MaterialLibrary, ZeroModulusInInputIsRejectedNamingTheParameter)
{
  dealii::ParameterHandler prm;
  declare(prm);
  set(prm, "Materials", "Ti-6Al-4V", "Young's modulus", "0");
  MaterialLibrary lib;
  const std::string msg = invalid_argument_message([&] { lib.parse_parameters(prm); });
  EXPECT_NE(msg.find("Materials/Ti-6Al-4V"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Young"), std::string::npos) << msg;
}

TEST(MaterialLibrary, ZeroDensityLawCoefficientIsRejected)
{
  dealii::ParameterHandler prm;
  declare(prm);
  set(prm, "Materials", "cancellous bone", "Density-modulus coefficient", "0");
  MaterialLibrary lib;
  const std::string msg = invalid_argument_message([&] { lib.parse_parameters(prm); });
  EXPECT_NE(msg.find("Materials/cancellous bone"), std::string::npos) << msg;
}

TEST(MaterialLibrary, OutOfPatternValuesAreRejectedByTheHandler)
{
  dealii::ParameterHandler prm;
  declare(prm);
  EXPECT_ANY_THROW(set(prm, "Materials", "nucleus", "Poisson's ratio", "0.6"));
  EXPECT_ANY_THROW(set(prm, "Materials", "PEEK", "Young's modulus", "-1"));
  EXPECT_ANY_THROW(set(prm, "Materials", "PEEK", "Young's modulus", "abc"));
  EXPECT_ANY_THROW(set(prm, "Patient", "", "Bone quality", "brittle"));
}

TEST(MaterialLibrary, UnknownNameThrowsListingTheLibrary)
{
  const MaterialLibrary lib;
  EXPECT_FALSE(lib.has("unobtainium"));
  const std::string msg = invalid_argument_message([&] { lib.get("unobtainium"); });
  EXPECT_NE(msg.find("unobtainium"), std::string::npos) << msg;
  for (const std::string &name : lib.names())
    EXPECT_NE(msg.find(name), std::string::npos) << "'" << name << "' not listed in: " << msg;
}

// Requirement: the annulus fibres run along the disc outline (perpendicular to the ellipse's
// normal), at +-angle to the transverse plane, as unit vectors; each family gets E_f phi / 4.
TEST(AnnulusFibres, DirectionsFollowTheOutlineAtTheFibreAngle)
{
  bonefusion::materials::AnnulusFibres fibres;
  EXPECT_NEAR(fibres.stiffness_per_family(), 455 * 0.16 / 4, 1e-12);
  const double a = 25, b = 18; // lateral and anteroposterior semi-axes [mm]
  for (const double phi : {0.0, 0.7, 1.9, 3.3, 5.0})
    {
      const dealii::Point<3> p(0.9 * a * std::cos(phi), 0.9 * b * std::sin(phi), 2.0);
      const auto d = fibres.directions(p, a, b);
      dealii::Tensor<1, 3> normal; // gradient of x^2/a^2 + y^2/b^2
      normal[0] = p[0] / (a * a);
      normal[1] = p[1] / (b * b);
      for (unsigned int f = 0; f < 2; ++f)
        {
          EXPECT_NEAR(d[f].norm(), 1, 1e-14);
          EXPECT_NEAR(d[f] * normal, 0, 1e-14) << "fibre " << f << " leaves the outline";
          EXPECT_NEAR(std::asin(std::abs(d[f][2])) * 180 / M_PI, 30, 1e-12);
        }
      EXPECT_NEAR(d[0][2], -d[1][2], 1e-14) << "the plies must cross (+angle and -angle)";
    }
}

// The same along the fuller superellipse outline |x/a|^3 + |y/b|^3 = 1 of the default
// geometry (Geometry/Outline exponent): the fibres stay on the level curve through the point,
// whose normal is taken here by central differences of the level function.
TEST(AnnulusFibres, DirectionsFollowASuperellipseOutline)
{
  bonefusion::materials::AnnulusFibres fibres;
  const double a = 23, b = 18, n = 3;
  const auto level = [&](const double x, const double y) {
    return std::pow(std::abs(x) / a, n) + std::pow(std::abs(y) / b, n);
  };
  for (const double phi : {0.3, 0.8, 2.2, 3.9, 5.5})
    {
      const dealii::Point<3> p(0.9 * a * std::cos(phi), 0.85 * b * std::sin(phi), -1.0);
      const auto d = fibres.directions(p, a, b, n);
      const double h = 1e-6;
      dealii::Tensor<1, 3> normal;
      normal[0] = (level(p[0] + h, p[1]) - level(p[0] - h, p[1])) / (2 * h);
      normal[1] = (level(p[0], p[1] + h) - level(p[0], p[1] - h)) / (2 * h);
      normal /= normal.norm();
      for (unsigned int f = 0; f < 2; ++f)
        {
          EXPECT_NEAR(d[f].norm(), 1, 1e-14);
          EXPECT_NEAR(d[f] * normal, 0, 1e-8) << "fibre " << f << " leaves the outline";
          EXPECT_NEAR(std::asin(std::abs(d[f][2])) * 180 / M_PI, 30, 1e-12);
        }
      // With n = 2 the direction would differ off the axes: the exponent is used.
      const auto e = fibres.directions(p, a, b, 2);
      EXPECT_GT((e[0] - d[0]).norm(), 1e-3);
    }
}

// Requirement: radial grading (Annulus fibres/Inner-to-outer modulus ratio, Inner angle
// change) makes the fibres stiffest and flattest at the outline (depth 1) and softer and
// steeper towards the nucleus (depth 0), linearly, with the uniform stiffness as the mean
// over the depth; an angle pushed past 90 deg is refused naming the parameters.
TEST(AnnulusFibres, RadialGradingKeepsTheMeanStiffnessAndSteepensInward)
{
  bonefusion::materials::AnnulusFibres fibres;
  fibres.inner_modulus_ratio = 0.65;
  fibres.inner_angle_change = 10;
  const double k = fibres.stiffness_per_family(); // 455 * 0.16 / 4
  const double outer = 2 * k / 1.65;
  EXPECT_NEAR(fibres.stiffness_per_family(1.0), outer, 1e-12);
  EXPECT_NEAR(fibres.stiffness_per_family(0.0), 0.65 * outer, 1e-12);
  EXPECT_NEAR(fibres.stiffness_per_family(0.5), (1 + 0.65) / 2 * outer, 1e-12);
  EXPECT_NEAR(fibres.stiffness_per_family(-0.3), 0.65 * outer, 1e-12) << "clamped to [0, 1]";
  double mean = 0; // midpoint rule: exact for a linear function
  for (int i = 0; i < 10; ++i)
    mean += fibres.stiffness_per_family((i + 0.5) / 10) / 10;
  EXPECT_NEAR(mean, k, 1e-12);
  EXPECT_NEAR(fibres.angle_at(1.0), 30, 1e-12);
  EXPECT_NEAR(fibres.angle_at(0.0), 40, 1e-12);
  EXPECT_NEAR(fibres.angle_at(0.25), 37.5, 1e-12);
  const dealii::Point<3> p(20, 5, 0);
  for (const double depth : {0.0, 0.4, 1.0})
    {
      const auto d = fibres.directions(p, 25, 18, 2, depth);
      for (unsigned int f = 0; f < 2; ++f)
        EXPECT_NEAR(std::asin(std::abs(d[f][2])) * 180 / M_PI, 40 - 10 * depth, 1e-10);
    }
  // Uniform by default: every depth gives the ungraded stiffness and angle.
  const bonefusion::materials::AnnulusFibres uniform;
  EXPECT_DOUBLE_EQ(uniform.stiffness_per_family(0.2), uniform.stiffness_per_family());
  EXPECT_DOUBLE_EQ(uniform.angle_at(0.2), uniform.angle);

  dealii::ParameterHandler prm;
  bonefusion::materials::AnnulusFibres::declare(prm);
  prm.parse_input_from_string(
    "subsection Annulus fibres\n set Angle = 85\n set Inner angle change = 10\nend\n");
  bonefusion::materials::AnnulusFibres parsed;
  const std::string msg = invalid_argument_message([&] { parsed.parse(prm); });
  EXPECT_NE(msg.find("Inner angle change"), std::string::npos) << msg;
  EXPECT_NE(msg.find("85 + 10"), std::string::npos) << msg;
}

// Requirement: every region gets its material from the input: its tissue's default (Region
// materials/<tissue>), the implant's own, or an override by region name (a library name or
// constants); layers drawn thicker than they are keep their stiffness by the anatomy's scale;
// B-bar follows each region's Poisson's ratio; unknown materials and regions are named.
TEST(RegionMaterials, TissueDefaultsImplantsOverridesAndScaling)
{
  using namespace bonefusion;
  model::Model m;
  const auto add = [&m](const std::string &name, const model::Tissue t,
                        const std::string &material = "") {
    model::Region r;
    r.name = name;
    r.tissue = t;
    r.material = material;
    return m.regions.add(r);
  };
  const auto cortical = add("L4 cortical", model::Tissue::cortical);
  const auto cancellous = add("L4 cancellous", model::Tissue::cancellous);
  const auto nucleus = add("L4-L5 nucleus", model::Tissue::nucleus);
  const auto rod = add("left rod", model::Tissue::rod, "Ti-6Al-4V");
  const auto annulus = add("L4-L5 annulus", model::Tissue::annulus);

  dealii::ParameterHandler prm;
  materials::MaterialLibrary::declare_parameters(prm);
  materials::RegionMaterialParameters::declare_parameters(prm);
  prm.parse_input_from_string("subsection Region materials\n"
                              "  set Overrides = L4 cancellous: E=80 nu=0.25; L4-L5 annulus: "
                              "nucleus\nend\n");
  materials::MaterialLibrary library;
  library.parse_parameters(prm);
  materials::RegionMaterialParameters parameters;
  parameters.parse_parameters(prm, library);
  const auto regions = materials::RegionMaterials::assign(
    m, library, parameters, materials::LockingSettings(),
    [](const model::Region &r) { return r.tissue == model::Tissue::cortical ? 0.25 : 1.0; });
  EXPECT_DOUBLE_EQ(regions[cortical].law.youngs_modulus, 12000 * 0.25);
  EXPECT_EQ(m.regions[cortical].material, "cortical bone");
  EXPECT_DOUBLE_EQ(regions[cancellous].law.youngs_modulus, 80);
  EXPECT_DOUBLE_EQ(regions[cancellous].law.poissons_ratio, 0.25);
  EXPECT_DOUBLE_EQ(regions[rod].law.youngs_modulus, 110000);
  EXPECT_DOUBLE_EQ(regions[annulus].law.youngs_modulus, 1.0); // overridden by the nucleus'
  EXPECT_TRUE(regions[nucleus].b_bar);
  EXPECT_TRUE(regions[annulus].b_bar);
  EXPECT_FALSE(regions[rod].b_bar);
  const auto c = regions.elasticity(rod);
  EXPECT_NEAR(9 * c.kappa * c.mu / (3 * c.kappa + c.mu), 110000, 1e-9 * 110000);

  // An override of a region the model does not have names it and lists the regions.
  parameters.overrides = {{"L3 cancellous", "PEEK"}};
  try
    {
      materials::RegionMaterials::assign(m, library, parameters, {}, {});
      FAIL() << "no exception";
    }
  catch (const std::invalid_argument &e)
    {
      EXPECT_NE(std::string(e.what()).find("Region materials/Overrides"), std::string::npos);
      EXPECT_NE(std::string(e.what()).find("L3 cancellous"), std::string::npos);
      EXPECT_NE(std::string(e.what()).find("L4 cancellous"), std::string::npos);
    }
  // A tissue default that is not in the library names the entry.
  prm.parse_input_from_string("subsection Region materials\n  set cortical = bone\nend\n");
  try
    {
      parameters.parse_parameters(prm, library);
      FAIL() << "no exception";
    }
  catch (const std::invalid_argument &e)
    {
      EXPECT_NE(std::string(e.what()).find("Region materials/cortical"), std::string::npos);
      EXPECT_NE(std::string(e.what()).find("'bone'"), std::string::npos);
    }
}
