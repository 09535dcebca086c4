#include "postprocess/body_motion.h"

#include <set>

namespace bonefusion::postprocess
{
  RigidMotion fit_rigid_motion(const mechanics::ElasticSystem &system,
                               const mechanics::Vector &ghosted_solution,
                               const std::function<bool(const mechanics::CellIterator &)> &selected,
                               const dealii::Point<3> &reference)
  {
    const dealii::IndexSet &owned = system.dofs().locally_owned_dofs();
    RigidFit fit(reference);
    std::set<dealii::types::global_dof_index> seen;
    // Ghost cells are visited too: a node owned here may belong only to a selected ghost cell.
    for (const auto &cell : system.dofs().active_cell_iterators())
      if ((cell->is_locally_owned() || cell->is_ghost()) && selected(cell))
        for (const unsigned int v : cell->vertex_indices())
          {
            const auto dof_x = cell->vertex_dof_index(v, 0);
            if (!owned.is_element(dof_x) || !seen.insert(dof_x).second)
              continue;
            dealii::Tensor<1, 3> u;
            for (unsigned int c = 0; c < 3; ++c)
              u[c] = ghosted_solution[cell->vertex_dof_index(v, c)];
            fit.add(cell->vertex(v), u);
          }
    return fit.solve(system.communicator());
  }
} // namespace bonefusion::postprocess
