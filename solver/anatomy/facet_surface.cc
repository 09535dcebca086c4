#include "anatomy/facet_surface.h"

#include <cmath>

namespace bonefusion::anatomy
{
  namespace
  {
    /** Horizontal offset of q from the cylinder's axis. */
    dealii::Tensor<1, 3> from_axis(const FacetSurface &f, const dealii::Point<3> &q)
    {
      const dealii::Point<3> axis = f.centre + f.radius * f.normal;
      dealii::Tensor<1, 3> d = q - axis;
      d[2] = 0;
      return d;
    }
  } // namespace

  FacetSurface::Local FacetSurface::local(const dealii::Point<3> &q) const
  {
    const dealii::Tensor<1, 3> d = from_axis(*this, q);
    const double r = d.norm();
    // Angle of d from the direction back to the centre (-normal), positive towards the
    // horizontal tangent normal x z.
    const dealii::Tensor<1, 3> tangent({-normal[1], normal[0], 0.});
    const double phi = std::atan2(d * tangent, -(d * normal));
    return {radius - r, radius * phi, q[2] - centre[2]};
  }

  dealii::Tensor<1, 3> FacetSurface::normal_at(const dealii::Point<3> &q) const
  {
    const dealii::Tensor<1, 3> d = from_axis(*this, q);
    const double r = d.norm();
    return r > 0 ? -d / r : normal;
  }
} // namespace bonefusion::anatomy
