#include "anatomy/primitives.h"

#include <algorithm>
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

  void TaperedRod::finish()
  {
    const dealii::Point<3> end = start + length * axis;
    const double r = std::max({r_start, r_tip, min_radius});
    bounds = box(start[0], end[0], start[1], end[1], start[2], end[2]);
    for (unsigned int d = 0; d < 3; ++d)
      bounds.lo[d] -= r, bounds.hi[d] += r;
  }

  bool TaperedRod::contains(const dealii::Point<3> &p) const
  {
    if (!bounds.contains(p))
      return false;
    const dealii::Tensor<1, 3> q = p - start;
    const double s = q * axis;
    if (s < 0)
      return false;
    const double tip = std::max(r_tip, min_radius);
    if (s > length)
      return (q - length * axis).norm_square() <= tip * tip;
    const double r = std::max(r_start + (r_tip - r_start) * s / length, min_radius);
    return (q - s * axis).norm_square() <= r * r;
  }

  void SagittalPlate::finish()
  {
    const double h = std::max(h_root, h_tip);
    bounds =
      box(x - half_thickness, x + half_thickness, std::min(root_y, tip_y) - h,
          std::max(root_y, tip_y) + h, std::min(root_z, tip_z) - h, std::max(root_z, tip_z) + h);
  }

  bool SagittalPlate::contains(const dealii::Point<3> &p) const
  {
    if (!bounds.contains(p))
      return false;
    const double dy = tip_y - root_y, dz = tip_z - root_z;
    const double length = std::sqrt(dy * dy + dz * dz);
    const double qy = p[1] - root_y, qz = p[2] - root_z;
    const double s = (qy * dy + qz * dz) / length;  // along the centre line
    const double n = (-qy * dz + qz * dy) / length; // across it, in the plate's plane
    if (s < 0)
      return false;
    if (s > length)
      return (s - length) * (s - length) + n * n <= h_tip * h_tip;
    return std::abs(n) <= h_root + (h_tip - h_root) * s / length;
  }

  void LaminaPlate::finish()
  {
    const double back_shift = lean * (z_top - z_bottom);
    bounds = box(-half_width, half_width, y_front - thickness - back_shift, y_front, z_bottom,
                 z_top);
  }

  bool LaminaPlate::contains(const dealii::Point<3> &p) const
  {
    if (!bounds.contains(p))
      return false;
    const double u = std::min(std::abs(p[0]) / arch_half_width, 1.0);
    const double bottom = z_bottom + notch * 4 * u * (1 - u);
    if (p[2] < bottom)
      return false;
    // Map the column x = const onto the full height and undo the lean.
    const double z = z_top - (z_top - p[2]) * (z_top - z_bottom) / (z_top - bottom);
    const double y = p[1] + lean * (1 - u * u) * (z_top - p[2]);
    // Rounded box: within edge_radius of the box shrunk by edge_radius.
    const double r = edge_radius;
    const auto outside = [r](const double v, const double lo, const double hi) {
      return std::max({lo + r - v, v - (hi - r), 0.0});
    };
    const double dx = outside(p[0], -half_width, half_width),
                 dy = outside(y, y_front - thickness, y_front), dz = outside(z, z_bottom, z_top);
    return dx * dx + dy * dy + dz * dz <= r * r;
  }

  bool inside_elliptic_prism(const Box &b, const double scale, const dealii::Point<3> &p)
  {
    if (p[2] < b.lo[2] || p[2] > b.hi[2])
      return false;
    const double u = (2 * p[0] - b.lo[0] - b.hi[0]) / (scale * (b.hi[0] - b.lo[0]));
    const double v = (2 * p[1] - b.lo[1] - b.hi[1]) / (scale * (b.hi[1] - b.lo[1]));
    return u * u + v * v <= 1;
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
