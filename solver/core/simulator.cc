#include "core/simulator.h"

#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>

#include "postprocess/field_statistics.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>

namespace bonefusion::core
{
  namespace
  {
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
          }
        else
          solve_load_cases();
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

  std::vector<loads::AppliedLoad> Simulator::load_cases(const loads::PlaneSection &section) const
  {
    std::vector<loads::AppliedLoad> result;
    if (prm.geometry.from_mesh_file)
      {
        // A moment is a linear traction over a plane z = const: the surface's extent in z.
        double lo = std::numeric_limits<double>::max(), hi = -lo;
        for (const auto &cell : triangulation->active_cell_iterators())
          if (cell->is_locally_owned())
            for (const unsigned int f : cell->face_indices())
              if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == loaded_boundary)
                for (const unsigned int v : cell->face(f)->vertex_indices())
                  {
                    lo = std::min(lo, cell->face(f)->vertex(v)[2]);
                    hi = std::max(hi, cell->face(f)->vertex(v)[2]);
                  }
        const std::pair<double, double> range(dealii::Utilities::MPI::min(lo, mpi),
                                              dealii::Utilities::MPI::max(hi, mpi));
        for (const loads::SurfaceLoadCase &lc : prm.mesh_model.load_cases)
          result.push_back(loads::applied(lc, section, prm.mesh_model.loaded_boundary, range));
      }
    else
      {
        const bool through_bodies = prm.loads.follower_through_bodies(model.segments.size()) &&
                                    prm.loads.follower_preload > 0;
        std::vector<loads::VertebraForce> follower;
        if (through_bodies)
          follower = loads::follower_path_forces(follower_guides(), prm.loads.follower_preload);
        // Load cases are given in the top vertebra's anatomical frame (flexion about its
        // lateral axis), whatever way the model is turned.
        const model::Frame &top = model.bodies.at(model.loaded_body).frame;
        for (loads::LoadCase lc : prm.loads.load_cases(!through_bodies))
          {
            lc.force = top.vector_to_global(lc.force);
            lc.moment = top.vector_to_global(lc.moment);
            lc.primary_axis = top.vector_to_global(lc.primary_axis);
            result.push_back(loads::applied(lc, section));
            if (lc.primary_axis.norm() > 0) // the preload goes with the moment cases
              result.back().vertebra_forces = follower;
          }
      }
    return result;
  }

  postprocess::Context Simulator::postprocess_context(const loads::PlaneSection &section)
  {
    postprocess::Context context(model, *system, section);
    context.loaded_boundary = loaded_boundary;
    context.supports = supports;
    context.support_names = support_names;
    context.output_directory = prm.output.directory;
    context.has_section = prm.mesh_model.has_section;
    context.section_height = prm.mesh_model.section_height;
    context.range_of_motion_moment = prm.loads.moment * 1000.0;
    context.bone_fraction_bridged = prm.time.bone_fraction_bridged;
    context.fusion_bridging_threshold = prm.time.fusion_bridging_threshold;
    context.log = &log;
    context.finite_strain = prm.mechanics.finite_strain;
    return context;
  }

  io::VisualizationWriter::CellFields Simulator::model_cell_fields() const
  {
    std::vector<float> tissue(triangulation->n_active_cells(), 0.0f);
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        tissue[cell->active_cell_index()] =
          static_cast<float>(model.regions[cell->material_id()].tissue);
    return {{"tissue", tissue}};
  }

  const mechanics::Vector &Simulator::finite_strain_rest_state()
  {
    const mechanics::Vector &rest = newton->rest_state(prm.mechanics.newton);
    // Logged the first time (a run over time recomputes it daily, from the previous one).
    if (newton->swells() && !rest_state_logged)
      {
        rest_state_logged = true;
        const mechanics::NewtonReport &r = newton->rest_report();
        log << "Nucleus swelling (volume strain " << prm.nucleus_swelling.volume_strain
            << "): rest state in " << r.newton_iterations << " Newton iteration(s), "
            << r.increments << " increment(s), " << r.seconds << " s; nucleus pressure at rest [MPa]:";
        bool any = false;
        for (const auto &[name, value] : postprocess::field_statistics(model, *system, rest, true))
          if (name.find("nucleus_mean_pressure_MPa") != std::string::npos && std::isfinite(value))
            {
              log << " " << name << " " << std::setprecision(3) << value;
              any = true;
            }
        // A nucleus replaced by a cage swells before surgery as the nucleus it stands for,
        // but has no nucleus region to report.
        log << (any ? "" : " (no nucleus region to report)") << std::setprecision(6) << std::endl;
      }
    return rest;
  }

  mechanics::ContactSolve Simulator::solve_finite_strain(
    const mechanics::Vector &rhs, mechanics::Vector &u, const std::string &name,
    const mechanics::IncrementObserver &observer, const mechanics::Vector *start_from,
    const bool log_residuals, const mechanics::Vector *start_load)
  {
    const mechanics::NewtonSettings &settings = prm.mechanics.newton;
    mechanics::NewtonReport r;
    try
      {
        finite_strain_rest_state();
        r = newton->solve(rhs, u, settings, observer, start_from, start_load);
      }
    catch (const mechanics::SolveInterrupted &)
      {
        throw; // a stop request: the run over time checkpoints
      }
    catch (const std::runtime_error &e)
      {
        throw std::runtime_error(std::string(e.what()) +
                                 " (settings: 'Mechanics/Load increments', 'Mechanics/"
                                 "Maximum cut-backs', 'Mechanics/Newton iterations')");
      }
    if (log_residuals)
      {
        // The residual history shows how the contact states settled (a jump when joints
        // close or bands tighten) and the quadratic end.
        log << "Newton residuals of " << name << " [N] (load fraction when < 1):";
        for (const mechanics::NewtonIteration &it : r.iterations)
          log << (it.load_fraction < 1 ? " (" + std::to_string(it.load_fraction) + ")" : "")
              << " " << std::setprecision(3) << it.residual;
        log << std::setprecision(6) << std::endl;
      }
    mechanics::ContactSolve solve;
    solve.finite_strain = true;
    solve.report.iterations = r.cg_iterations;
    solve.report.initial_residual = rhs.l2_norm();
    solve.report.final_residual = r.final_residual;
    solve.report.seconds = r.seconds;
    solve.newton_iterations = r.newton_iterations;
    solve.iterations = r.joint_state_updates;
    solve.load_increments = r.increments;
    solve.cutbacks = r.cutbacks;
    solve.warm_started = r.warm_started;
    solve.continued = r.continued;
    if (newton->swells())
      solve.rest_state = &newton->rest_state();
    // The states the answer leaves the joints, bands and cage interface in (the cells
    // switched inside their energy): the same columns as the active set's.
    solver->count_layer_states(u, solve);
    return solve;
  }

  void Simulator::solve_load_cases()
  {
    const loads::PlaneSection section = system->surface_section(loaded_boundary);
    log << "Loaded surface"
        << (prm.geometry.from_mesh_file ? " " + prm.mesh_model.loaded_boundary : std::string())
        << ": area " << section.area << " mm^2, centroid (" << section.cx << ", " << section.cy
        << ", " << section.z << ") mm" << std::endl;
    const std::vector<loads::AppliedLoad> loads = load_cases(section);
    for (const loads::AppliedLoad &load : loads)
      if (!load.vertebra_forces.empty())
        {
          log << "Follower preload " << prm.loads.follower_preload
              << " N through the vertebral bodies (with the moment cases), force on each "
                 "vertebra [N]:";
          for (const loads::VertebraForce &f : load.vertebra_forces)
            log << " " << model.bodies.at(f.body).name << " (" << std::fixed
                << std::setprecision(1) << f.force[0] << ", " << f.force[1] << ", " << f.force[2]
                << ")";
          log << std::defaultfloat << std::setprecision(6) << std::endl;
          break;
        }
    const postprocess::Context context = postprocess_context(section);
    std::vector<std::string> names =
      postprocess::default_postprocessors(prm.geometry.from_mesh_file, false);
    if (prm.geometry.from_mesh_file)
      {
        if (prm.output.nodal_values)
          names.front() = "mesh reactions and nodal values";
        if (!prm.mesh_model.has_section)
          names.erase(std::find(names.begin(), names.end(), "section resultants"));
      }
    postprocessors.clear();
    for (const std::string &name : names)
      postprocessors.push_back(postprocess::create_postprocessor(name, context));

    // One stiffness, many load cases: assembled (and the AMG built) once with the layers
    // closed; each load case starts from closed layers, so results do not depend on order.
    solver->assemble(cell_materials->function(),
                     std::vector<unsigned char>(triangulation->n_active_cells(), 0));
    log << "Assembled stiffness in " << solver->assembly_seconds << " s" << std::endl;
    log << "AMG preconditioner (6 rigid-body modes) in " << solver->preconditioner_seconds << " s"
        << std::endl;

    // Finite strain: Newton on the same DoFs and materials (no contact layers, checked when
    // the parameters were read).
    if (prm.mechanics.finite_strain)
      newton = std::make_unique<mechanics::FiniteStrainSolver>(*system);
    // Its load-deformation curves: every segment's motion at each converged increment, the
    // load scaled by the increment's fraction (a proportional load path from rest).
    std::unique_ptr<postprocess::Postprocessor> curve_motion;
    if (newton && !model.segments.empty())
      curve_motion = postprocess::create_postprocessor("segment motion", context);

    io::VisualizationWriter writer(prm.output.directory, prm.mechanics.finite_strain);
    const auto fields = model_cell_fields();
    const auto &facets = prm.contact;
    for (unsigned int k = 0; k < loads.size(); ++k)
      {
        const loads::AppliedLoad &load = loads[k];
        const mechanics::Vector rhs = load_vector(load, true);
        mechanics::Vector u = system->make_ghosted_vector();
        std::vector<unsigned char> open;
        mechanics::ContactSolve solve;
        const mechanics::IncrementObserver add_curve_point = [&](const double fraction,
                                                                 const mechanics::Vector &at) {
          loads::AppliedLoad scaled = load;
          scaled.force *= fraction;
          scaled.moment *= fraction;
          curves.start_row(load.name, 0.0);
          curves.add("load_fraction", fraction);
          curve_motion->evaluate(postprocess::SolvedLoad{scaled, at, solve}, curves);
          // The hyperelastic nucleus pressure along the curve (pressure against moment).
          for (const auto &[name, value] : postprocess::field_statistics(model, *system, at, true))
            if (name.find("nucleus_mean_pressure_MPa") != std::string::npos)
              curves.add(name, value);
        };
        try
          {
            if (newton)
              {
                // The unloaded start of the curve: the rest state (swollen, or u = 0).
                if (curve_motion)
                  {
                    solve.rest_state = newton->swells() ? &finite_strain_rest_state() : nullptr;
                    add_curve_point(0.0, finite_strain_rest_state());
                  }
                solve = solve_finite_strain(rhs, u, load.name,
                                            curve_motion ? add_curve_point
                                                         : mechanics::IncrementObserver(),
                                            nullptr, true);
              }
            else
              solve = solver->solve(cell_materials->function(), rhs, u, open, false);
          }
        catch (const mechanics::SolveInterrupted &)
          {
            throw;
          }
        catch (const std::runtime_error &e)
          {
            throw std::runtime_error("load case '" + load.name + "': " + e.what());
          }
        const mechanics::SolveReport &report = solve.report;
        solve_seconds += report.seconds;
        log << "Load case " << std::setw(22) << std::left << load.name << std::right << ": "
            << std::setw(4) << report.iterations << " CG iterations, residual "
            << report.initial_residual << " -> " << report.final_residual << " N, "
            << report.seconds << " s";
        if (solve.finite_strain)
          log << ", " << solve.newton_iterations << " Newton iteration(s) in "
              << solve.load_increments << " load increment(s)"
              << (solve.cutbacks > 0 ? ", " + std::to_string(solve.cutbacks) + " halved" : "");
        if (solve.iterations > 0 || solve.finite_strain)
          {
            if (!solve.finite_strain || solve.iterations > 0)
              log << ", " << solve.iterations << " contact iteration(s)";
            if (facets.facets.compression_only)
              log << ", " << solve.open_facet_cells << " open facet cells";
            if (facets.cage_interface.sliding)
              log << ", " << solve.open_cage_cells << " open cage interface cells";
            if (facets.ligaments.tension_only)
              log << ", " << solve.slack_ligament_cells << " slack ligament cells";
            if (solve.cycled)
              log << ", the active set cycled (cells could only open after the repeat)";
          }
        log << std::endl;

        table.start_row(load.name, 0.0);
        for (const auto &p : postprocessors)
          p->evaluate(postprocess::SolvedLoad{load, u, solve}, table);
        // Each level's motion in its own frame (one line per motion segment).
        for (unsigned int s = 0; s < model.segments.size(); ++s)
          {
            const unsigned int row = table.n_rows() - 1;
            const auto value = [&](const std::string &c) {
              return table.value(row, model.segment_column(s, c));
            };
            log << "    " << (model.segments.size() > 1 ? model.segments[s].name + " " : "")
                << "rotation (x, y, z) = (" << std::fixed << std::setprecision(3)
                << value("rotation_x_deg") << ", " << value("rotation_y_deg") << ", "
                << value("rotation_z_deg") << ") deg; load-sharing sum error " << std::scientific
                << std::setprecision(1) << value("load_sharing_relative_error") << std::defaultfloat
                << std::setprecision(6) << std::endl;
          }
        if (prm.output.visualization)
          {
            auto all_fields = fields;
            for (const auto &p : postprocessors)
              p->add_cell_fields(all_fields);
            writer.write(*system, u, all_fields, k, load.name, k);
          }
      }
    for (const auto &p : postprocessors)
      p->finish(table, summary_metadata);
    postprocessors.clear();
  }

  void Simulator::write_summary()
  {
    const std::string dir = prm.output.directory;
    const double memory = dealii::Utilities::MPI::max(peak_memory_mb(), mpi);
    if (dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
      {
        table.write_csv(dir + "/statistics.csv");
        std::map<std::string, std::string> metadata = summary_metadata;
        metadata["case_file"] = prm.case_file;
        metadata["dofs"] = std::to_string(system->dofs().n_dofs());
        metadata["cells"] = std::to_string(triangulation->n_global_active_cells());
        metadata["mpi_ranks"] = std::to_string(dealii::Utilities::MPI::n_mpi_processes(mpi));
        metadata["units"] = "mm, N, MPa, N mm, degrees, days";
        if (prm.time.enabled)
          {
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
            metadata["level"] =
              prm.anatomy.levels.empty() ? prm.anatomy.level : prm.anatomy.levels;
            metadata["cage"] = prm.instrumentation.cage.type;
            metadata["rod_material"] =
              prm.instrumentation.rods.present ? prm.instrumentation.rods.material : "none";
            metadata["screw_material"] =
              prm.instrumentation.screws.present ? prm.instrumentation.screws.material : "none";
            metadata["bone_quality"] = prm.materials.bone_quality();
            metadata["construct"] = model_description.empty() ? "none" : model_description;
          }
        table.write_hdf5(dir + "/summary.h5", metadata);
        if (curves.n_rows() > 0)
          {
            curves.write_csv(dir + "/moment_rotation.csv");
            curves.write_hdf5(dir + "/moment_rotation.h5", metadata);
          }
        std::ofstream(dir + "/COMPLETED") << "ok\n";
      }
    log << "\nTiming (wall, s): setup " << setup_seconds << ", assembly "
        << solver->assembly_seconds << ", AMG set-up " << solver->preconditioner_seconds
        << ", solves " << solve_seconds << "; peak memory per rank " << memory << " MB"
        << std::endl;
    log << "Results in " << std::filesystem::absolute(dir).string() << ":\n"
        << "  statistics.csv, summary.h5, log.txt, parameters.prm, regions.csv"
        << (prm.output.nodal_values ? ", nodal_values_<load case>.csv" : "")
        << (prm.time.enabled ? ", follow_ups.csv" : "")
        << (curves.n_rows() > 0 ? ", moment_rotation.csv (.h5; one row per load increment)" : "")
        << "\n";
    if (prm.output.visualization)
      log << "  ParaView: paraview " << dir << "/solution.pvd   (or " << dir
          << "/solution.xdmf); one time step per "
          << (prm.time.enabled ? "follow-up visit" : "load case")
          << ", listed in solution_steps.csv" << std::endl;
    if (prm.time.enabled)
      log << "  Plot of the time series: python3 " << BONEFUSION_SOURCE_DIR
          << "/postprocess/plot_healing.py " << dir << "   (writes " << dir << "/healing.png)"
          << std::endl;
  }
} // namespace bonefusion::core
