#pragma once
/**
 * @file Distributes a resultant force and moment over a plane surface z = const as a linear
 * traction field, so that the traction's integrals reproduce the resultant exactly:
 *   t_z = F_z/A + alpha (x - cx) + beta (y - cy)        (bending moments M_x, M_y)
 *   t_x = F_x/A - M_z/J (y - cy),  t_y = F_y/A + M_z/J (x - cx)   (torsion M_z)
 * with J = I_xx + I_yy. A pure moment therefore has zero net force.
 * This is the "distributing coupling" of commercial codes, without a reference node.
 */
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

namespace bonefusion::loads
{
  /** Area moments of a plane section: A, centroid, second moments about the centroid. */
  struct PlaneSection
  {
    double area = 0;              ///< [mm^2]
    double cx = 0, cy = 0, z = 0; ///< centroid [mm]
    double ixx = 0;               ///< integral of (y - cy)^2 [mm^4]
    double iyy = 0;               ///< integral of (x - cx)^2 [mm^4]
    double ixy = 0;               ///< integral of (x - cx)(y - cy) [mm^4]
  };

  /** Accumulates the raw integrals of a section from quadrature points, then finishes it. */
  class PlaneSectionIntegrator
  {
  public:
    /** Adds a quadrature point at p with weight JxW [mm^2]. */
    void add(const dealii::Point<3> &p, double JxW);
    /** Raw sums (1, x, y, z, xx, yy, xy) for MPI reduction. */
    double sums[7] = {0, 0, 0, 0, 0, 0, 0};
    /** Section from the (possibly MPI-summed) raw integrals. Throws if the area is zero. */
    PlaneSection finish() const;
  };

  /** Linear traction field with the given resultant force [N] and moment [N mm] about the
   *  section centroid. */
  class LinearTraction
  {
  public:
    LinearTraction(const PlaneSection &section, const dealii::Tensor<1, 3> &force,
                   const dealii::Tensor<1, 3> &moment);
    /** Traction [MPa] at point p of the section. */
    dealii::Tensor<1, 3> value(const dealii::Point<3> &p) const;

  private:
    PlaneSection s;
    dealii::Tensor<1, 3> f;
    double alpha = 0, beta = 0, torsion = 0;
  };
} // namespace bonefusion::loads
