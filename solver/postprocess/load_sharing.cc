#include "postprocess/load_sharing.h"

#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_values.h>

#include <cmath>

namespace bonefusion::postprocess
{
  std::map<unsigned int, Resultant> plane_resultants(const mechanics::ElasticSystem &system,
                                                     const mechanics::Vector &ghosted_solution,
                                                     const double plane_z,
                                                     const dealii::Point<3> &reference)
  {
    const auto &fe = system.element();
    dealii::FEValues<3> fe_values(system.map(), fe, system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::FullMatrix<double> k;
    dealii::Vector<double> u(fe.n_dofs_per_cell()), f(fe.n_dofs_per_cell());
    const std::vector<dealii::Point<3>> &unit_points = fe.get_unit_support_points();

    // Raw sums per material id: 3 force + 3 moment components.
    constexpr unsigned int n_ids = 256;
    std::vector<double> sums(6 * n_ids, 0.0);

    for (const auto &cell : system.dofs().active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        const double h = cell->diameter();
        // The face at the top of this cell must lie on the plane.
        unsigned int top = dealii::numbers::invalid_unsigned_int;
        for (const unsigned int face : cell->face_indices())
          if (std::abs(cell->face(face)->center()[2] - plane_z) < 1e-6 * h &&
              cell->center()[2] < plane_z)
            top = face;
        if (top == dealii::numbers::invalid_unsigned_int)
          continue;
        fe_values.reinit(cell);
        const mechanics::CellElasticity c = system.material()(cell);
        kinematics.reinit(fe_values, c);
        kinematics.stiffness(fe_values, c, k);
        cell->get_dof_values(ghosted_solution, u);
        k.vmult(f, u);
        const unsigned int id = cell->material_id();
        for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
          {
            if (!fe.has_support_on_face(i, top))
              continue;
            const unsigned int comp = fe.system_to_component_index(i).first;
            const dealii::Point<3> x =
              system.map().transform_unit_to_real_cell(cell, unit_points[i]);
            dealii::Tensor<1, 3> force;
            force[comp] = f[i];
            const dealii::Tensor<1, 3> moment = dealii::cross_product_3d(x - reference, force);
            for (unsigned int d = 0; d < 3; ++d)
              {
                sums[6 * id + d] += force[d];
                sums[6 * id + 3 + d] += moment[d];
              }
          }
      }
    dealii::Utilities::MPI::sum(sums, system.communicator(), sums);
    std::map<unsigned int, Resultant> result;
    for (unsigned int id = 0; id < n_ids; ++id)
      {
        Resultant r;
        bool any = false;
        for (unsigned int d = 0; d < 3; ++d)
          {
            r.force[d] = sums[6 * id + d];
            r.moment[d] = sums[6 * id + 3 + d];
            any = any || r.force[d] != 0 || r.moment[d] != 0;
          }
        if (any)
          result[id] = r;
      }
    return result;
  }
} // namespace bonefusion::postprocess
