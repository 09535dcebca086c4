#pragma once
// Small helpers shared by the unit tests.
#include <deal.II/base/tensor.h>

namespace bonefusion::testing
{
  /** A 3-vector from its components. */
  inline dealii::Tensor<1, 3> vec(const double x, const double y, const double z)
  {
    dealii::Tensor<1, 3> t;
    t[0] = x;
    t[1] = y;
    t[2] = z;
    return t;
  }
} // namespace bonefusion::testing
