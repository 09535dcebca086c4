#include "postprocess/reactions.h"

#include <deal.II/base/mpi.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/component_mask.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <stdexcept>

namespace bonefusion::postprocess
{
  namespace
  {
    /** One displacement node: its three DoFs and where it is. */
    struct Node
    {
      std::array<dealii::types::global_dof_index, 3> dofs;
      dealii::Point<3> x;
    };

    /** Nodes whose x-component DoF this rank owns (each node once). */
    std::vector<Node> owned_nodes(const mechanics::ElasticSystem &system)
    {
      const auto &fe = system.element();
      const auto &unit_points = fe.get_unit_support_points();
      const dealii::IndexSet &owned = system.dofs().locally_owned_dofs();
      std::vector<dealii::types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
      std::set<dealii::types::global_dof_index> seen;
      std::vector<Node> nodes;
      for (const auto &cell : system.dofs().active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell->get_dof_indices(dof_indices);
            for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
              {
                const auto [component, base] = fe.system_to_component_index(i);
                if (component != 0 || !owned.is_element(dof_indices[i]) ||
                    !seen.insert(dof_indices[i]).second)
                  continue;
                Node n;
                for (unsigned int d = 0; d < 3; ++d)
                  n.dofs[d] = dof_indices[fe.component_to_system_index(d, base)];
                n.x = system.map().transform_unit_to_real_cell(cell, unit_points[i]);
                nodes.push_back(n);
              }
          }
      return nodes;
    }
  } // namespace

  std::vector<dealii::Tensor<1, 3>>
  support_reactions(const mechanics::ElasticSystem &system, const mechanics::Vector &internal,
                    const mechanics::Vector &external,
                    const std::vector<dealii::types::boundary_id> &supports)
  {
    const dealii::IndexSet &owned = system.dofs().locally_owned_dofs();
    const auto &fe = system.element();
    std::vector<double> sums(3 * supports.size(), 0.0);
    std::set<dealii::types::global_dof_index> counted;
    std::vector<dealii::types::global_dof_index> face_dofs(fe.n_dofs_per_face());
    for (unsigned int k = 0; k < supports.size(); ++k)
      for (const auto &cell : system.dofs().active_cell_iterators())
        if (cell->is_locally_owned())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == supports[k])
              {
                cell->face(f)->get_dof_indices(face_dofs);
                for (unsigned int i = 0; i < face_dofs.size(); ++i)
                  {
                    const auto dof = face_dofs[i];
                    // Owned DoFs only (each is summed once over all ranks).
                    if (!owned.is_element(dof) || !counted.insert(dof).second)
                      continue;
                    const unsigned int c = fe.face_system_to_component_index(i).first;
                    sums[3 * k + c] += internal[dof] - external[dof];
                  }
              }
    dealii::Utilities::MPI::sum(sums, system.communicator(), sums);
    std::vector<dealii::Tensor<1, 3>> result(supports.size());
    for (unsigned int k = 0; k < supports.size(); ++k)
      for (unsigned int d = 0; d < 3; ++d)
        result[k][d] = sums[3 * k + d];
    return result;
  }

  dealii::Tensor<1, 3> resultant(const mechanics::ElasticSystem &system,
                                 const mechanics::Vector &nodal_forces)
  {
    std::vector<double> sums(3, 0.0);
    for (const Node &n : owned_nodes(system))
      for (unsigned int d = 0; d < 3; ++d)
        sums[d] += nodal_forces[n.dofs[d]];
    dealii::Utilities::MPI::sum(sums, system.communicator(), sums);
    return dealii::Tensor<1, 3>({sums[0], sums[1], sums[2]});
  }

  double max_displacement(const mechanics::ElasticSystem &system,
                          const mechanics::Vector &ghosted_solution)
  {
    double largest = 0;
    for (const Node &n : owned_nodes(system))
      {
        double sq = 0;
        for (unsigned int d = 0; d < 3; ++d)
          sq += ghosted_solution[n.dofs[d]] * ghosted_solution[n.dofs[d]];
        largest = std::max(largest, std::sqrt(sq));
      }
    return dealii::Utilities::MPI::max(largest, system.communicator());
  }

  void write_nodal_values(const mechanics::ElasticSystem &system,
                          const mechanics::Vector &ghosted_solution,
                          const mechanics::Vector &internal, const mechanics::Vector &external,
                          const std::string &file)
  {
    const auto &constraints = system.constraints();
    std::vector<std::array<double, 9>> rows;
    for (const Node &n : owned_nodes(system))
      {
        std::array<double, 9> r{};
        for (unsigned int d = 0; d < 3; ++d)
          {
            r[d] = n.x[d];
            r[3 + d] = ghosted_solution[n.dofs[d]];
            r[6 + d] = constraints.is_constrained(n.dofs[d]) ?
                         internal[n.dofs[d]] - external[n.dofs[d]] :
                         0.0;
          }
        rows.push_back(r);
      }
    const auto gathered = dealii::Utilities::MPI::gather(system.communicator(), rows, 0);
    if (dealii::Utilities::MPI::this_mpi_process(system.communicator()) != 0)
      return;
    std::vector<std::array<double, 9>> all;
    for (const auto &part : gathered)
      all.insert(all.end(), part.begin(), part.end());
    std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) {
      return std::lexicographical_compare(a.begin(), a.begin() + 3, b.begin(), b.begin() + 3);
    });
    std::FILE *out = std::fopen(file.c_str(), "w");
    if (out == nullptr)
      throw std::runtime_error("cannot write '" + file + "'");
    std::fprintf(out, "x_mm,y_mm,z_mm,ux_mm,uy_mm,uz_mm,rx_N,ry_N,rz_N\n");
    for (const auto &r : all)
      std::fprintf(out, "%.12g,%.12g,%.12g,%.12e,%.12e,%.12e,%.12e,%.12e,%.12e\n", r[0], r[1], r[2],
                   r[3], r[4], r[5], r[6], r[7], r[8]);
    if (std::fclose(out) != 0)
      throw std::runtime_error("cannot write '" + file + "'");
  }
} // namespace bonefusion::postprocess
