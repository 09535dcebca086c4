// Requirement: the rigid-body fit recovers an exact small rigid motion (translation and rotation
// vector) to 1e-12, is unchanged by a symmetric strain field with no mean rotation, and throws for
// points that cannot fix a rotation (collinear).
#include "test_helpers.h"
#include <deal.II/base/mpi.h>

#include "postprocess/rigid_fit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

using bonefusion::postprocess::RigidFit;
using bonefusion::postprocess::RigidMotion;
using dealii::Point;
using dealii::SymmetricTensor;
using dealii::Tensor;

using bonefusion::testing::vec;

namespace
{

  /** n x n x n grid of points spanning [lo, hi] (per axis) */
  std::vector<Point<3>> grid(const Point<3> &lo, const Point<3> &hi, const unsigned int n)
  {
    std::vector<Point<3>> points;
    for (unsigned int i = 0; i < n; ++i)
      for (unsigned int j = 0; j < n; ++j)
        for (unsigned int k = 0; k < n; ++k)
          {
            Point<3> p;
            const unsigned int idx[3] = {i, j, k};
            for (unsigned int d = 0; d < 3; ++d)
              p[d] = lo[d] + (hi[d] - lo[d]) * idx[d] / (n - 1.0);
            points.push_back(p);
          }
    return points;
  }

  const Tensor<1, 3> translation = vec(0.012, -0.034, 0.0051); // mm
  const Tensor<1, 3> rotation = vec(-4.6e-3, 1.1e-3, 2.5e-3);  // rad (about 0.26 deg)

  /** The rigid motion about reference c evaluated at x. */
  Tensor<1, 3> rigid(const Point<3> &c, const Point<3> &x)
  {
    return translation + dealii::cross_product_3d(rotation, x - c);
  }

  void expect_motion(const RigidMotion &m, const Tensor<1, 3> &a, const Tensor<1, 3> &w,
                     const double tol)
  {
    for (unsigned int d = 0; d < 3; ++d)
      {
        EXPECT_NEAR(m.translation[d], a[d], tol) << "translation " << d;
        EXPECT_NEAR(m.rotation[d], w[d], tol) << "rotation " << d;
      }
  }
} // namespace

TEST(RigidFit, RecoversExactRigidMotionFromFourNonCoplanarPoints)
{
  const Point<3> c(1.5, -2.0, 30.0);
  const std::vector<Point<3>> points = {Point<3>(0, 0, 25), Point<3>(20, 0, 25),
                                        Point<3>(0, 15, 25), Point<3>(3, 4, 50)};
  RigidFit fit(c);
  for (const Point<3> &x : points)
    fit.add(x, rigid(c, x));
  const RigidMotion m = fit.solve(MPI_COMM_SELF);
  EXPECT_EQ(m.n_points, 4u);
  expect_motion(m, translation, rotation, 1e-12);
}

TEST(RigidFit, RecoversExactRigidMotionFromAnIrregularCloud)
{
  const Point<3> c(0.0, 0.0, 0.0);
  RigidFit fit(c);
  unsigned int n = 0;
  for (const Point<3> &x : grid(Point<3>(-25, -18, 5), Point<3>(24, 17, 32), 5))
    {
      // Irregular but deterministic perturbation of the grid.
      const Point<3> y = x + vec(0.3 * std::sin(n * 1.3), 0.2 * std::cos(n * 0.7), 0.1 * n);
      fit.add(y, rigid(c, y));
      ++n;
    }
  const RigidMotion m = fit.solve(MPI_COMM_WORLD);
  EXPECT_EQ(m.n_points, n);
  expect_motion(m, translation, rotation, 1e-12);
}

TEST(RigidFit, TranslationRefersToTheReferencePoint)
{
  // The same motion fitted about another point has the same rotation and a translation
  // shifted by omega x (c2 - c1).
  const Point<3> c1(0, 0, 0), c2(5, -7, 40);
  RigidFit fit(c2);
  for (const Point<3> &x : grid(Point<3>(-10, -10, 30), Point<3>(10, 10, 50), 3))
    fit.add(x, rigid(c1, x));
  const RigidMotion m = fit.solve(MPI_COMM_SELF);
  expect_motion(m, translation + dealii::cross_product_3d(rotation, c2 - c1), rotation, 1e-12);
}

