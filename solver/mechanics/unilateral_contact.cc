#include "mechanics/unilateral_contact.h"

#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_values.h>

#include "mechanics/hyperelastic_cell.h"

namespace bonefusion::mechanics
{
  unsigned long
  update_open_cells(const ElasticSystem &system, const Vector &ghosted_solution,
                    const std::function<bool(const CellIterator &)> &in_layer,
                    const MaterialFunction &closed_material,
                    const std::function<dealii::Tensor<1, 3>(const CellIterator &)> &normal,
                    std::vector<unsigned char> &open, const bool allow_closing,
                    const bool finite_strain)
  {
    const auto &fe = system.element();
    dealii::FEValues<3> fe_values(system.map(), fe, system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    CellKinematics kinematics;
    dealii::Vector<double> u(fe.n_dofs_per_cell());
    unsigned long changed = 0;
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned() && in_layer(cell))
        {
          const CellElasticity c = closed_material(cell);
          fe_values.reinit(cell);
          kinematics.reinit(fe_values, c);
          cell->get_dof_values(ghosted_solution, u);
          const dealii::Tensor<1, 3> n = c.joint.present() ? dealii::Tensor<1, 3>() : normal(cell);
          double mean_strain = 0, mean_stress = 0, volume = 0;
          for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
            {
              const auto eps = kinematics.strain(q, u);
              if (c.joint.present())
                // The joint's closure (the same cell mean at every point): the joint's
                // energy depends on this number only, so its sign decides the state.
                mean_strain += (c.joint.opening * eps) * fe_values.JxW(q);
              else
                {
                  mean_strain += (n * (eps * n)) * fe_values.JxW(q);
                  mean_stress += (n * (stress(c, eps) * n)) * fe_values.JxW(q);
                }
              volume += fe_values.JxW(q);
            }
          mean_strain /= volume;
          mean_stress /= volume;
          if (finite_strain && c.joint.present())
            mean_strain = cell_mean_closure(fe_values, c.joint, u);
          unsigned char &state = open[cell->active_cell_index()];
          // A joint opens when pulled apart, a tension-only band goes slack when compressed.
          const double away = c.joint.engaged_in_tension ? -mean_strain : mean_strain;
          const unsigned char next = c.joint.present() ? (away > 0 || (state && !allow_closing)) :
                                     state             ? (mean_strain >= 0 || !allow_closing) :
                                                         (mean_stress > 0);
          changed += (next != state);
          state = next;
        }
    return dealii::Utilities::MPI::sum(changed, system.communicator());
  }
} // namespace bonefusion::mechanics
