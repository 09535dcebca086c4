#include "postprocess/field_statistics.h"

#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_values.h>

#include "mechanics/hyperelastic_cell.h"

#include <cmath>
#include <limits>

namespace bonefusion::postprocess
{
  NamedValues field_statistics(const model::Model &model, const mechanics::ElasticSystem &system,
                               const mechanics::Vector &ghosted_solution, const bool finite_strain)
  {
    using model::Tissue;
    const auto tissue = [&model](const unsigned int id) { return model.regions[id].tissue; };
    /** True if a face neighbour of the cell is a cage cell. */
    const auto touches_cage = [&](const mechanics::CellIterator &cell) {
      for (const unsigned int f : cell->face_indices())
        if (!cell->at_boundary(f) && tissue(cell->neighbor(f)->material_id()) == Tissue::cage)
          return true;
      return false;
    };
    /** Normal of the disc a graft cell, or the cage an endplate cell rests on, belongs to: the
     *  axis of "axial compression" (global z for a mesh without motion segments). */
    const auto disc_normal = [&](const mechanics::CellIterator &cell) {
      dealii::Tensor<1, 3> n({0.0, 0.0, 1.0});
      const auto normal_of = [&](const unsigned int id) {
        const int s = model.regions[id].segment;
        if (s != model::no_index)
          n = model.segments[s].disc_frame.superior;
      };
      if (tissue(cell->material_id()) == Tissue::graft)
        normal_of(cell->material_id());
      else
        for (const unsigned int f : cell->face_indices())
          if (!cell->at_boundary(f) && tissue(cell->neighbor(f)->material_id()) == Tissue::cage)
            normal_of(cell->neighbor(f)->material_id());
      return n;
    };
    const auto &fe = system.element();
    dealii::FEValues<3> fe_values(system.map(), fe, system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::Vector<double> u(fe.n_dofs_per_cell());
    MeanMax screw_vm, rod_vm, graft_strain, graft_compression, endplate_stress, cage_vm;
    // Nucleus pressure per motion segment (the last entry: nuclei of no segment).
    std::vector<MeanMax> nucleus_p(model.segments.size() + 1);
    const auto nucleus_of = [&](const unsigned int id) -> MeanMax & {
      const int s = model.regions[id].segment;
      return s == model::no_index ? nucleus_p.back() : nucleus_p.at(s);
    };

    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const Tissue t = tissue(cell->material_id());
          const bool endplate_under_cage = t == Tissue::endplate && touches_cage(cell);
          if (!(t == Tissue::screw || t == Tissue::rod || t == Tissue::graft ||
                t == Tissue::nucleus || t == Tissue::cage || endplate_under_cage))
            continue;
          fe_values.reinit(cell);
          const dealii::Tensor<1, 3> normal = disc_normal(cell);
          const mechanics::CellElasticity c = system.material()(cell);
          kinematics.reinit(fe_values, c);
          cell->get_dof_values(ghosted_solution, u);
          if (finite_strain && t == Tissue::nucleus)
            {
              // The Cauchy pressure of the hyperelastic nucleus (the linear measure of a
              // finite displacement shows a pressure where there is none: quadratic terms).
              double volume = 0;
              for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
                volume += fe_values.JxW(q);
              nucleus_of(cell->material_id())
                .add(mechanics::hyperelastic_pressure(fe_values, c, u), volume);
              continue;
            }
          // Finite strain: Cauchy stress of the hyperelastic energy and Green-Lagrange strain
          // (a rigid turn of the graft reads no strain).
          std::vector<dealii::SymmetricTensor<2, 3>> cauchy;
          if (finite_strain)
            cauchy = mechanics::hyperelastic_cauchy_stress(fe_values, c, u);
          for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
            {
              dealii::SymmetricTensor<2, 3> eps = kinematics.strain(q, u);
              if (finite_strain)
                eps += mechanics::green_lagrange_quadratic_part(fe_values, u, q);
              const auto sigma = finite_strain ? cauchy[q] : mechanics::stress(c, eps);
              const double JxW = fe_values.JxW(q);
              if (t == Tissue::screw)
                screw_vm.add(mechanics::von_mises(sigma), JxW);
              else if (t == Tissue::rod)
                rod_vm.add(mechanics::von_mises(sigma), JxW);
              else if (t == Tissue::cage)
                cage_vm.add(mechanics::von_mises(sigma), JxW);
              else if (t == Tissue::graft)
                {
                  const auto e = dealii::deviator(eps);
                  // von Mises equivalent strain, and the compressive strain along the disc's
                  // normal -n.eps.n
                  graft_strain.add(std::sqrt(2.0 / 3.0 * (e * e)), JxW);
                  graft_compression.add(-(normal * (eps * normal)), JxW);
                }
              else if (t == Tissue::nucleus)
                nucleus_of(cell->material_id()).add(-dealii::trace(sigma) / 3.0, JxW);
              else if (endplate_under_cage)
                endplate_stress.add(-(normal * (sigma * normal)), JxW); // normal to the endplate
            }
        }

    // Reduce: sums of integral/volume, maxima separately.
    std::vector<MeanMax *> all = {&screw_vm,          &rod_vm, &cage_vm, &graft_strain,
                                  &graft_compression, &endplate_stress};
    for (MeanMax &m : nucleus_p)
      all.push_back(&m);
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

    NamedValues values = {{"screw_peak_von_mises_MPa", screw_vm.peak()},
            {"rod_peak_von_mises_MPa", rod_vm.peak()},
            {"cage_peak_von_mises_MPa", cage_vm.peak()},
            {"graft_mean_equivalent_strain", graft_strain.mean()},
            {"graft_peak_equivalent_strain", graft_strain.peak()},
            {"graft_mean_axial_compressive_strain", graft_compression.mean()},
            {"endplate_under_cage_mean_stress_MPa", endplate_stress.mean()},
            {"endplate_under_cage_peak_stress_MPa", endplate_stress.peak()}};
    // One column per segment ("L4_L5_nucleus_mean_pressure_MPa"; the plain name for a model
    // of one segment or a mesh without segments).
    for (unsigned int s = 0; s < model.segments.size(); ++s)
      values.emplace_back(model.segment_column(s, "nucleus_mean_pressure_MPa"),
                          nucleus_p[s].mean());
    if (model.segments.empty())
      values.emplace_back("nucleus_mean_pressure_MPa", nucleus_p.back().mean());
    return values;
  }
} // namespace bonefusion::postprocess