TEST(RigidFit, SymmetricStrainOfASymmetricCloudLeavesTheRotationUnchanged)
{
  // u = eps (x - x0) with eps symmetric has no rotation (curl u = 0). On a point cloud whose
  // second moment about its centroid x0 is isotropic (a cubic grid) the fit sees none.
  SymmetricTensor<2, 3> eps;
  eps[0][0] = 1.2e-3;
  eps[1][1] = -0.4e-3;
  eps[2][2] = -2.5e-3;
  eps[0][1] = 0.7e-3;
  eps[0][2] = -0.3e-3;
  eps[1][2] = 0.9e-3;
  const Point<3> x0(2, 3, 35), c(0, 0, 0);
  RigidFit pure(c), strained(c);
  for (const Point<3> &x : grid(x0 + vec(-12, -12, -12), x0 + vec(12, 12, 12), 4))
    {
      pure.add(x, rigid(c, x));
      strained.add(x, rigid(c, x) + eps * (x - x0));
    }
  const RigidMotion a = pure.solve(MPI_COMM_SELF), b = strained.solve(MPI_COMM_SELF);
  for (unsigned int d = 0; d < 3; ++d)
    {
      EXPECT_NEAR(b.rotation[d], a.rotation[d], 1e-12) << d;
      EXPECT_NEAR(b.translation[d], a.translation[d], 1e-12) << d;
    }
}

TEST(RigidFit, AxialStrainOfABoxLeavesTheRotationUnchanged)
{
  // Compression of a vertebral-body-like box (different side lengths) with Poisson
  // expansion: a diagonal strain in the box's axes has no mean rotation.
  SymmetricTensor<2, 3> eps;
  eps[0][0] = 0.3e-3;
  eps[1][1] = 0.3e-3;
  eps[2][2] = -1.0e-3;
  const Point<3> lo(-25, -17, 5), hi(25, 17, 32);
  const Point<3> x0 = 0.5 * (lo + hi);
  const Point<3> c(0, 0, 0);
  RigidFit fit(c);
  for (const Point<3> &x : grid(lo, hi, 5))
    fit.add(x, rigid(c, x) + eps * (x - x0));
  const RigidMotion m = fit.solve(MPI_COMM_SELF);
  for (unsigned int d = 0; d < 3; ++d)
    EXPECT_NEAR(m.rotation[d], rotation[d], 1e-12) << d;
}

TEST(RigidFit, CollinearPointsThrow)
{
  RigidFit fit(Point<3>(0, 0, 0));
  for (unsigned int i = 0; i < 10; ++i)
    {
      const Point<3> x(1.0 + i, 2.0 + 2.0 * i, -3.0 * i);
      fit.add(x, rigid(Point<3>(), x));
    }
  EXPECT_THROW(fit.solve(MPI_COMM_SELF), std::runtime_error);
}

TEST(RigidFit, TooFewPointsThrow)
{
  RigidFit empty(Point<3>(0, 0, 0));
  EXPECT_THROW(empty.solve(MPI_COMM_SELF), std::runtime_error);
  RigidFit two(Point<3>(0, 0, 0));
  two.add(Point<3>(0, 0, 0), vec(0, 0, 0));
  two.add(Point<3>(1, 0, 0), vec(0, 0, 0));
  EXPECT_THROW(two.solve(MPI_COMM_SELF), std::runtime_error);
}

TEST(RigidFit, ThreeNonCollinearPointsSuffice)
{
  const Point<3> c(0, 0, 0);
  RigidFit fit(c);
  for (const Point<3> &x : {Point<3>(0, 0, 0), Point<3>(10, 0, 0), Point<3>(0, 10, 0)})
    fit.add(x, rigid(c, x));
  expect_motion(fit.solve(MPI_COMM_SELF), translation, rotation, 1e-12);
}
