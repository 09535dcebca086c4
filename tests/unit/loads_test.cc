// Requirement: load cases follow the sign convention of load_case.h (7.5 N m flexion = (-7500, 0,
// 0) N mm, 400 N compression = (0, 0, -400) N) and the linear traction reproduces the requested
// force and moment about the centroid to 1e-10 relative on any plane section (pure moment: zero net
// force).
#include "test_helpers.h"
#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/quadrature_lib.h>

#include "loads/follower_path.h"
#include "loads/load_case.h"
#include "loads/surface_traction.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

using bonefusion::loads::LinearTraction;
using bonefusion::loads::LoadCase;
using bonefusion::loads::LoadParameters;
using bonefusion::loads::PlaneSection;
using bonefusion::loads::PlaneSectionIntegrator;
using dealii::Point;
using dealii::Tensor;

using bonefusion::testing::vec;

namespace
{

  const LoadCase &find_case(const std::vector<LoadCase> &cases, const std::string &name)
  {
    for (const LoadCase &lc : cases)
      if (lc.name == name)
        return lc;
    throw std::runtime_error("no load case " + name);
  }

  void expect_vector_near(const Tensor<1, 3> &actual, const Tensor<1, 3> &expected,
                          const double tol, const std::string &what)
  {
    for (unsigned int d = 0; d < 3; ++d)
      EXPECT_NEAR(actual[d], expected[d], tol) << what << " component " << d;
  }

  /** Axis-aligned rectangle [x0, x1] x [y0, y1] in the plane z. */
  struct Rectangle
  {
    double x0, x1, y0, y1;
  };

  /**
   * Quadrature points and weights of a plane section made of rectangles: each rectangle is
   * split into n x n sub-rectangles with a 3 x 3 Gauss rule (exact for the cubic integrands
   * of the traction's moments).
   */
  std::vector<std::pair<Point<3>, double>> section_quadrature(const std::vector<Rectangle> &parts,
                                                              const double z, const unsigned n)
  {
    const dealii::QGauss<1> gauss(3);
    std::vector<std::pair<Point<3>, double>> points;
    for (const Rectangle &r : parts)
      {
        const double hx = (r.x1 - r.x0) / n, hy = (r.y1 - r.y0) / n;
        for (unsigned int i = 0; i < n; ++i)
          for (unsigned int j = 0; j < n; ++j)
            for (unsigned int a = 0; a < gauss.size(); ++a)
              for (unsigned int b = 0; b < gauss.size(); ++b)
                points.emplace_back(Point<3>(r.x0 + hx * (i + gauss.point(a)[0]),
                                             r.y0 + hy * (j + gauss.point(b)[0]), z),
                                    hx * hy * gauss.weight(a) * gauss.weight(b));
      }
    return points;
  }

  PlaneSection section_of(const std::vector<std::pair<Point<3>, double>> &points)
  {
    PlaneSectionIntegrator integrator;
    for (const auto &[p, w] : points)
      integrator.add(p, w);
    return integrator.finish();
  }

  /** Resultant force and moment about the section centroid of traction over the points. */
  std::pair<Tensor<1, 3>, Tensor<1, 3>>
  resultant(const LinearTraction &traction, const PlaneSection &s,
            const std::vector<std::pair<Point<3>, double>> &points)
  {
    const Point<3> centroid(s.cx, s.cy, s.z);
    Tensor<1, 3> force, moment;
    for (const auto &[p, w] : points)
      {
        const Tensor<1, 3> t = traction.value(p);
        force += w * t;
        moment += w * dealii::cross_product_3d(p - centroid, t);
      }
    return {force, moment};
  }

  /** Checks that the traction on `parts` reproduces F and M to 1e-10 relative. */
  void check_resultants(const std::vector<Rectangle> &parts, const double z, const Tensor<1, 3> &F,
                        const Tensor<1, 3> &M)
  {
    const auto points = section_quadrature(parts, z, 8);
    const PlaneSection s = section_of(points);
    const LinearTraction traction(s, F, M);
    const auto [force, moment] = resultant(traction, s, points);
    const double L = std::sqrt(s.area);
    const double scale = F.norm() * L + M.norm();
    expect_vector_near(force * L, F * L, 1e-10 * scale, "force * L");
    expect_vector_near(moment, M, 1e-10 * scale, "moment");
    if (F.norm() == 0)
      {
        EXPECT_LT(force.norm(), 1e-9 * M.norm() / L) << "pure moment has net force";
      }
  }

