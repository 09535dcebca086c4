#pragma once
/**
 * @file Per-cell mechanical quantities that drive the adaptation laws: strain energy density
 * (remodeling stimulus), octahedral shear strain, largest principal strain magnitude and
 * hydrostatic pressure (tissue differentiation in the graft). Volume means over the cell's
 * quadrature points, with the same (B-bar) strain as the stiffness.
 *
 * On the finite-strain path the strain is the Green-Lagrange E = eps + grad u^T grad u / 2
 * (eps the B-bar small strain) and the stress C : E (the second Piola-Kirchhoff stress of a
 * Saint Venant-Kirchhoff solid): zero in a rigid rotation, where eps of a vertebra turned by
 * 2 deg is already -6e-4, as large as the strains that drive remodeling.
 */
#include "mechanics/elastic_system.h"

#include <functional>
#include <vector>

namespace bonefusion::postprocess
{
  /** Mechanical state of one cell, volume-averaged. */
  struct CellMechanics
  {
    double strain_energy_density = 0;   ///< U = sigma:eps/2 [MPa = mJ/mm^3]
    double octahedral_shear_strain = 0; ///< gamma_oct = 2/3 sqrt((e1-e2)^2+(e2-e3)^2+(e3-e1)^2) [-]
    double max_principal_strain = 0;    ///< largest |principal strain| [-]
    double pressure = 0;                ///< -tr(sigma)/3, compression positive [MPa]
    double von_mises = 0;               ///< [MPa]
  };

  /**
   * CellMechanics of every locally owned cell for which `wanted(cell)` is true, indexed by
   * active_cell_index (others are left untouched; `result` is resized to the number of
   * active cells). `green_lagrange`: the finite-strain measures above.
   */
  void cell_mechanics(const mechanics::ElasticSystem &system,
                      const mechanics::Vector &ghosted_solution,
                      const std::function<bool(const mechanics::CellIterator &)> &wanted,
                      std::vector<CellMechanics> &result, bool green_lagrange = false);
} // namespace bonefusion::postprocess
