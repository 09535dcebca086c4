#include "adaptation/healing_junction.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace bonefusion::adaptation
{
  HealingJunction::HealingJunction(const double gap_width)
    : g(gap_width)
  {
    if (!(gap_width >= 0 && gap_width <= 5))
      throw std::invalid_argument("Graft healing/Junction gap width: must lie in [0, 5] mm (a "
                                  "healing gap is a fraction of a millimetre), got " +
                                  std::to_string(gap_width));
  }

  double HealingJunction::gap_fraction(const double cell_thickness) const
  {
    if (!active() || !(cell_thickness > 0))
      return 0;
    return std::min(1.0, g / cell_thickness);
  }

  double HealingJunction::series_modulus(const double gap_modulus, const double graft_modulus,
                                         const double phi)
  {
    return 1.0 / (phi / gap_modulus + (1 - phi) / graft_modulus);
  }

  TissueMechanics HealingJunction::layer_mechanics(const TissueMechanics &cell,
                                                   const double cell_modulus,
                                                   const double layer_modulus)
  {
    const double amplification = cell_modulus / layer_modulus;
    return TissueMechanics{cell.octahedral_shear_strain * amplification,
                           cell.principal_strain_max_abs * amplification,
                           cell.hydrostatic_pressure};
  }
} // namespace bonefusion::adaptation