  const std::vector<Rectangle> off_centre_rectangle = {{12.0, 47.0, -8.0, 15.0}};
  // L-shape: a 40 x 6 flange along x and a 6 x 24 web along y at its left end. Its principal
  // axes are not x and y (I_xy != 0).
  const std::vector<Rectangle> l_shape = {{-5.0, 35.0, 3.0, 9.0}, {-5.0, 1.0, 9.0, 33.0}};
} // namespace

// ----------------------------------------------------------------------------------------
// Load cases

TEST(LoadCases, DefaultsAreTheSevenNiosiCases)
{
  const LoadParameters p;
  const auto cases = p.load_cases();
  ASSERT_EQ(cases.size(), 7u);
  EXPECT_EQ(bonefusion::loads::known_load_case_names().size(), 7u);
  for (const std::string &name : bonefusion::loads::known_load_case_names())
    EXPECT_NO_THROW(find_case(cases, name)) << name;
}

TEST(LoadCases, MomentSignsFollowTheAnatomicalConvention)
{
  const LoadParameters p; // 7.5 N m, no preload
  const auto cases = p.load_cases();
  const double m = 7500; // N mm
  const Tensor<1, 3> zero;
  const std::vector<std::pair<std::string, Tensor<1, 3>>> expected = {
    {"flexion", vec(-m, 0, 0)},
    {"extension", vec(m, 0, 0)},
    {"left lateral bending", vec(0, -m, 0)},
    {"right lateral bending", vec(0, m, 0)},
    {"left axial rotation", vec(0, 0, m)},
    {"right axial rotation", vec(0, 0, -m)},
  };
  for (const auto &[name, moment] : expected)
    {
      const LoadCase &lc = find_case(cases, name);
      expect_vector_near(lc.moment, moment, 1e-12, name + " moment");
      expect_vector_near(lc.force, zero, 0, name + " force (pure moment)");
      // The primary axis is the unit vector of the intended rotation: the moment's direction.
      EXPECT_NEAR(lc.primary_axis.norm(), 1.0, 1e-15) << name;
      expect_vector_near(lc.primary_axis, moment / m, 1e-15, name + " primary axis");
    }
}

TEST(LoadCases, CompressionIsDownwardAxialForce)
{
  LoadParameters p;
  p.cases = {"compression"};
  p.compression = 400;
  p.follower_preload = 600; // preload applies to moment cases only
  p.follower_offset = 5;
  const auto cases = p.load_cases();
  ASSERT_EQ(cases.size(), 1u);
  expect_vector_near(cases[0].force, vec(0, 0, -400), 0, "compression force");
  expect_vector_near(cases[0].moment, vec(0, 0, 0), 0, "compression moment");
  EXPECT_EQ(cases[0].primary_axis.norm(), 0.0);
}

TEST(LoadCases, MomentMagnitudeIsConvertedFromNewtonMetres)
{
  LoadParameters p;
  p.cases = {"extension"};
  p.moment = 10;
  expect_vector_near(p.load_cases()[0].moment, vec(10000, 0, 0), 1e-12, "10 N m extension");
}

TEST(LoadCases, FollowerPreloadWithOffsetAddsItsMoment)
{
  LoadParameters p;
  p.cases = {"flexion", "extension", "left axial rotation"};
  p.follower_preload = 600;
  p.follower_offset = 5; // 5 mm anterior
  const auto cases = p.load_cases();
  // -600 N e_z at r = (0, 5, 0): r x F = (5 * -600, 0, 0) = (-3000, 0, 0) N mm.
  expect_vector_near(find_case(cases, "flexion").moment, vec(-7500 - 3000, 0, 0), 1e-12, "flexion");
  expect_vector_near(find_case(cases, "extension").moment, vec(7500 - 3000, 0, 0), 1e-12,
                     "extension");
  expect_vector_near(find_case(cases, "left axial rotation").moment, vec(-3000, 0, 7500), 1e-12,
                     "left axial rotation");
  for (const LoadCase &lc : cases)
    expect_vector_near(lc.force, vec(0, 0, -600), 0, lc.name + " force");
  // The moment equals r x F computed independently.
  const Tensor<1, 3> r = vec(0, p.follower_offset, 0);
  const Tensor<1, 3> F = vec(0, 0, -p.follower_preload);
  expect_vector_near(find_case(cases, "extension").moment - vec(7500, 0, 0),
                     dealii::cross_product_3d(r, F), 1e-12, "r x F");
}

