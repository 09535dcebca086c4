#include "loads/surface_traction.h"

#include <stdexcept>

namespace bonefusion::loads
{
  void PlaneSectionIntegrator::add(const dealii::Point<3> &p, const double JxW)
  {
    sums[0] += JxW;
    sums[1] += JxW * p[0];
    sums[2] += JxW * p[1];
    sums[3] += JxW * p[2];
    sums[4] += JxW * p[0] * p[0];
    sums[5] += JxW * p[1] * p[1];
    sums[6] += JxW * p[0] * p[1];
  }

  PlaneSection PlaneSectionIntegrator::finish() const
  {
    PlaneSection s;
    s.area = sums[0];
    if (!(s.area > 0))
      throw std::runtime_error("the loaded surface has zero area: no boundary face carries "
                               "the load surface id (check the mesh's named surfaces)");
    s.cx = sums[1] / s.area;
    s.cy = sums[2] / s.area;
    s.z = sums[3] / s.area;
    // Parallel-axis theorem: central moments from moments about the origin.
    s.iyy = sums[4] - s.area * s.cx * s.cx;
    s.ixx = sums[5] - s.area * s.cy * s.cy;
    s.ixy = sums[6] - s.area * s.cx * s.cy;
    return s;
  }

  LinearTraction::LinearTraction(const PlaneSection &section, const dealii::Tensor<1, 3> &force,
                                 const dealii::Tensor<1, 3> &moment)
    : s(section)
    , f(force)
  {
    // Moments of t_z about the centroid: M_x = alpha I_xy + beta I_xx,
    // M_y = -(alpha I_yy + beta I_xy). Solve the 2x2 system.
    const double det = s.ixy * s.ixy - s.ixx * s.iyy;
    if (det == 0)
      throw std::runtime_error("the loaded surface is degenerate (zero second moment)");
    const double mx = moment[0], my = -moment[1];
    alpha = (mx * s.ixy - s.ixx * my) / det;
    beta = (s.ixy * my - s.iyy * mx) / det;
    torsion = moment[2] / (s.ixx + s.iyy);
  }

  dealii::Tensor<1, 3> LinearTraction::value(const dealii::Point<3> &p) const
  {
    const double dx = p[0] - s.cx, dy = p[1] - s.cy;
    dealii::Tensor<1, 3> t;
    t[0] = f[0] / s.area - torsion * dy;
    t[1] = f[1] / s.area + torsion * dx;
    t[2] = f[2] / s.area + alpha * dx + beta * dy;
    return t;
  }
} // namespace bonefusion::loads
