// The Simulator's path for models read from a mesh file (Geometry/Source = mesh file): build
// the model from the file's named sets, then solve every load case on the loaded surface and
// report support reactions, region stresses and, optionally, per-region section resultants
// and nodal values for node-by-node comparisons with other codes.
#include <deal.II/base/timer.h>

#include "core/simulator.h"
#include "io/visualization.h"
#include "loads/surface_traction.h"
#include "postprocess/field_statistics.h"
#include "postprocess/load_sharing.h"
#include "postprocess/reactions.h"

#include <cmath>
#include <iomanip>
#include <limits>

namespace bonefusion::core
{
  namespace
  {
    /** Lowest and highest z of the vertices on boundary `id` [mm]. Collective. */
    std::pair<double, double> z_range(const dealii::Triangulation<3> &tria,
                                      const dealii::types::boundary_id id, MPI_Comm mpi)
    {
      double lo = std::numeric_limits<double>::max(), hi = -lo;
      for (const auto &cell : tria.active_cell_iterators())
        if (cell->is_locally_owned())
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == id)
              for (const unsigned int v : cell->face(f)->vertex_indices())
                {
                  lo = std::min(lo, cell->face(f)->vertex(v)[2]);
                  hi = std::max(hi, cell->face(f)->vertex(v)[2]);
                }
      return {dealii::Utilities::MPI::min(lo, mpi), dealii::Utilities::MPI::max(hi, mpi)};
    }

