#include "postprocess/mesh_reactions.h"

#include "postprocess/reactions.h"

#include <algorithm>
#include <cmath>
#include <iomanip>

namespace bonefusion::postprocess
{
  MeshReactions::MeshReactions(const Context &c, const bool write_nodal_values)
    : context(c)
    , nodal_values(write_nodal_values)
  {
  }

  void MeshReactions::evaluate(const SolvedLoad &result, io::StatisticsTable &table)
  {
    const auto &system = context.system;
    const loads::AppliedLoad &load = result.load;
    const mechanics::Vector external =
      system.traction_rhs(context.loaded_boundary, load.traction, false);
    const mechanics::Vector internal =
      system.internal_forces(result.solution, context.finite_strain);
    const dealii::Tensor<1, 3> applied = resultant(system, external);
    const char *axes[3] = {"x", "y", "z"};
    for (unsigned int d = 0; d < 3; ++d)
      table.add(std::string("applied_force_") + axes[d] + "_N", applied[d]);
    for (unsigned int d = 0; d < 3; ++d)
      table.add(std::string("applied_moment_") + axes[d] + "_Nmm", load.moment[d]);
    table.add("applied_pressure_MPa", load.pressure);
    const auto reactions = support_reactions(system, internal, external, context.supports);
    dealii::Tensor<1, 3> total = applied;
    for (unsigned int s = 0; s < context.supports.size(); ++s)
      {
        total += reactions[s];
        for (unsigned int d = 0; d < 3; ++d)
          table.add("reaction_" + column_name(context.support_names[s]) + "_force_" + axes[d] +
                      "_N",
                    reactions[s][d]);
      }
    // Applied load plus support reactions vanish in equilibrium; a pure moment is scaled to a
    // force by the loaded surface's size.
    const double load_scale =
      applied.norm() + load.moment.norm() / std::sqrt(context.loaded_section.area);
    const double equilibrium_error = total.norm() / std::max(load_scale, 1e-300);
    table.add("equilibrium_relative_error", equilibrium_error);
    const double u_max = max_displacement(system, result.solution);
    table.add("max_displacement_mm", u_max);
    if (context.log)
      *context.log << "    max |u| " << u_max << " mm, applied force (" << applied[0] << ", "
                   << applied[1] << ", " << applied[2] << ") N, equilibrium error "
                   << std::scientific << std::setprecision(1) << equilibrium_error
                   << std::defaultfloat << std::setprecision(6) << std::endl;
    if (nodal_values)
      write_nodal_values(system, result.solution, internal, external,
                         context.output_directory + "/nodal_values_" + load.name + ".csv");
  }
} // namespace bonefusion::postprocess
