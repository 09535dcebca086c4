#include "loads/follower_path.h"

#include <stdexcept>

namespace bonefusion::loads
{
  std::vector<VertebraForce> follower_path_forces(const std::vector<VertebraForce> &guides,
                                                  const double preload)
  {
    if (guides.size() < 2)
      throw std::invalid_argument("follower load path: it needs at least two vertebrae");
    std::vector<dealii::Tensor<1, 3>> chord(guides.size() - 1);
    for (std::size_t k = 0; k + 1 < guides.size(); ++k)
      {
        chord[k] = guides[k + 1].point - guides[k].point;
        if (!(chord[k].norm() > 0))
          throw std::invalid_argument("follower load path: two guide points coincide");
        chord[k] /= chord[k].norm();
      }
    std::vector<VertebraForce> forces(guides.begin(), guides.end() - 1);
    for (std::size_t k = 0; k < forces.size(); ++k)
      forces[k].force = preload * (k == 0 ? chord[0] : chord[k] - chord[k - 1]);
    return forces;
  }
} // namespace bonefusion::loads