    /** Number of cells with a face on the plane z = height from below. Collective. */
    unsigned long cells_below_plane(const dealii::Triangulation<3> &tria, const double height,
                                    MPI_Comm mpi)
    {
      unsigned long n = 0;
      for (const auto &cell : tria.active_cell_iterators())
        if (cell->is_locally_owned() && cell->center()[2] < height)
          for (const unsigned int f : cell->face_indices())
            if (std::abs(cell->face(f)->center()[2] - height) < 1e-6 * cell->diameter())
              ++n;
      return dealii::Utilities::MPI::sum(n, mpi);
    }
  } // namespace

  void Simulator::make_mesh_model()
  {
    const geometry::ExternalMesh mesh = geometry::read_mesh_file(prm.geometry.mesh_file);
    const bool hex = mesh.shape == geometry::CellShape::hexahedron;
    degree = prm.discretization.degree > 0 ? prm.discretization.degree
                                           : (prm.solver.matrix_free ? 2 : mesh.order);
    std::vector<std::string> region_sets, boundary_sets = prm.mesh_model.clamped_boundaries;
    for (const RegionMaterial &r : prm.mesh_model.regions)
      region_sets.push_back(r.region);
    boundary_sets.push_back(prm.mesh_model.loaded_boundary);
    triangulation = geometry::make_triangulation(mesh, region_sets, boundary_sets,
                                                 prm.discretization.refinements, mpi, imported);
    region_materials = RegionMaterials::build(prm, prm.mesh_model.regions);
    mesh_description = std::string(hex ? "hexahedra" : "tetrahedra") + ", file order " +
                       std::to_string(mesh.order) + ", " + (hex ? "Q" : "P") +
                       std::to_string(degree) + " elements";
    log << "Model: mesh " << prm.geometry.mesh_file << " (" << mesh.cells.size() << " "
        << mesh_description << ", " << mesh.vertices.size() << " corner nodes [mm]), "
        << triangulation->n_global_active_cells() << " cells after "
        << prm.discretization.refinements << " refinement(s)" << std::endl;
    if (mesh.max_midside_offset > 1e-6)
      log << "  Warning: midside nodes lie off the straight edges by up to "
          << 100 * mesh.max_midside_offset
          << " % of the edge length; bonefusion uses straight-sided elements" << std::endl;
    if (!mesh.ignored_keywords.empty())
      {
        log << "  Not used from the mesh file (materials, steps and loads come from the case):";
        for (const std::string &k : mesh.ignored_keywords)
          log << " " << k;
        log << std::endl;
      }
    for (unsigned int k = 0; k < imported.boundaries.size(); ++k)
      log << "  boundary " << std::setw(20) << std::left << imported.boundaries[k] << std::right
          << " " << imported.boundary_faces[k] << " faces, "
          << (k + 1 < imported.boundaries.size() ? "clamped" : "loaded") << std::endl;
  }

  void Simulator::solve_mesh_load_cases()
  {
    const auto &model = prm.mesh_model;
    const unsigned int n_supports = model.clamped_boundaries.size();
    const auto loaded = static_cast<dealii::types::boundary_id>(n_supports + 1);
    std::vector<dealii::types::boundary_id> supports;
    for (unsigned int k = 0; k < n_supports; ++k)
      supports.push_back(k + 1);

    const loads::PlaneSection section = system->surface_section(loaded);
    const auto [z_low, z_high] = z_range(*triangulation, loaded, mpi);
    const bool plane_z = z_high - z_low <= 1e-6 * std::sqrt(section.area);
    log << "Loaded surface " << model.loaded_boundary << ": area " << section.area
        << " mm^2, centroid (" << section.cx << ", " << section.cy << ", " << section.z << ") mm"
        << std::endl;
    if (model.has_section && cells_below_plane(*triangulation, model.section_height, mpi) == 0)
      throw std::runtime_error(
        "Mesh model/Section plane height = " + std::to_string(model.section_height) +
        " mm: no element faces lie in that plane; choose a height at "
        "which the mesh has a layer of element faces");
    io::VisualizationWriter writer(prm.output.directory);

    for (unsigned int k = 0; k < model.load_cases.size(); ++k)
      {
        const loads::SurfaceLoadCase &lc = model.load_cases[k];
        if (lc.moment.norm() > 0 && !plane_z)
          throw std::runtime_error("Mesh model/Load cases (" + lc.name +
                                   "): a moment is applied as a linear traction "
                                   "over a plane z = const, but surface '" +
                                   model.loaded_boundary + "' spans z = " + std::to_string(z_low) +
                                   " to " + std::to_string(z_high) +
                                   " mm; use force/pressure or a flat top surface");
        const loads::LinearTraction bending(section, dealii::Tensor<1, 3>(), lc.moment);
        const dealii::Tensor<1, 3> uniform = lc.force / section.area;
        const auto traction = [&](const dealii::Point<3> &p, const dealii::Tensor<1, 3> &n) {
          dealii::Tensor<1, 3> t = uniform - lc.pressure * n;
          if (lc.moment.norm() > 0)
            t += bending.value(p);
          return t;
        };
        const mechanics::Vector rhs = system->traction_rhs(loaded, traction, true);
        const mechanics::Vector external = system->traction_rhs(loaded, traction, false);
        mechanics::Vector u = system->make_ghosted_vector();
        // Every load case starts from closed layers, so results do not depend on case order.
        std::vector<unsigned char> open;
        const ContactSolve contact = solve_with_contact(region_material(), rhs, u, open, false);
        const mechanics::SolveReport &report = contact.report;
        solve_seconds += report.seconds;
        const mechanics::Vector internal = system->internal_forces(u);

        table.start_row(lc.name, 0.0);
        const dealii::Tensor<1, 3> applied = postprocess::resultant(*system, external);
        const char *axes[3] = {"x", "y", "z"};
        for (unsigned int d = 0; d < 3; ++d)
          table.add(std::string("applied_force_") + axes[d] + "_N", applied[d]);
        for (unsigned int d = 0; d < 3; ++d)
          table.add(std::string("applied_moment_") + axes[d] + "_Nmm", lc.moment[d]);
        table.add("applied_pressure_MPa", lc.pressure);
        const auto reactions =
          postprocess::support_reactions(*system, internal, external, supports);
        dealii::Tensor<1, 3> total = applied;
        for (unsigned int s = 0; s < n_supports; ++s)
          {
            total += reactions[s];
            for (unsigned int d = 0; d < 3; ++d)
              table.add("reaction_" + postprocess::column_name(model.clamped_boundaries[s]) +
                          "_force_" + axes[d] + "_N",
                        reactions[s][d]);
          }
        // Applied load plus support reactions vanish in equilibrium; a pure moment is scaled
        // to a force by the loaded surface's size.
        const double load_scale = applied.norm() + lc.moment.norm() / std::sqrt(section.area);
        const double equilibrium_error = total.norm() / std::max(load_scale, 1e-300);
        table.add("equilibrium_relative_error", equilibrium_error);
        const double u_max = postprocess::max_displacement(*system, u);
        table.add("max_displacement_mm", u_max);
        for (const auto &[name, value] :
             postprocess::region_von_mises(*system, u, imported.regions))
          table.add(name, value);
        if (model.has_section)
          {
            const dealii::Point<3> reference(section.cx, section.cy, model.section_height);
            const auto parts =
              postprocess::plane_resultants(*system, u, model.section_height, reference);
            for (unsigned int r = 0; r < imported.regions.size(); ++r)
              {
                const auto it = parts.find(r + 1);
                const postprocess::Resultant part =
                  it != parts.end() ? it->second : postprocess::Resultant();
                const std::string stem =
                  "section_" + postprocess::column_name(imported.regions[r]) + "_";
                for (unsigned int d = 0; d < 3; ++d)
                  table.add(stem + "force_" + axes[d] + "_N", part.force[d]);
                for (unsigned int d = 0; d < 3; ++d)
                  table.add(stem + "moment_" + axes[d] + "_Nmm", part.moment[d]);
              }
          }
        table.add("cg_iterations", report.iterations);
        table.add("solve_seconds", report.seconds);

        log << "Load case " << std::setw(16) << std::left << lc.name << std::right << ": "
            << std::setw(4) << report.iterations << " CG iterations, residual "
            << report.initial_residual << " -> " << report.final_residual << " N, "
            << report.seconds << " s; max |u| " << u_max << " mm, applied force (" << applied[0]
            << ", " << applied[1] << ", " << applied[2] << ") N, equilibrium error "
            << std::scientific << std::setprecision(1) << equilibrium_error << std::defaultfloat
            << std::setprecision(6) << std::endl;

        if (prm.output.nodal_values)
          postprocess::write_nodal_values(*system, u, internal, external,
                                          prm.output.directory + "/nodal_values_" + lc.name +
                                            ".csv");
        if (prm.output.visualization)
          writer.write(*system, u, {}, k, lc.name, k);
      }
  }
} // namespace bonefusion::core
