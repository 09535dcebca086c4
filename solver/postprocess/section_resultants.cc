#include "postprocess/section_resultants.h"

#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_values.h>

#include "mechanics/hyperelastic_cell.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace bonefusion::postprocess
{
  BelowSection below_plane(const model::Frame &plane)
  {
    return [plane](const mechanics::CellIterator &cell) {
      return plane.height_of(cell->center()) < 0;
    };
  }

  std::vector<unsigned int> cut_faces(const mechanics::CellIterator &cell,
                                      const model::Frame &plane, const BelowSection &below)
  {
    std::vector<unsigned int> cut;
    if (!below(cell))
      return cut;
    const double h = cell->diameter();
    // Shared with a cell above, or on the boundary and in the plane.
    for (const unsigned int face : cell->face_indices())
      if (cell->at_boundary(face) ? std::abs(plane.height_of(cell->face(face)->center())) < 1e-6 * h :
                                    !below(cell->neighbor(face)))
        cut.push_back(face);
    return cut;
  }

  std::map<unsigned int, Resultant> section_resultants(const mechanics::ElasticSystem &system,
                                                       const mechanics::Vector &ghosted_solution,
                                                       const model::Frame &plane,
                                                       const dealii::Point<3> &reference,
                                                       const BelowSection &below_section,
                                                       const bool finite_strain)
  {
    const BelowSection below = below_section ? below_section : below_plane(plane);
    const auto &fe = system.element();
    dealii::FEValues<3> fe_values(system.map(), fe, system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::FullMatrix<double> k;
    dealii::Vector<double> u(fe.n_dofs_per_cell()), f(fe.n_dofs_per_cell());
    const std::vector<dealii::Point<3>> &unit_points = fe.get_unit_support_points();

    // Raw sums per material id: 3 force + 3 moment components.
    unsigned int n_ids = 1;
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned())
        n_ids = std::max(n_ids, cell->material_id() + 1);
    n_ids = dealii::Utilities::MPI::max(n_ids, system.communicator());
    std::vector<double> sums(6 * n_ids, 0.0);

    // Nodes the cells above share with cells below only through an edge or a corner (where
    // a tilted or owner-based section is stair-cased) transmit force as well: every degree
    // of freedom of a cell above (owned or ghost) is marked.
    std::unordered_set<dealii::types::global_dof_index> above_dofs;
    std::vector<dealii::types::global_dof_index> indices(fe.n_dofs_per_cell());
    for (const auto &cell : system.dofs().active_cell_iterators())
      if ((cell->is_locally_owned() || cell->is_ghost()) && !below(cell))
        {
          cell->get_dof_indices(indices);
          above_dofs.insert(indices.begin(), indices.end());
        }

    for (const auto &cell : system.dofs().active_cell_iterators())
      {
        if (!cell->is_locally_owned() || !below(cell))
          continue;
        const std::vector<unsigned int> cut = cut_faces(cell, plane, below);
        cell->get_dof_indices(indices);
        if (cut.empty() && std::none_of(indices.begin(), indices.end(), [&](const auto i) {
              return above_dofs.count(i) > 0;
            }))
          continue;
        fe_values.reinit(cell);
        const mechanics::CellElasticity c = system.material()(cell);
        cell->get_dof_values(ghosted_solution, u);
        if (finite_strain)
          mechanics::hyperelastic_cell(fe_values, c, u, &f, nullptr);
        else
          {
            kinematics.reinit(fe_values, c);
            kinematics.stiffness(fe_values, c, k);
            k.vmult(f, u);
          }
        const unsigned int id = cell->material_id();
        for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
          {
            if (above_dofs.count(indices[i]) == 0 &&
                std::none_of(cut.begin(), cut.end(), [&](const unsigned int face) {
                  return fe.has_support_on_face(i, face);
                }))
              continue;
            const unsigned int comp = fe.system_to_component_index(i).first;
            dealii::Point<3> x = system.map().transform_unit_to_real_cell(cell, unit_points[i]);
            if (finite_strain)
              {
                const unsigned int node = fe.system_to_component_index(i).second;
                for (unsigned int d = 0; d < 3; ++d)
                  x[d] += u[fe.component_to_system_index(d, node)];
              }
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
