#pragma once
/**
 * @file An anatomical frame: an origin and three orthonormal axes named as the body's own
 * directions (left->right, posterior->anterior, inferior->superior). Vertebrae and discs
 * carry one each, so that code outside anatomy/ never assumes which global axis is "up".
 */
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

namespace bonefusion::model
{
  /** Origin and axes of a body or disc [mm]. The axes are unit vectors, right-handed. */
  struct Frame
  {
    dealii::Point<3> origin;
    dealii::Tensor<1, 3> lateral = dealii::Tensor<1, 3>({1.0, 0.0, 0.0}); ///< left -> right
    dealii::Tensor<1, 3> anterior =
      dealii::Tensor<1, 3>({0.0, 1.0, 0.0}); ///< posterior -> anterior
    dealii::Tensor<1, 3> superior = dealii::Tensor<1, 3>({0.0, 0.0, 1.0}); ///< inferior -> superior

    /** Coordinates of p in this frame: (lateral, anterior, superior) components [mm]. */
    dealii::Point<3> to_local(const dealii::Point<3> &p) const
    {
      const dealii::Tensor<1, 3> d = p - origin;
      return dealii::Point<3>(d * lateral, d * anterior, d * superior);
    }

    /** Components of a vector in this frame [same unit as v]. */
    dealii::Tensor<1, 3> vector_to_local(const dealii::Tensor<1, 3> &v) const
    {
      return dealii::Tensor<1, 3>({v * lateral, v * anterior, v * superior});
    }

    /** The global vector with components v in this frame. */
    dealii::Tensor<1, 3> vector_to_global(const dealii::Tensor<1, 3> &v) const
    {
      return v[0] * lateral + v[1] * anterior + v[2] * superior;
    }

    /** The global point with coordinates q in this frame [mm]. */
    dealii::Point<3> to_global(const dealii::Point<3> &q) const
    {
      return origin + vector_to_global(q);
    }

    /** Signed distance of p from the plane through the origin normal to `superior` [mm]. */
    double height_of(const dealii::Point<3> &p) const { return (p - origin) * superior; }
  };
} // namespace bonefusion::model
