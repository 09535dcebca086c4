#pragma once
/**
 * @file Least-squares rigid-body fit of a displacement field: u(x) ~ a + omega x (x - c).
 * Used to measure the rotation of a vertebral body (small rotations, degrees) from its
 * nodal displacements, independent of the body's own deformation.
 */
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include <mpi.h>

namespace bonefusion::postprocess
{
  /** Best rigid motion: translation of the reference point and rotation vector. */
  struct RigidMotion
  {
    dealii::Tensor<1, 3> translation; ///< [mm] at the reference point
    dealii::Tensor<1, 3> rotation;    ///< rotation vector [rad] (small angles)
    unsigned long n_points = 0;
  };

  /** Accumulates the 6x6 normal equations point by point, sums them over MPI, solves. */
  class RigidFit
  {
  public:
    /** @param reference point c the rotation is taken about [mm]. */
    explicit RigidFit(const dealii::Point<3> &reference);
    /** Adds one node at position x [mm] with displacement u [mm]. */
    void add(const dealii::Point<3> &x, const dealii::Tensor<1, 3> &u);
    /** Sums over all ranks of comm and solves. Throws if the points cannot fix a rotation
     *  (fewer than 3 non-collinear points). */
    RigidMotion solve(MPI_Comm comm) const;

  private:
    dealii::Point<3> c;
    double normal[36] = {};
    double rhs[6] = {};
    double count = 0;
  };
} // namespace bonefusion::postprocess
