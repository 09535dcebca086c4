#include "postprocess/field_statistics.h"

#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_values.h>

#include "geometry/regions.h"

#include <cmath>
#include <limits>

namespace bonefusion::postprocess
{
  namespace
  {
    using geometry::Region;

    bool is(const unsigned int id, const Region r)
    {
      return id == static_cast<unsigned int>(r);
    }

    /** True if a face neighbour of the cell is a cage cell. */
    template <typename Cell>
    bool touches_cage(const Cell &cell)
    {
      for (const unsigned int f : cell->face_indices())
        if (!cell->at_boundary(f) && is(cell->neighbor(f)->material_id(), Region::cage))
          return true;
      return false;
    }
  } // namespace

  NamedValues field_statistics(const mechanics::ElasticSystem &system,
                               const mechanics::Vector &ghosted_solution)
  {
    const auto &fe = system.element();
    dealii::FEValues<3> fe_values(system.map(), fe, system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::Vector<double> u(fe.n_dofs_per_cell());
    MeanMax screw_vm, rod_vm, graft_strain, graft_compression, endplate_stress, nucleus_p, cage_vm;

    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int id = cell->material_id();
          const bool endplate_under_cage = is(id, Region::endplate) && touches_cage(cell);
          if (!(is(id, Region::screw) || is(id, Region::rod) || is(id, Region::graft) ||
                is(id, Region::nucleus) || is(id, Region::cage) || endplate_under_cage))
            continue;
          fe_values.reinit(cell);
          const mechanics::CellElasticity c = system.material()(cell);
          kinematics.reinit(fe_values, c);
          cell->get_dof_values(ghosted_solution, u);
          for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
            {
              const auto eps = kinematics.strain(q, u);
              const auto sigma = mechanics::stress(c, eps);
              const double JxW = fe_values.JxW(q);
              if (is(id, Region::screw))
                screw_vm.add(mechanics::von_mises(sigma), JxW);
              else if (is(id, Region::rod))
                rod_vm.add(mechanics::von_mises(sigma), JxW);
              else if (is(id, Region::cage))
                cage_vm.add(mechanics::von_mises(sigma), JxW);
              else if (is(id, Region::graft))
                {
                  const auto e = dealii::deviator(eps);
                  // von Mises equivalent strain, and axial compressive strain -eps_zz
                  graft_strain.add(std::sqrt(2.0 / 3.0 * (e * e)), JxW);
                  graft_compression.add(-eps[2][2], JxW);
                }
              else if (is(id, Region::nucleus))
                nucleus_p.add(-dealii::trace(sigma) / 3.0, JxW);
              else if (endplate_under_cage)
                endplate_stress.add(-sigma[2][2], JxW);
            }
        }

    // Reduce: sums of integral/volume, maxima separately.
    std::vector<MeanMax *> all = {&screw_vm,          &rod_vm,          &cage_vm,  &graft_strain,
                                  &graft_compression, &endplate_stress, &nucleus_p};
    std::vector<double> sums, maxima;
    for (const MeanMax *m : all)
      {
        sums.push_back(m->integral);
        sums.push_back(m->volume);
        maxima.push_back(m->max);
      }
    dealii::Utilities::MPI::sum(sums, system.communicator(), sums);
    dealii::Utilities::MPI::max(maxima, system.communicator(), maxima);
    for (unsigned int i = 0; i < all.size(); ++i)
      {
        all[i]->integral = sums[2 * i];
        all[i]->volume = sums[2 * i + 1];
        all[i]->max = maxima[i];
      }

    return {{"screw_peak_von_mises_MPa", screw_vm.peak()},
            {"rod_peak_von_mises_MPa", rod_vm.peak()},
            {"cage_peak_von_mises_MPa", cage_vm.peak()},
            {"graft_mean_equivalent_strain", graft_strain.mean()},
            {"graft_peak_equivalent_strain", graft_strain.peak()},
            {"graft_mean_axial_compressive_strain", graft_compression.mean()},
            {"endplate_under_cage_mean_stress_MPa", endplate_stress.mean()},
            {"endplate_under_cage_peak_stress_MPa", endplate_stress.peak()},
            {"nucleus_mean_pressure_MPa", nucleus_p.mean()}};
  }
} // namespace bonefusion::postprocess
