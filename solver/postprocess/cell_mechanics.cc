#include "postprocess/cell_mechanics.h"

#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/fe/fe_values.h>

#include "mechanics/hyperelastic_cell.h"

#include <cmath>

namespace bonefusion::postprocess
{
  void cell_mechanics(const mechanics::ElasticSystem &system,
                      const mechanics::Vector &ghosted_solution,
                      const std::function<bool(const mechanics::CellIterator &)> &wanted,
                      std::vector<CellMechanics> &result, const bool green_lagrange)
  {
    const auto &fe = system.element();
    dealii::FEValues<3> fe_values(system.map(), fe, system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::Vector<double> u(fe.n_dofs_per_cell());
    result.resize(system.dofs().get_triangulation().n_active_cells());
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned() && wanted(cell))
        {
          fe_values.reinit(cell);
          const mechanics::CellElasticity c = system.material()(cell);
          kinematics.reinit(fe_values, c);
          cell->get_dof_values(ghosted_solution, u);
          CellMechanics m;
          double volume = 0;
          for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
            {
              dealii::SymmetricTensor<2, 3> eps = kinematics.strain(q, u);
              if (green_lagrange)
                eps += mechanics::green_lagrange_quadratic_part(fe_values, u, q);
              const dealii::SymmetricTensor<2, 3> sigma = mechanics::stress(c, eps, green_lagrange);
              const auto e = dealii::eigenvalues(eps);
              const double JxW = fe_values.JxW(q);
              volume += JxW;
              m.strain_energy_density += 0.5 * (sigma * eps) * JxW;
              m.octahedral_shear_strain +=
                2.0 / 3.0 *
                std::sqrt((e[0] - e[1]) * (e[0] - e[1]) + (e[1] - e[2]) * (e[1] - e[2]) +
                          (e[2] - e[0]) * (e[2] - e[0])) *
                JxW;
              m.max_principal_strain += std::max(std::abs(e[0]), std::abs(e[2])) * JxW;
              m.pressure += -dealii::trace(sigma) / 3.0 * JxW;
              m.von_mises += mechanics::von_mises(sigma) * JxW;
            }
          m.strain_energy_density /= volume;
          m.octahedral_shear_strain /= volume;
          m.max_principal_strain /= volume;
          m.pressure /= volume;
          m.von_mises /= volume;
          result[cell->active_cell_index()] = m;
        }
  }
} // namespace bonefusion::postprocess
