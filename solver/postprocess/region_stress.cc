// Region-wise von Mises statistics for models whose regions are named by the user (imported
// meshes); declared in field_statistics.h.
#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_values.h>

#include "mechanics/hyperelastic_cell.h"
#include "postprocess/field_statistics.h"

namespace bonefusion::postprocess
{
  NamedValues region_von_mises(const mechanics::ElasticSystem &system,
                               const mechanics::Vector &ghosted_solution,
                               const std::vector<std::string> &region_names,
                               const bool finite_strain)
  {
    const auto &fe = system.element();
    dealii::FEValues<3> fe_values(system.map(), fe, system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::Vector<double> u(fe.n_dofs_per_cell());
    std::vector<MeanMax> stats(region_names.size());
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int id = cell->material_id();
          if (id == 0 || id > stats.size())
            continue;
          fe_values.reinit(cell);
          const mechanics::CellElasticity c = system.material()(cell);
          kinematics.reinit(fe_values, c);
          cell->get_dof_values(ghosted_solution, u);
          std::vector<dealii::SymmetricTensor<2, 3>> cauchy;
          if (finite_strain)
            cauchy = mechanics::hyperelastic_cauchy_stress(fe_values, c, u);
          for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
            stats[id - 1].add(mechanics::von_mises(finite_strain ?
                                                     cauchy[q] :
                                                     mechanics::stress(c, kinematics.strain(q, u))),
                              fe_values.JxW(q));
        }
    std::vector<double> sums, maxima;
    for (const MeanMax &m : stats)
      {
        sums.push_back(m.integral);
        sums.push_back(m.volume);
        maxima.push_back(m.max);
      }
    dealii::Utilities::MPI::sum(sums, system.communicator(), sums);
    dealii::Utilities::MPI::max(maxima, system.communicator(), maxima);
    NamedValues values;
    for (unsigned int k = 0; k < stats.size(); ++k)
      {
        MeanMax m{sums[2 * k], sums[2 * k + 1], maxima[k]};
        values.emplace_back("von_mises_mean_" + column_name(region_names[k]) + "_MPa", m.mean());
        values.emplace_back("von_mises_peak_" + column_name(region_names[k]) + "_MPa", m.peak());
      }
    return values;
  }

  std::string column_name(const std::string &name)
  {
    std::string s = name;
    for (char &c : s)
      if (c == ' ' || c == ',' || c == '/' || c == '-' || c == '.' || c == ';' || c == ':')
        c = '_';
    return s;
  }
} // namespace bonefusion::postprocess
