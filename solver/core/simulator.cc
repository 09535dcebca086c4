#include "core/simulator.h"

#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>
#include <deal.II/distributed/tria.h>

#include "geometry/voxel_mesh.h"
#include "io/visualization.h"
#include "loads/surface_traction.h"
#include "postprocess/body_motion.h"
#include "postprocess/field_statistics.h"
#include "postprocess/load_sharing.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>

namespace bonefusion::core
{
  using geometry::Region;
  using geometry::Surface;

  namespace
  {
    constexpr double degrees_per_radian = 180.0 / M_PI;

    bool is_body(const unsigned int id)
    {
      return id == static_cast<unsigned int>(Region::cortical) ||
             id == static_cast<unsigned int>(Region::cancellous) ||
             id == static_cast<unsigned int>(Region::endplate);
    }

    /** Parts reported in the load-sharing columns, each a set of regions. */
    const std::vector<std::pair<std::string, std::vector<Region>>> &load_sharing_parts()
    {
      static const std::vector<std::pair<std::string, std::vector<Region>>> parts = {
        {"disc", {Region::annulus, Region::nucleus}},
        {"cage", {Region::cage}},
        {"graft", {Region::graft}},
        {"rods_screws", {Region::rod, Region::screw}},
        {"posterior", {Region::posterior, Region::facet_cartilage}},
        {"posterolateral_graft", {Region::posterolateral_graft}},
        {"ligaments",
         {Region::anterior_ligament, Region::posterior_ligament, Region::ligamentum_flavum,
          Region::interspinous_ligament}},
      };
      return parts;
    }

    double peak_memory_mb()
    {
      dealii::Utilities::System::MemoryStats stats;
      dealii::Utilities::System::get_memory_stats(stats);
      return stats.VmHWM / 1024.0;
    }
  } // namespace

  Simulator::Simulator(const Parameters &parameters,
                       const dealii::ParameterHandler &expanded_parameters, MPI_Comm comm)
    : prm(parameters)
    , expanded(expanded_parameters)
    , mpi(comm)
    , log(comm)
  {
  }

  Simulator::~Simulator() = default;

  void Simulator::make_model()
  {
    dealii::Timer timer;
    if (prm.geometry.from_mesh_file)
      make_mesh_model();
    else
      make_segment_model();
    setup_seconds += timer.wall_time();
    for (unsigned int id = 1; id <= region_materials.n_regions(); ++id)
      {
        const auto &law = region_materials.law[id];
        log << "  region " << std::setw(22) << std::left << region_materials.region_name[id]
            << std::right << " " << std::setw(20) << region_materials.material_name[id]
            << "  E = " << std::setw(9) << law.youngs_modulus << " MPa, nu = " << law.poissons_ratio
            << (region_materials.b_bar[id] ? "  (B-bar)" : "") << std::endl;
      }
  }