TEST(LoadCases, PreloadOnTheCentroidAddsNoMoment)
{
  LoadParameters p;
  p.cases = {"right lateral bending"};
  p.follower_preload = 600;
  const LoadCase lc = p.load_cases()[0];
  expect_vector_near(lc.moment, vec(0, 7500, 0), 1e-12, "moment");
  expect_vector_near(lc.force, vec(0, 0, -600), 0, "force");
}

TEST(LoadCases, UnknownNameIsRejectedNamingTheParameter)
{
  LoadParameters p;
  p.cases = {"flexion", "twisting"};
  try
    {
      p.load_cases();
      FAIL() << "expected std::invalid_argument";
    }
  catch (const std::invalid_argument &e)
    {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("Loads/Load cases"), std::string::npos) << msg;
      EXPECT_NE(msg.find("twisting"), std::string::npos) << msg;
    }
}

TEST(LoadCases, ParameterHandlerRoundTripAndRejection)
{
  dealii::ParameterHandler prm;
  LoadParameters::declare_parameters(prm);
  prm.enter_subsection("Loads");
  prm.set("Load cases", "extension, compression");
  prm.set("Moment", "5");
  prm.set("Compressive force", "1000");
  // Names outside the list, negative magnitudes and an empty list do not match the patterns.
  EXPECT_ANY_THROW(prm.set("Load cases", "extension, twisting"));
  EXPECT_ANY_THROW(prm.set("Load cases", "Flexion"));
  EXPECT_ANY_THROW(prm.set("Load cases", ""));
  EXPECT_ANY_THROW(prm.set("Moment", "-7.5"));
  EXPECT_ANY_THROW(prm.set("Follower preload", "-600"));
  prm.leave_subsection();
  LoadParameters p;
  p.parse_parameters(prm);
  ASSERT_EQ(p.cases.size(), 2u);
  const auto cases = p.load_cases();
  expect_vector_near(find_case(cases, "extension").moment, vec(5000, 0, 0), 1e-12, "extension");
  expect_vector_near(find_case(cases, "compression").force, vec(0, 0, -1000), 0, "compression");
}

// ----------------------------------------------------------------------------------------
// Plane sections and linear traction

TEST(PlaneSection, RectangleMomentsMatchClosedForm)
{
  const Rectangle r = off_centre_rectangle[0];
  const PlaneSection s = section_of(section_quadrature({r}, 7.0, 4));
  const double b = r.x1 - r.x0, h = r.y1 - r.y0;
  EXPECT_NEAR(s.area, b * h, 1e-10 * b * h);
  EXPECT_NEAR(s.cx, 0.5 * (r.x0 + r.x1), 1e-12 * b);
  EXPECT_NEAR(s.cy, 0.5 * (r.y0 + r.y1), 1e-12 * h);
  EXPECT_NEAR(s.z, 7.0, 1e-12);
  EXPECT_NEAR(s.ixx, b * h * h * h / 12, 1e-9 * b * h * h * h);
  EXPECT_NEAR(s.iyy, h * b * b * b / 12, 1e-9 * h * b * b * b);
  EXPECT_NEAR(s.ixy, 0.0, 1e-9 * b * b * h * h);
}

TEST(PlaneSection, LShapeHasProductOfInertia)
{
  const PlaneSection s = section_of(section_quadrature(l_shape, 0.0, 4));
  // Flange 40 x 6 at centre (15, 6), web 6 x 24 at centre (-2, 21).
  const double a1 = 240, a2 = 144, A = a1 + a2;
  const double cx = (a1 * 15 + a2 * -2) / A, cy = (a1 * 6 + a2 * 21) / A;
  EXPECT_NEAR(s.area, A, 1e-10 * A);
  EXPECT_NEAR(s.cx, cx, 1e-10);
  EXPECT_NEAR(s.cy, cy, 1e-10);
  const double ixy = a1 * (15 - cx) * (6 - cy) + a2 * (-2 - cx) * (21 - cy);
  EXPECT_NEAR(s.ixy, ixy, 1e-9 * std::abs(ixy));
  EXPECT_GT(std::abs(s.ixy), 0.1 * std::sqrt(s.ixx * s.iyy));
}

