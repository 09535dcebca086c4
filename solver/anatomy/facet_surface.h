#pragma once
/**
 * @file The curved, oriented surface of a lumbar facet joint as drawn in the mesh
 * (Geometry/Facet surfaces = curved): a patch of a vertical circular cylinder, concave towards
 * the upper vertebra's inferior articular process, facing posteromedially at the joint's angle
 * to the sagittal plane. The cartilage is the layer of the drawn thickness about it; the
 * articular processes are the slabs behind each face. Coordinates in the disc's frame [mm]
 * (x lateral, y anterior, z superior).
 */
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

namespace bonefusion::anatomy
{
  struct FacetSurface
  {
    /** Where the surface meets the disc's mid-surface, at the middle of the joint. */
    dealii::Point<3> centre;
    /** Unit horizontal normal at the centre, pointing from the lower vertebra's superior
     *  articular facet to the upper vertebra's inferior articular process. */
    dealii::Tensor<1, 3> normal;
    double radius = 15;     ///< of the cylinder; its axis is centre + radius normal [mm]
    double half_width = 5;  ///< half the joint's extent along the arc [mm]
    double half_height = 6; ///< half its extent along z [mm]

    /** The point's coordinates about the surface: s, the signed distance from the cylinder
     *  (> 0 on the upper process' side); u, the arc length from the centre; w, the height
     *  above the centre. */
    struct Local
    {
      double s, u, w;
    };
    Local local(const dealii::Point<3> &q) const;

    /** True if (u, w) lies in the elliptic patch of the joint, scaled by `scale`. */
    bool in_patch(const Local &l, double scale = 1) const
    {
      const double a = l.u / (scale * half_width), b = l.w / (scale * half_height);
      return a * a + b * b <= 1;
    }

    /** Unit normal of the surface at the foot of q (horizontal, towards the axis). */
    dealii::Tensor<1, 3> normal_at(const dealii::Point<3> &q) const;
  };
} // namespace bonefusion::anatomy
