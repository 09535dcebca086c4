#include "anatomy/primitives.h"

#include <cmath>

namespace bonefusion::anatomy
{
  Box box(const double x0, const double x1, const double y0, const double y1, const double z0,
          const double z1)
  {
    return {dealii::Point<3>(std::min(x0, x1), std::min(y0, y1), std::min(z0, z1)),
            dealii::Point<3>(std::max(x0, x1), std::max(y0, y1), std::max(z0, z1))};
  }

  Box to_global(const Box &local, const model::Frame &frame)
  {
    Box b;
    for (unsigned int i = 0; i < 8; ++i)
      {
        const dealii::Point<3> corner((i & 1) ? local.hi[0] : local.lo[0],
                                      (i & 2) ? local.hi[1] : local.lo[1],
                                      (i & 4) ? local.hi[2] : local.lo[2]);
        const dealii::Point<3> g = frame.to_global(corner);
        if (i == 0)
          b.lo = b.hi = g;
        else
          b.extend({g, g});
      }
    return b;
  }

  void Cylinder::finish()
  {
    const dealii::Point<3> end = start + length * axis;
    bounds = box(start[0], end[0], start[1], end[1], start[2], end[2]);
    for (unsigned int d = 0; d < 3; ++d)
      bounds.lo[d] -= radius, bounds.hi[d] += radius;
  }

  bool inside_superellipse_section(const double x, const double y, const double a, const double b,
                                   const double inset, const double n, const double posterior_cut)
  {
    const double A = a - inset, B = b - inset;
    if (A <= 0 || B <= 0 || y < -posterior_cut * b + inset)
      return false;
    const double u = std::abs(x) / A, v = std::abs(y) / B;
    if (n == 2)
      return u * u + v * v <= 1;
    return u <= 1 && v <= 1 && std::pow(u, n) + std::pow(v, n) <= 1;
  }

  double superellipse_area_factor(const double n)
  {
    const double g = std::tgamma(1 + 1 / n);
    return 4 * g * g / std::tgamma(1 + 2 / n);
  }
} // namespace bonefusion::anatomy
