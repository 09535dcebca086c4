#include "postprocess/mesh_sections.h"

#include <deal.II/base/mpi.h>

#include "postprocess/section_resultants.h"

#include <cmath>

namespace bonefusion::postprocess
{
  MeshSections::MeshSections(const Context &c)
    : context(c)
  {
    // Number of cells with a face on the plane from below.
    const double height = context.section_height;
    unsigned long n = 0;
    for (const auto &cell : context.system.dofs().active_cell_iterators())
      if (cell->is_locally_owned() && cell->center()[2] < height)
        for (const unsigned int f : cell->face_indices())
          if (std::abs(cell->face(f)->center()[2] - height) < 1e-6 * cell->diameter())
            ++n;
    if (dealii::Utilities::MPI::sum(n, context.system.communicator()) == 0)
      throw std::runtime_error("Mesh model/Section plane height = " + std::to_string(height) +
                               " mm: no element faces lie in that plane; choose a height at "
                               "which the mesh has a layer of element faces");
  }

  void MeshSections::evaluate(const SolvedLoad &load, io::StatisticsTable &table)
  {
    const loads::PlaneSection &section = context.loaded_section;
    model::Frame plane;
    plane.origin = dealii::Point<3>(0, 0, context.section_height);
    const dealii::Point<3> reference(section.cx, section.cy, context.section_height);
    const auto parts = section_resultants(context.system, load.solution, plane, reference, {},
                                          context.finite_strain);
    const char *axes[3] = {"x", "y", "z"};
    for (const model::Region &r : context.model.regions.all())
      {
        const auto it = parts.find(r.id);
        const Resultant part = it != parts.end() ? it->second : Resultant();
        const std::string stem = "section_" + column_name(r.name) + "_";
        for (unsigned int d = 0; d < 3; ++d)
          table.add(stem + "force_" + axes[d] + "_N", part.force[d]);
        for (unsigned int d = 0; d < 3; ++d)
          table.add(stem + "moment_" + axes[d] + "_Nmm", part.moment[d]);
      }
  }
} // namespace bonefusion::postprocess
