#include "postprocess/rigid_fit.h"

#include <deal.II/base/mpi.h>

#include <Eigen/Dense>

#include <stdexcept>

namespace bonefusion::postprocess
{
  RigidFit::RigidFit(const dealii::Point<3> &reference)
    : c(reference)
  {
  }

  void RigidFit::add(const dealii::Point<3> &x, const dealii::Tensor<1, 3> &u)
  {
    // Row block A = [I | -[r]x] maps (a, omega) to a + omega x r.
    const dealii::Tensor<1, 3> r = x - c;
    double A[3][6] = {
      {1, 0, 0, 0, r[2], -r[1]}, {0, 1, 0, -r[2], 0, r[0]}, {0, 0, 1, r[1], -r[0], 0}};
    for (unsigned int i = 0; i < 6; ++i)
      {
        for (unsigned int j = 0; j < 6; ++j)
          for (unsigned int k = 0; k < 3; ++k)
            normal[6 * i + j] += A[k][i] * A[k][j];
        for (unsigned int k = 0; k < 3; ++k)
          rhs[i] += A[k][i] * u[k];
      }
    count += 1;
  }

  RigidMotion RigidFit::solve(MPI_Comm comm) const
  {
    double buffer[43];
    std::copy(normal, normal + 36, buffer);
    std::copy(rhs, rhs + 6, buffer + 36);
    buffer[42] = count;
    dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(buffer, 43), comm,
                                dealii::ArrayView<double>(buffer, 43));
    Eigen::Matrix<double, 6, 6> M;
    Eigen::Matrix<double, 6, 1> b;
    for (unsigned int i = 0; i < 6; ++i)
      {
        b(i) = buffer[36 + i];
        for (unsigned int j = 0; j < 6; ++j)
          M(i, j) = buffer[6 * i + j];
      }
    Eigen::FullPivLU<Eigen::Matrix<double, 6, 6>> lu(M);
    if (buffer[42] < 3 || lu.rank() < 6)
      throw std::runtime_error("rigid-body fit: the selected nodes cannot determine a rotation "
                               "(fewer than 3 non-collinear points)");
    const Eigen::Matrix<double, 6, 1> x = lu.solve(b);
    RigidMotion m;
    for (unsigned int i = 0; i < 3; ++i)
      {
        m.translation[i] = x(i);
        m.rotation[i] = x(3 + i);
      }
    m.n_points = static_cast<unsigned long>(buffer[42]);
    return m;
  }
} // namespace bonefusion::postprocess
