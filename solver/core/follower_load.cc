// The follower load along the column (loads/follower_path.h) on the simulator's mesh: guide
// points from the mesh, body forces in the load vector.
#include "core/simulator.h"

#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_values.h>

#include <stdexcept>

namespace bonefusion::core
{
  std::vector<loads::VertebraForce> Simulator::follower_guides() const
  {
    // The vertebrae from the loaded one down, following the segments.
    std::vector<int> chain{model.loaded_body};
    for (bool found = true; found;)
      {
        found = false;
        for (const model::MotionSegment &s : model.segments)
          if (s.upper == chain.back())
            {
              chain.push_back(s.lower);
              found = true;
              break;
            }
      }

    // Volume and first moment of each vertebral body's bone, by quadrature: on a boundary-
    // fitted mesh a cell's vertex mean is not its centroid, and the body force's moment in
    // the discrete equilibrium is that of the true centroid.
    std::vector<double> sums(4 * chain.size(), 0.0);
    dealii::FEValues<3> fv(system->map(), system->element(), system->cell_quadrature(),
                           dealii::update_quadrature_points | dealii::update_JxW_values);
    for (const auto &cell : system->dofs().active_cell_iterators())
      if (cell->is_locally_owned())
        for (std::size_t k = 0; k < chain.size(); ++k)
          if (model.in_vertebral_body(cell->material_id(), chain[k]))
            {
              fv.reinit(cell);
              for (unsigned int q = 0; q < fv.n_quadrature_points; ++q)
                {
                  sums[4 * k] += fv.JxW(q);
                  for (unsigned int d = 0; d < 3; ++d)
                    sums[4 * k + 1 + d] += fv.JxW(q) * fv.quadrature_point(q)[d];
                }
            }
    dealii::Utilities::MPI::sum(sums, mpi, sums);

    std::vector<loads::VertebraForce> guides(chain.size());
    for (std::size_t k = 0; k < chain.size(); ++k)
      {
        const double volume = sums[4 * k];
        if (!(volume > 0))
          throw std::runtime_error("Loads/Follower path: vertebra " +
                                   model.bodies.at(chain[k]).name +
                                   " has no bone in the mesh to carry the follower load");
        guides[k].body = chain[k];
        guides[k].volume = volume;
        for (unsigned int d = 0; d < 3; ++d)
          guides[k].point[d] = sums[4 * k + 1 + d] / volume;
      }
    return guides;
  }

  mechanics::Vector Simulator::load_vector(const loads::AppliedLoad &load,
                                           const bool condense) const
  {
    mechanics::Vector rhs = system->traction_rhs(loaded_boundary, load.traction, condense);
    if (!load.vertebra_forces.empty())
      system->add_body_force_rhs(
        [&](const mechanics::CellIterator &cell) {
          dealii::Tensor<1, 3> density;
          for (const loads::VertebraForce &f : load.vertebra_forces)
            if (model.in_vertebral_body(cell->material_id(), f.body))
              density += f.force / f.volume;
          return density;
        },
        condense, rhs);
    return rhs;
  }
} // namespace bonefusion::core
