#include "adaptation/graft_modulus_change.h"

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <cmath>

namespace bonefusion::adaptation
{
  double GraftModulusChange::measure(const GraftChangeMeasure how, const MPI_Comm mpi) const
  {
    if (how == GraftChangeMeasure::largest_cell)
      return dealii::Utilities::MPI::max(largest, mpi);
    std::vector<double> squares(weighted_square.size()), volumes(volume.size());
    dealii::Utilities::MPI::sum(weighted_square, mpi, squares);
    dealii::Utilities::MPI::sum(volume, mpi, volumes);
    double rms = 0;
    for (unsigned int r = 0; r < volumes.size(); ++r)
      if (volumes[r] > 0)
        rms = std::max(rms, std::sqrt(squares[r] / volumes[r]));
    return rms;
  }
} // namespace bonefusion::adaptation