TEST(PlaneSection, EmptySectionThrows)
{
  EXPECT_THROW(PlaneSectionIntegrator().finish(), std::runtime_error);
}

TEST(LinearTraction, OffCentreRectangleReproducesGeneralResultant)
{
  check_resultants(off_centre_rectangle, 35.0, vec(12.0, -30.0, -400.0),
                   vec(-7500.0, 2500.0, 3000.0));
}

TEST(LinearTraction, LShapeReproducesGeneralResultant)
{
  check_resultants(l_shape, 35.0, vec(12.0, -30.0, -400.0), vec(-7500.0, 2500.0, 3000.0));
}

TEST(LinearTraction, EachLoadCaseOnBothSections)
{
  LoadParameters p;
  p.follower_preload = 600;
  p.follower_offset = -4;
  for (const auto &parts : {off_centre_rectangle, l_shape})
    for (const LoadCase &lc : p.load_cases())
      {
        SCOPED_TRACE(lc.name);
        check_resultants(parts, -20.0, lc.force, lc.moment);
      }
}

TEST(LinearTraction, PureMomentsHaveZeroNetForce)
{
  for (const auto &parts : {off_centre_rectangle, l_shape})
    for (const Tensor<1, 3> &M :
         {vec(-7500, 0, 0), vec(0, 7500, 0), vec(0, 0, 7500), vec(1000, -2000, 3000)})
      check_resultants(parts, 35.0, Tensor<1, 3>(), M);
}

TEST(LinearTraction, UniformForceGivesUniformTraction)
{
  const auto points = section_quadrature(l_shape, 0.0, 2);
  const PlaneSection s = section_of(points);
  const LinearTraction traction(s, vec(0, 0, -400), Tensor<1, 3>());
  for (const auto &[p, w] : points)
    expect_vector_near(traction.value(p), vec(0, 0, -400 / s.area), 1e-14, "traction");
}

// Requirement: the follower cable through the vertebral bodies loads each disc with the cable
// tension along the chord between the guides around it (the forces above any disc sum to
// P times the chord's direction); on a straight column only the top vertebra is loaded.
TEST(FollowerPath, KinkForcesSumToTheCableTensionAlongEachChord)
{
  const double preload = 400;
  std::vector<bonefusion::loads::VertebraForce> guides(5);
  for (unsigned int k = 0; k < guides.size(); ++k) // a lordotic arc, top to bottom
    {
      const double angle = 0.15 * k;
      guides[k].body = static_cast<int>(k);
      guides[k].point = dealii::Point<3>(0.0, 100 * (1 - std::cos(angle)), -100 * std::sin(angle));
    }
  const auto forces = bonefusion::loads::follower_path_forces(guides, preload);
  ASSERT_EQ(forces.size(), 4u); // the bottom vertebra is held
  dealii::Tensor<1, 3> above;
  for (unsigned int k = 0; k < forces.size(); ++k)
    {
      EXPECT_EQ(forces[k].body, static_cast<int>(k));
      above += forces[k].force;
      const dealii::Tensor<1, 3> chord = guides[k + 1].point - guides[k].point;
      expect_vector_near(above, preload / chord.norm() * chord, 1e-9, "disc below guide " +
                                                                        std::to_string(k));
    }
  EXPECT_GT(forces[1].force.norm(), 1.0); // the curve makes kink forces

  for (unsigned int k = 0; k < guides.size(); ++k)
    guides[k].point = dealii::Point<3>(1.0, 2.0, -30.0 * k);
  const auto straight = bonefusion::loads::follower_path_forces(guides, preload);
  expect_vector_near(straight[0].force, vec(0, 0, -preload), 1e-12, "top of a straight column");
  for (unsigned int k = 1; k < straight.size(); ++k)
    EXPECT_LT(straight[k].force.norm(), 1e-12);

  EXPECT_THROW(bonefusion::loads::follower_path_forces({guides[0]}, preload),
               std::invalid_argument);
  EXPECT_THROW(bonefusion::loads::follower_path_forces({guides[0], guides[0]}, preload),
               std::invalid_argument);
}
