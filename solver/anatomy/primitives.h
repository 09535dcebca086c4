#pragma once
/**
 * @file Solid primitives the parametric anatomy and the implants are built from: axis-aligned
 * boxes, finite circular cylinders, elliptic cylinders, rotated rectangular footprints and the
 * superellipse cross-section of vertebral bodies and discs. Each answers "is this point
 * inside?" cheaply and exactly (no tolerance): the voxel mesher asks at every cell centre.
 * Coordinates in mm.
 */
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include "model/frame.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace bonefusion::anatomy
{
  /** Axis-aligned box [lo, hi]. */
  struct Box
  {
    dealii::Point<3> lo, hi;

    bool contains(const dealii::Point<3> &p) const
    {
      return p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1] && p[2] >= lo[2] &&
             p[2] <= hi[2];
    }
    /** Grows this box to hold b as well. */
    void extend(const Box &b)
    {
      for (unsigned int d = 0; d < 3; ++d)
        {
          lo[d] = std::min(lo[d], b.lo[d]);
          hi[d] = std::max(hi[d], b.hi[d]);
        }
    }
  };

  /** The box spanned by two corners given coordinate by coordinate, in any order. */
  Box box(double x0, double x1, double y0, double y1, double z0, double z1);

  /** Box enclosing the box `local`, given in `frame`'s coordinates, in global coordinates. */
  Box to_global(const Box &local, const model::Frame &frame);

  /** Finite circular cylinder from `start` along the unit `axis`, with flat ends. */
  struct Cylinder
  {
    dealii::Point<3> start;
    dealii::Tensor<1, 3> axis;
    double length = 0, radius = 0;
    Box bounds; ///< set by finish()

    /** Computes the bounding box; call after setting the other members. */
    void finish();
    bool contains(const dealii::Point<3> &p) const
    {
      if (!bounds.contains(p))
        return false;
      const dealii::Tensor<1, 3> q = p - start;
      const double s = q * axis;
      return s >= 0 && s <= length && (q - s * axis).norm_square() <= radius * radius;
    }
  };

  /**
   * A tapered rod with a rounded tip (transverse processes): the frustum of a cone from
   * `start` along the unit `axis` over `length`, radius r_start at the start and r_tip at the
   * tip, closed at the tip by a ball of radius r_tip. Radii are at least `min_radius`, which
   * the anatomy sets to the voxel size so that a thin rod never breaks into loose voxels.
   */
  struct TaperedRod
  {
    dealii::Point<3> start;
    dealii::Tensor<1, 3> axis;
    double length = 0, r_start = 0, r_tip = 0, min_radius = 0;
    Box bounds; ///< set by finish()

    /** Computes the bounding box; call after setting the other members. */
    void finish();
    bool contains(const dealii::Point<3> &p) const;
  };

  /**
   * A plate of constant thickness across x (|p_x - x| <= half_thickness) whose side view in the
   * (y, z) plane is a trapezoid along a centre line from `root` to `tip` (both (y, z)), half
   * as tall as `h_root` at the root and `h_tip` at the tip, with a rounded end of radius h_tip
   * beyond the tip: the hatchet shape of a lumbar spinous process.
   */
  struct SagittalPlate
  {
    double x = 0, half_thickness = 0;
    double root_y = 0, root_z = 0, tip_y = 0, tip_z = 0, h_root = 0, h_tip = 0;
    Box bounds; ///< set by finish()

    void finish();
    bool contains(const dealii::Point<3> &p) const;
  };

  /**
   * The lamina of a lumbar vertebra: a plate across the roof of the canal, |x| <= half_width,
   * `thickness` deep behind its front face, from z_bottom to z_top, with three departures from
   * a box that make it read as a lamina:
   * - over the canal (u = |x| / arch_half_width < 1) it leans: its front face is at y_front
   *   at z_top and moves back by `lean` (1 - u^2) per mm below it, so the lower edge lies
   *   behind the upper one, shingled over the level below;
   * - there its lower border arches up by `notch` 4 u (1 - u): the upper edge of the
   *   interlaminar window between the spinous process' root and the articular processes;
   * - beyond the arch (u >= 1) it keeps its full height and stands upright: the inferior
   *   articular processes hang from it there;
   * - its edges are rounded with `edge_radius`.
   * The sections are mapped onto a box (the lean as a shear, the notch as a stretch of each
   * column x = const) and the box's rounded outline is tested there.
   */
  struct LaminaPlate
  {
    double half_width = 0, y_front = 0, thickness = 0, z_bottom = 0, z_top = 0;
    double lean = 0, notch = 0, arch_half_width = 1, edge_radius = 0;
    Box bounds; ///< set by finish()

    void finish();
    bool contains(const dealii::Point<3> &p) const;
  };

  /**
   * Elliptic prism along z inscribed in the box `b` scaled about its centre: the ellipse's
   * semi-axes are `scale` times the box's half-widths (scale = 2 / sqrt(pi) gives the box's
   * area), z within the box's range.
   */
  bool inside_elliptic_prism(const Box &b, double scale, const dealii::Point<3> &p);

  /**
   * Elliptic cylinder along y: centre line (x, z), semi-axes ax (x) and az (z), y0 <= y <= y1.
   * With a slope the centre line turns in the transverse plane, x(y) = x + slope (y - y_pivot):
   * the sections y = const stay ellipses of semi-axes ax and az, so a cylinder whose width
   * across its own axis should be w takes ax = w / 2 * sqrt(1 + slope^2).
   */
  struct EllipticCylinderY
  {
    double x = 0, z = 0, ax = 0, az = 0, y0 = 0, y1 = 0;
    double slope = 0, y_pivot = 0;
    bool contains(const dealii::Point<3> &p) const
    {
      const double u = (p[0] - x - slope * (p[1] - y_pivot)) / ax, w = (p[2] - z) / az;
      return p[1] >= y0 && p[1] <= y1 && u * u + w * w <= 1;
    }
    Box bounds() const
    {
      const double shift = std::abs(slope) * std::max(std::abs(y0 - y_pivot), std::abs(y1 - y_pivot));
      return box(x - ax - shift, x + ax + shift, y0, y1, z - az, z + az);
    }
  };

  /** Rectangle in the (x, y) plane with centre (cx, cy), rotated by the angle whose cosine
   *  and sine are c and s; u runs along the long side, v along the short side. */
  struct Footprint
  {
    double cx = 0, cy = 0, c = 1, s = 0, half_length = 0, half_width = 0;

    /** Local coordinates (u, v) of p. */
    std::pair<double, double> local(const dealii::Point<3> &p) const
    {
      const double dx = p[0] - cx, dy = p[1] - cy;
      return {dx * c + dy * s, -dx * s + dy * c};
    }
    /** Corner (i, j) with i, j in {-1, 1}, at z = 0. */
    dealii::Point<3> corner(int i, int j) const
    {
      const double u = i * half_length, v = j * half_width;
      return dealii::Point<3>(cx + u * c - v * s, cy + u * s + v * c, 0);
    }
  };

  /**
   * The cross-section of a vertebral body or disc: the superellipse |x/a|^n + |y/b|^n <= 1
   * with a flat posterior wall at y = -posterior_cut b, its semi-axes shrunk by `inset` [mm].
   * With shell_margin (1.02) on the inset, the shrunk outline stays at least `inset` inside
   * the outer one for n = 2 ... 3 (closest at the axes; at the rounded corners up to 4.5 %
   * farther at n = 2.2, 14 % at n = 3), so a shell test "inside the outline but not inside
   * the shrunk one" holds for the exponents in use.
   */
  bool inside_superellipse_section(double x, double y, double a, double b, double inset, double n,
                                   double posterior_cut);

  /**
   * Area of the superellipse |x/a|^n + |y/b|^n <= 1 divided by a*b:
   * 4 Gamma(1 + 1/n)^2 / Gamma(1 + 2/n); pi for the ellipse (n = 2), 4 for the rectangle.
   */
  double superellipse_area_factor(double n);
} // namespace bonefusion::anatomy
