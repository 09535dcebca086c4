#include "adaptation/graft_modulus_change.h"

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <cmath>

namespace bonefusion::adaptation
{
  double relative_modulus_change(const double old_modulus, const double new_modulus)
  {
    const double larger = std::max(old_modulus, new_modulus);
    return larger > 0 ? std::abs(new_modulus - old_modulus) / larger : 0.0;
  }

  GraftModulusChange::GraftModulusChange(const unsigned int n_regions)
    : weighted_square(n_regions + 1, 0.0)
    , volume(n_regions + 1, 0.0)
  {
  }

  void GraftModulusChange::add(const unsigned int region, const double cell_volume,
                               const double old_modulus, const double new_modulus)
  {
    const double relative = relative_modulus_change(old_modulus, new_modulus);
    largest = std::max(largest, relative);
    weighted_square.at(region) += cell_volume * relative * relative;
    volume.at(region) += cell_volume;
  }

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