  void Simulator::make_segment_model()
  {
    geometry = std::make_unique<geometry::SegmentGeometry>(prm.segment);
    geometry->set_resolution(prm.discretization.voxel_size);
    degree =
      prm.discretization.degree > 0 ? prm.discretization.degree : (prm.solver.matrix_free ? 2 : 1);
    auto voxels = std::make_unique<dealii::parallel::distributed::Triangulation<3>>(mpi);
    geometry::build_voxel_mesh(*geometry, prm.discretization.voxel_size, *voxels);
    if (prm.discretization.refinements > 0)
      voxels->refine_global(prm.discretization.refinements);
    triangulation = std::move(voxels);
    // Cross-section of each ligament band where it crosses the disc mid-plane, from the layer
    // of cells just below z = 0.
    std::vector<double> area(geometry::max_region_id + 1, 0.0);
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned() && cell->center()[2] < 0 &&
          cell->center()[2] > -cell->extent_in_direction(2))
        area[cell->material_id()] += cell->measure() / cell->extent_in_direction(2);
    dealii::Utilities::MPI::sum(area, mpi, area);
    std::map<Region, double> ligament_areas;
    for (const Region r : geometry::all_regions())
      if (geometry::is_ligament(r))
        ligament_areas[r] = area[static_cast<unsigned int>(r)];
    region_materials = RegionMaterials::build(prm, *geometry, ligament_areas);
    log << "Model: " << prm.segment.level << " (" << geometry->upper_name() << " over "
        << geometry->lower_name() << "), disc height " << geometry->disc_height() << " mm, "
        << "voxel " << prm.discretization.voxel_size << " mm, "
        << triangulation->n_global_active_cells() << " cells" << std::endl;
  }

  void Simulator::setup_system()
  {
    dealii::Timer timer;
    mechanics::MatrixFreeSettings matrix_free;
    matrix_free.chebyshev_degree = prm.solver.chebyshev_degree;
    system = std::make_unique<mechanics::ElasticSystem>(
      *triangulation, degree, prm.solver.matrix_free ? &matrix_free : nullptr);
    std::set<dealii::types::boundary_id> clamped;
    if (prm.geometry.from_mesh_file)
      for (unsigned int k = 0; k < prm.mesh_model.clamped_boundaries.size(); ++k)
        clamped.insert(k + 1);
    else
      clamped.insert(static_cast<dealii::types::boundary_id>(Surface::lower_support));
    system->setup(clamped);
    setup_seconds += timer.wall_time();
    log << "System: " << system->dofs().n_dofs() << " DoFs (" << (system->simplex() ? "P" : "Q")
        << degree << "), " << dealii::Utilities::MPI::n_mpi_processes(mpi) << " MPI rank(s)";
    if (system->matrix_free())
      log << ", matrix-free with a Q1 correction space of " << system->n_coarse_dofs() << " DoFs";
    log << std::endl;
  }

  ModelSize Simulator::dry_run()
  {
    make_model();
    setup_system();
    ModelSize size;
    size.cells = triangulation->n_global_active_cells();
    size.dofs = system->dofs().n_dofs();
    // Fitted to scripts/bench on the TLIF model (docs/benchmarks.md): about 250 MB of
    // libraries per rank plus 4.5 KB per DoF (Q1) or 5 KB per DoF (Q2) for mesh, matrix and
    // AMG hierarchy; matrix-free Q2 about 0.8 KB per DoF (vectors, Q1 matrix and its AMG).
    const double kb_per_dof = system->matrix_free() ? 0.8 : degree == 1 ? 4.5 : 5.0;
    size.estimated_memory_mb =
      250.0 * dealii::Utilities::MPI::n_mpi_processes(mpi) + size.dofs * kb_per_dof / 1024.0;
    log << "Dry run: " << size.cells << " cells, " << size.dofs << " DoFs, estimated memory "
        << std::fixed << std::setprecision(0) << size.estimated_memory_mb
        << " MB in total (all ranks)" << std::defaultfloat << std::endl;
    return size;
  }

  void Simulator::prepare_output_directory()
  {
    const std::string dir = prm.output.directory;
    resuming = prm.time.enabled && prm.time.resume &&
               dealii::Utilities::MPI::broadcast(
                 mpi, std::filesystem::exists(dir + "/checkpoint.bin") ? 1 : 0, 0) == 1;
    // Rank 0 touches the file system; every rank learns whether it worked, so that all
    // of them fail together instead of waiting for a rank that has thrown.
    // Cells per region, so that users see which regions this model actually contains.
    std::vector<double> cells_per_region(region_materials.n_regions() + 1, 0.0);
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        cells_per_region[cell->material_id()] += 1;
    dealii::Utilities::MPI::sum(cells_per_region, mpi, cells_per_region);
    std::string failure;
    if (dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
      try
        {
          std::filesystem::create_directories(dir);
          // Results of an earlier run must not be mistaken for this one's. A run over time
          // that resumes from a checkpoint keeps the ParaView files of the steps before it.
          for (const char *stale : {"statistics.csv", "summary.h5", "COMPLETED", "FAILED",
                                    "STOPPED", "follow_ups.csv", "healing.png"})
            std::filesystem::remove(dir + "/" + stale);
          if (!resuming)
            {
              std::filesystem::remove(dir + "/checkpoint.bin");
              for (const char *stale : {"solution.pvd", "solution.xdmf", "solution_steps.csv"})
                std::filesystem::remove(dir + "/" + stale);
              for (const auto &entry : std::filesystem::directory_iterator(dir))
                if (entry.path().filename().string().rfind("solution_", 0) == 0 ||
                    entry.path().filename().string().rfind("nodal_values_", 0) == 0)
                  std::filesystem::remove(entry.path());
            }
          std::ofstream out(dir + "/parameters.prm");
          expanded.print_parameters(out, dealii::ParameterHandler::PRM);
          std::ofstream regions(dir + "/regions.csv");
          regions << "region_id,region,material,youngs_modulus_MPa,poissons_ratio,cells\n";
          for (unsigned int id = 1; id <= region_materials.n_regions(); ++id)
            regions << id << ',' << region_materials.region_name[id] << ','
                    << region_materials.material_name[id] << ','
                    << region_materials.law[id].youngs_modulus << ','
                    << region_materials.law[id].poissons_ratio << ','
                    << static_cast<unsigned long>(cells_per_region[id]) << '\n';
          if (!out || !regions)
            failure = "cannot write files into '" + dir + "'";
        }
      catch (const std::exception &e)
        {
          failure = e.what();
        }
    failure = dealii::Utilities::MPI::broadcast(mpi, failure, 0);
    if (!failure.empty())
      throw std::runtime_error("Output/Directory = " + dir + ": " + failure);
    log.open_file(dir + "/log.txt", resuming);
  }

  void Simulator::run()
  {
    const std::string dir = prm.output.directory;
    try
      {
        log << "bonefusion: case " << (prm.case_file.empty() ? "(defaults)" : prm.case_file)
            << std::endl;
        make_model();
        prepare_output_directory();
        setup_system();
        identify_contact_layers();
        if (!prm.time.enabled)
          {
            std::vector<unsigned char> closed(triangulation->n_active_cells(), 0);
            assemble_for_contact_state(region_material(), closed);
            log << "Assembled stiffness in " << assembly_seconds << " s" << std::endl;
            log << "AMG preconditioner (6 rigid-body modes) in " << preconditioner_seconds << " s"
                << std::endl;
          }
        if (prm.time.enabled)
          {
            run_over_time();
            if (interrupted)
              {
                // Not a result: the tables are in the checkpoint until the run completes.
                if (dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
                  std::ofstream(dir + "/STOPPED")
                    << "stopped for a restart; run the same command again to continue\n";
                return;
              }
            write_follow_ups();
          }
        else if (prm.geometry.from_mesh_file)
          solve_mesh_load_cases();
        else
          solve_segment_load_cases();
        write_summary();
        if (prm.time.enabled && dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
          std::filesystem::remove(dir + "/checkpoint.bin");
      }
    catch (const std::exception &e)
      {
        if (dealii::Utilities::MPI::this_mpi_process(mpi) == 0 && std::filesystem::exists(dir))
          std::ofstream(dir + "/FAILED") << e.what() << '\n';
        throw;
      }
  }

  mechanics::CellElasticity Simulator::region_elasticity(const mechanics::CellIterator &cell,
                                                         const unsigned int region_id) const
  {
    mechanics::CellElasticity c = region_materials.elasticity(region_id);
    if (prm.annulus_fibres.present && geometry &&
        region_id == static_cast<unsigned int>(Region::annulus))
      {
        const dealii::Point<3> p = cell->center();
        double a, b;
        geometry->disc_semi_axes(p[2], a, b);
        const auto directions =
          prm.annulus_fibres.directions(p, a, b, geometry->outline_exponent());
        for (unsigned int f = 0; f < 2; ++f)
          {
            c.fibres[f].projector =
              dealii::symmetrize(dealii::outer_product(directions[f], directions[f]));
            c.fibres[f].stiffness = prm.annulus_fibres.stiffness_per_family();
          }
      }
    return c;
  }

  void Simulator::solve_segment_load_cases()
  {
    const auto surface = static_cast<dealii::types::boundary_id>(Surface::upper_loaded);
    const loads::PlaneSection section = system->surface_section(surface);
    log << "Loaded surface: area " << section.area << " mm^2, centroid (" << section.cx << ", "
        << section.cy << ", " << section.z << ") mm" << std::endl;
    const double length_scale = std::sqrt(section.area);
    const dealii::Point<3> plane_reference(section.cx, section.cy, 0.0);
    io::VisualizationWriter writer(prm.output.directory);

    const std::vector<loads::LoadCase> cases = prm.loads.load_cases();
    for (unsigned int k = 0; k < cases.size(); ++k)
      {
        const loads::LoadCase &lc = cases[k];
        const loads::LinearTraction traction(section, lc.force, lc.moment);
        const mechanics::Vector rhs = system->traction_rhs(
          surface, [&](const dealii::Point<3> &p) { return traction.value(p); });
        mechanics::Vector u = system->make_ghosted_vector();
        // Every load case starts from closed layers, so results do not depend on case order.
        std::vector<unsigned char> open;
        const ContactSolve contact = solve_with_contact(region_material(), rhs, u, open, false);
        const mechanics::SolveReport &report = contact.report;
        solve_seconds += report.seconds;
        log << "Load case " << std::setw(22) << std::left << lc.name << std::right << ": "
            << std::setw(4) << report.iterations << " CG iterations, residual "
            << report.initial_residual << " -> " << report.final_residual << " N, "
            << report.seconds << " s";
        if (contact.iterations > 0)
          {
            log << ", " << contact.iterations << " contact iteration(s)";
            if (prm.facets.compression_only)
              log << ", " << contact.open_facet_cells << " open facet cells";
            if (prm.cage_interface.sliding)
              log << ", " << contact.open_cage_cells << " open cage interface cells";
            if (prm.ligaments.tension_only)
              log << ", " << contact.slack_ligament_cells << " slack ligament cells";
            if (contact.cycled)
              log << ", the active set cycled (cells could only open after the repeat)";
          }
        log << std::endl;

        table.start_row(lc.name, 0.0);
        // Rotation of the upper body relative to the lower one.
        const auto upper = postprocess::fit_rigid_motion(
          *system, u,
          [](const mechanics::CellIterator &c) {
            return is_body(c->material_id()) && c->center()[2] > 0;
          },
          plane_reference);
        const auto lower = postprocess::fit_rigid_motion(
          *system, u,
          [](const mechanics::CellIterator &c) {
            return is_body(c->material_id()) && c->center()[2] < 0;
          },
          plane_reference);
        const dealii::Tensor<1, 3> rotation =
          degrees_per_radian * (upper.rotation - lower.rotation);
        table.add("rotation_x_deg", rotation[0]);
        table.add("rotation_y_deg", rotation[1]);
        table.add("rotation_z_deg", rotation[2]);
        table.add("primary_rotation_deg",
                  lc.primary_axis.norm() > 0 ? rotation * lc.primary_axis : std::nan(""));
        const dealii::Tensor<1, 3> shift = upper.translation - lower.translation;
        table.add("axial_displacement_mm", shift[2]);
        table.add("applied_force_z_N", lc.force[2]);
        table.add("applied_moment_x_Nmm", lc.moment[0]);
        table.add("applied_moment_y_Nmm", lc.moment[1]);
        table.add("applied_moment_z_Nmm", lc.moment[2]);

        // Load sharing through the disc mid-plane.
        const auto resultants = postprocess::plane_resultants(*system, u, 0.0, plane_reference);
        postprocess::Resultant total;
        for (const auto &[part, regions] : load_sharing_parts())
          {
            postprocess::Resultant r;
            for (const Region region : regions)
              {
                const auto it = resultants.find(static_cast<unsigned int>(region));
                if (it != resultants.end())
                  {
                    r.force += it->second.force;
                    r.moment += it->second.moment;
                  }
              }
            total.force += r.force;
            total.moment += r.moment;
            table.add("share_" + part + "_force_z_N", r.force[2]);
            table.add("share_" + part + "_moment_x_Nmm", r.moment[0]);
            table.add("share_" + part + "_moment_y_Nmm", r.moment[1]);
            table.add("share_" + part + "_moment_z_Nmm", r.moment[2]);
            // Fraction of the primary load: moment about the load axis, or axial force.
            const double fraction = lc.primary_axis.norm() > 0 ?
                                      (r.moment * lc.primary_axis) / (lc.moment * lc.primary_axis) :
                                      r.force[2] / lc.force[2];
            table.add("share_" + part + "_fraction", fraction);
          }
        const double error =
          ((total.force - lc.force).norm() * length_scale + (total.moment - lc.moment).norm()) /
          (lc.force.norm() * length_scale + lc.moment.norm());
        table.add("load_sharing_relative_error", error);

        for (const auto &[name, value] : postprocess::field_statistics(*system, u))
          table.add(name, value);
        table.add("facet_open_cells", contact.open_facet_cells);
        table.add("cage_interface_open_cells", contact.open_cage_cells);
        table.add("contact_iterations", contact.iterations);
        table.add("cg_iterations", report.iterations);
        table.add("solve_seconds", report.seconds);

        log << "    rotation (x, y, z) = (" << std::fixed << std::setprecision(3) << rotation[0]
            << ", " << rotation[1] << ", " << rotation[2] << ") deg; load-sharing sum error "
            << std::scientific << std::setprecision(1) << error << std::defaultfloat
            << std::setprecision(6) << std::endl;

        if (prm.output.visualization)
          writer.write(*system, u, {}, k, lc.name, k);
      }
  }

  void Simulator::write_summary()
  {
    const std::string dir = prm.output.directory;
    const double memory = dealii::Utilities::MPI::max(peak_memory_mb(), mpi);
    if (dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
      {
        table.write_csv(dir + "/statistics.csv");
        std::map<std::string, std::string> metadata = {
          {"case_file", prm.case_file},
          {"dofs", std::to_string(system->dofs().n_dofs())},
          {"cells", std::to_string(triangulation->n_global_active_cells())},
          {"mpi_ranks", std::to_string(dealii::Utilities::MPI::n_mpi_processes(mpi))},
          {"units", "mm, N, MPa, N mm, degrees, days"}};
        if (prm.time.enabled)
          {
            metadata["time_to_fusion_days"] =
              std::isfinite(time_to_fusion) ? std::to_string(time_to_fusion) : "not reached";
            metadata["remodeling_law"] = prm.remodeling->name();
            metadata["differentiation_law"] = prm.differentiation->name();
          }
        if (prm.geometry.from_mesh_file)
          {
            metadata["mesh_file"] = prm.geometry.mesh_file;
            metadata["mesh"] = mesh_description;
          }
        else
          {
            metadata["level"] = prm.segment.level;
            metadata["cage"] = prm.segment.cage.type;
            metadata["rod_material"] =
              prm.segment.rods.present ? prm.segment.rods.material : "none";
            metadata["screw_material"] =
              prm.segment.screws.present ? prm.segment.screws.material : "none";
            metadata["bone_quality"] = prm.materials.bone_quality();
          }
        table.write_hdf5(dir + "/summary.h5", metadata);
        std::ofstream(dir + "/COMPLETED") << "ok\n";
      }
    log << "\nTiming (wall, s): setup " << setup_seconds << ", assembly " << assembly_seconds
        << ", AMG set-up " << preconditioner_seconds << ", solves " << solve_seconds
        << "; peak memory per rank " << memory << " MB" << std::endl;
    if (prm.time.enabled && dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
      {
        // The time series as a picture (matplotlib); a missing Python is not an error.
        const std::string script =
          std::string(BONEFUSION_SOURCE_DIR) + "/postprocess/plot_healing.py";
        // Debian's interpreter has python3-matplotlib; a python3 earlier in PATH (pyenv, venv)
        // may not.
        const std::string python =
          std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        const std::string command =
          python + " '" + script + "' '" + dir + "' > '" + dir + "/healing_plot.log' 2>&1";
        if (std::filesystem::exists(script) && std::system(command.c_str()) == 0)
          log << "Plot of the time series: " << dir << "/healing.png" << std::endl;
        else
          log << "No healing.png (see " << dir << "/healing_plot.log)" << std::endl;
      }
    log << "Results in " << std::filesystem::absolute(dir).string() << ":\n"
        << "  statistics.csv, summary.h5, log.txt, parameters.prm, regions.csv"
        << (prm.output.nodal_values ? ", nodal_values_<load case>.csv" : "") << "\n";
    if (prm.output.visualization)
      log << "  ParaView: paraview " << dir << "/solution.pvd   (or " << dir
          << "/solution.xdmf); one time step per "
          << (prm.time.enabled ? "follow-up visit" : "load case")
          << ", listed in solution_steps.csv" << std::endl;
  }
} // namespace bonefusion::core
