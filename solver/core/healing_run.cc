// The Simulator's march through the months after surgery (Time/Simulate healing over time):
// each step gives every cell its material from the state (bone density, graft tissue),
// solves the day's activities, lets the postprocessors report, and lets the adaptation laws
// update the state. The state lives in named per-cell fields that are written to ParaView and
// to checkpoints, and a run resumes from them on any number of MPI ranks.
#include <deal.II/base/timer.h>

#include "adaptation/bone_remodeling.h"
#include "adaptation/graft_tissue.h"
#include "adaptation/stimulus_filter.h"
#include "core/simulator.h"
#include "io/checkpoint.h"
#include "state/cell_state.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <limits>
#include <iomanip>
#include <sstream>

namespace bonefusion::core
{
  namespace
  {
    /** Set by SIGTERM / SIGUSR1 (SLURM's warning before the time limit) / SIGINT (Ctrl-C). */
    volatile std::sig_atomic_t stop_signal = 0;
    extern "C" void request_stop(int signal)
    {
      stop_signal = signal;
    }
  } // namespace

  mechanics::ContactSolve Simulator::solve_warm(const loads::AppliedLoad &load)
  {
    const mechanics::Vector rhs = load_vector(load, true);
    auto &u = previous_solutions[load.name];
    const bool warm = u.size() == system->dofs().n_dofs();
    if (!warm)
      u = system->make_ghosted_vector();
    if (!prm.mechanics.finite_strain)
      {
        const mechanics::ContactSolve solve =
          solver->solve(cell_materials->function(), rhs, u, open_cells_of[load.name], warm);
        solve_seconds += solve.report.seconds;
        return solve;
      }
    // Finite strain: Newton reads the materials live (today's graft and bone moduli), so
    // one assembly before the first solve gives it the sparsity and the material function.
    if (!newton)
      {
        solver->assemble(cell_materials->function(),
                         std::vector<unsigned char>(triangulation->n_active_cells(), 0));
        newton = std::make_unique<mechanics::FiniteStrainSolver>(*system);
      }
    // Newton starts from this load's previous solution or, for its first solve, from the
    // solution of the nearest load solved so far (the smallest change of the load vector),
    // continuing the load from that one: a better start than rest, nothing more, as the
    // hyperelastic answer does not depend on the path.
    const mechanics::Vector *start = warm ? &u : nullptr, *start_load = nullptr;
    // The same activity's load changes at a recovery phase's end: continue it from the old.
    if (warm && previous_loads.count(load.name))
      start_load = &previous_loads.at(load.name);
    if (!start)
      {
        double nearest = std::numeric_limits<double>::infinity();
        for (const auto &[name, f] : previous_loads)
          if (name != load.name && previous_solutions.count(name))
            {
              mechanics::Vector change = rhs;
              change -= f;
              const double distance = change.l2_norm();
              if (distance < nearest)
                {
                  nearest = distance;
                  start = &previous_solutions.at(name);
                  start_load = &f;
                }
            }
      }
    mechanics::ContactSolve solve;
    try
      {
        solve = solve_finite_strain(rhs, u, load.name, mechanics::IncrementObserver(), start,
                                    false, start_load);
      }
    catch (const mechanics::SolveInterrupted &)
      {
        throw;
      }
    catch (const std::runtime_error &e)
      {
        throw std::runtime_error("load '" + load.name + "': " + e.what());
      }
    previous_loads[load.name] = rhs;
    solve_seconds += solve.report.seconds;
    return solve;
  }

  void Simulator::run_over_time()
  {
    const TimeParameters &time = prm.time;
    const std::string dir = prm.output.directory;
    if (prm.geometry.from_mesh_file)
      throw std::runtime_error("Time/Simulate healing over time: implemented for the parametric "
                               "segment; imported meshes have no graft/bone regions yet");
    stop_signal = 0;
    std::signal(SIGTERM, request_stop);
    std::signal(SIGUSR1, request_stop);
    std::signal(SIGINT, request_stop);

    const loads::PlaneSection section = system->surface_section(loaded_boundary);
    adaptation::StimulusFilter filter(*triangulation, prm.remodeling_settings.nonlocal_length);
    io::VisualizationWriter writer(dir, prm.mechanics.finite_strain);

    // The adaptation state and the postprocessors that report it.
    state::CellState state;
    adaptation::BoneRemodeling bone(model, *triangulation, *prm.remodeling, prm.remodeling_settings,
                                    prm.materials.cancellous_density(),
                                    prm.materials.get("cancellous bone").poissons_ratio, state,
                                    mpi);
    adaptation::GraftTissue grafts(model, *triangulation, *prm.healing, *prm.differentiation,
                                   prm.graft_settings, state);
    postprocess::Context context = postprocess_context(section);
    context.grafts = &grafts;
    context.bone = &bone;
    postprocessors.clear();
    for (const std::string &name : postprocess::default_postprocessors(false, true))
      postprocessors.push_back(postprocess::create_postprocessor(name, context));

    // The responses of a day: per activity its solution, per-cell mechanics and statistics.
    const auto solve_activities = [&](const std::vector<loads::Activity> &activities,
                                      const bool collect_statistics) {
      std::vector<postprocess::ActivityResult> responses;
      for (const loads::Activity &a : activities)
        {
          // Activities are given in the top vertebra's frame (a mesh model has none).
          const model::Frame top = model.loaded_body == model::no_index ?
                                     model::Frame() :
                                     model.bodies.at(model.loaded_body).frame;
          const loads::AppliedLoad load = loads::resultant_load(
            a.name, section, top.vector_to_global(a.force), top.vector_to_global(a.moment));
          // The previous step's answer and active set of the same activity are the start.
          const mechanics::ContactSolve solve = solve_warm(load);
          // The reference day has no step line of its own and can take a while (each
          // activity's first solve starts from rest): one line per activity.
          if (!collect_statistics)
            {
              log << "  pre-operative " << a.name << ": " << solve.report.seconds << " s, "
                  << solve.report.iterations << " CG iterations";
              if (solve.finite_strain)
                log << ", " << solve.newton_iterations << " Newton iteration(s) in "
                    << solve.load_increments << " increment(s)"
                    << (solve.continued ? " (continued from the nearest activity solved)" : "")
                    << (solve.cutbacks > 0 ? ", " + std::to_string(solve.cutbacks) + " halved" : "");
              else if (solve.iterations > 0)
                log << ", " << solve.iterations << " contact iteration(s)";
              log << std::endl;
            }
          postprocess::ActivityResult r;
          r.load = load;
          r.solution = &previous_solutions[a.name];
          r.cg_iterations = solve.report.iterations;
          r.contact_iterations = solve.iterations;
          r.newton_iterations = solve.newton_iterations;
          postprocess::cell_mechanics(
            *system, *r.solution,
            [&](const mechanics::CellIterator &c) {
              return bone.remodels(c->active_cell_index()) ||
                     grafts.is_graft(c->active_cell_index());
            },
            r.cells, prm.mechanics.finite_strain);
          if (collect_statistics)
            r.fields = postprocess::field_statistics(model, *system, *r.solution);
          responses.push_back(std::move(r));
        }
      return responses;
    };
    const auto day_of = [&](const std::vector<loads::Activity> &activities,
                            const std::vector<postprocess::ActivityResult> &responses) {
      adaptation::DayOfLoads day;
      for (unsigned int a = 0; a < responses.size(); ++a)
        {
          day.cells.push_back(&responses[a].cells);
          day.cycles_per_day.push_back(activities[a].cycles_per_day);
        }
      return day;
    };

    double t = 0, dt = time.time_step;
    unsigned int step = 0, writer_steps = 0;
    // The model and everything that changes the state's meaning; not output or checkpoint
    // settings, nor the end time (a run may be extended).
    std::ostringstream signature_text;
    signature_text << triangulation->n_global_active_cells() << ' ' << system->dofs().n_dofs()
                   << ' ' << prm.remodeling->name() << ' ' << prm.differentiation->name() << ' '
                   << prm.materials.cancellous_density() << ' '
                   << prm.remodeling_settings.nonlocal_length << ' '
                   << adaptation::graft_type_name(prm.graft_settings.graft_type) << ' '
                   << prm.graft_settings.junction.gap_width();
    // The formulation changes the answers (a linear run's checkpoint does not continue as a
    // finite-strain run); the linear signature stays as it was, so old checkpoints resume.
    if (prm.mechanics.finite_strain)
      signature_text << " finite strain";
    const std::string signature = signature_text.str();
    // A checkpoint of the state at day t, with the statistics table as `table_bytes`.
    const auto write_checkpoint = [&](const double t_now, const double dt_now,
                                      const unsigned int step_now, const std::string &table_bytes) {
      io::CheckpointHeader header;
      header.case_signature = signature;
      header.time = t_now;
      header.time_step = dt_now;
      header.step = step_now;
      header.blobs["statistics"] = table_bytes;
      header.blobs["visualization"] = writer.serialize();
      header.blobs["writer_steps"] = std::to_string(writer_steps);
      for (const auto &p : postprocessors)
        p->save(header.blobs);
      dealii::Timer timer;
      io::write_checkpoint(dir, *triangulation, header, state.checkpoint_names(),
                           state.checkpoint_values(), mpi);
      log << "Checkpoint at day " << t_now << " (step " << step_now << ") in " << timer.wall_time()
          << " s" << std::endl;
    };
    // A stop request (signal) is checked by every CG solve, so that the run can checkpoint
    // and leave within a second or so: mpirun kills its ranks soon after passing SIGTERM on.
    system->set_interruption(
      [this]() { return dealii::Utilities::MPI::max(static_cast<int>(stop_signal), mpi) != 0; });
    struct ClearInterruption
    {
      mechanics::ElasticSystem &system;
      ~ClearInterruption() { system.set_interruption({}); }
    } clear_interruption{*system};
    if (time.resume && io::checkpoint_exists(dir))
      {
        io::CheckpointHeader header;
        std::vector<std::vector<double>> values;
        io::read_checkpoint(dir, *triangulation, header, state.checkpoint_names(), values, mpi);
        if (header.case_signature != signature)
          throw std::runtime_error(
            "Checkpoints/Resume = auto: " + dir +
            "/checkpoint.bin belongs to another model or parameter set; remove it or use "
            "another Output/Directory");
        state.restore(values);
        t = header.time;
        dt = header.time_step;
        step = header.step;
        table.deserialize(header.blobs.at("statistics"));
        writer.deserialize(header.blobs.at("visualization"));
        writer_steps = std::stoul(header.blobs.at("writer_steps"));
        for (const auto &p : postprocessors)
          p->load(header.blobs);
        log << "Resumed from the checkpoint at day " << t << " (step " << step << ")" << std::endl;
      }
    else
      {
        // Site-specific reference stimulus: the pre-operative segment under a normal day.
        // Every cell takes the material of what its place held before surgery (a screw the
        // bone's, a cage the nucleus'); the cage rests on nothing yet.
        std::vector<int> stands_for(triangulation->n_active_cells(), model::no_index);
        for (const auto &cell : triangulation->active_cell_iterators())
          if (cell->is_locally_owned())
            stands_for[cell->active_cell_index()] = model.regions[cell->material_id()].preoperative;
        cell_materials->clear_cell_materials();
        cell_materials->set_preoperative(stands_for);
        bone.set_cell_materials(*cell_materials, true, stands_for);
        layers->set_cage_interface_active(false);
        solver->material_changed();
        if (newton)
          newton->forget_rest_state(); // the swollen rest state follows the materials
        const auto &activities = prm.activities.all();
        std::vector<postprocess::ActivityResult> responses;
        try
          {
            responses = solve_activities(activities, false);
          }
        catch (const mechanics::SolveInterrupted &)
          {
            log << "Stopped before the first step (signal " << stop_signal
                << "); nothing to resume from: run the same command again to start over"
                << std::endl;
            interrupted = true;
            postprocessors.clear();
            return;
          }
        catch (const std::runtime_error &e)
          {
            throw std::runtime_error(
              std::string("the pre-operative reference day (Activities/Daily activities), ") +
              e.what());
          }
        bone.update_stimulus(day_of(activities, responses), filter, true);
        bone.set_reference();
        cell_materials->clear_preoperative();
        layers->set_cage_interface_active(true);
        previous_solutions.clear();
        previous_loads.clear();
        open_cells_of.clear();
        log << "Pre-operative reference stimulus from " << responses.size() << " activities"
            << std::endl;
      }

    dealii::Timer since_checkpoint;
    unsigned int steps_this_run = 0;
    while (true)
      {
        dealii::Timer step_timer;
        // What a checkpoint of this step's start holds, should a signal stop one of its solves.
        const std::string table_at_start = table.serialize();
        std::vector<loads::Activity> today;
        std::vector<postprocess::ActivityResult> responses;
        try
          {
            // The state changed: every cell's material, and with it every activity's matrix.
            cell_materials->clear_cell_materials();
            bone.set_cell_materials(*cell_materials, false, {});
            grafts.set_cell_materials(*cell_materials);
            solver->material_changed();
            if (newton)
              newton->forget_rest_state();
            today = prm.activities.activities_on(t);
            responses = solve_activities(today, true);
            const bool visit = std::any_of(time.follow_ups.begin(), time.follow_ups.end(),
                                           [&](const double d) { return std::abs(d - t) < 1e-9; });
            table.start_row(visit ? "follow-up" : "step", t);
            table.add("step", step);
            postprocess::SolvedDay day{t, step, visit, responses, nullptr};
            day.solve = [&](const loads::AppliedLoad &load, const mechanics::Vector *&solution) {
              const mechanics::ContactSolve solve = solve_warm(load);
              solution = &previous_solutions[load.name];
              return solve;
            };
            for (const auto &p : postprocessors)
              p->evaluate(day, table);
            const bool last = t >= time.end_time - 1e-9;
            if (visit || step == 0 || last ||
                (time.output_interval > 0 && step % time.output_interval == 0))
              if (prm.output.visualization)
                {
                  bone.update_visualization();
                  grafts.update_visualization();
                  auto fields = state.visualization();
                  for (auto &f : model_cell_fields())
                    fields.push_back(f);
                  for (const auto &p : postprocessors)
                    p->add_cell_fields(fields);
                  writer.write(*system, previous_solutions[today.front().name], fields,
                               writer_steps++, "day " + std::to_string(t), t);
                }
            const unsigned int row = table.n_rows() - 1;
            log << "Day " << std::setw(6) << std::fixed << std::setprecision(1) << t
                << std::defaultfloat << std::setprecision(6) << ":";
            // Each level: its graft where it has one, its motion.
            for (unsigned int s = 0; s < model.segments.size(); ++s)
              {
                const auto value = [&](const std::string &c) {
                  return table.value(row, model.segment_column(s, c));
                };
                const bool several = model.segments.size() > 1;
                const double modulus = value("graft_mean_modulus_MPa");
                log << (s > 0 ? ";" : "") << (several ? " " + model.segments[s].name : "");
                if (!several || std::isfinite(modulus))
                  log << " graft modulus " << modulus << " MPa, bridged "
                      << value("graft_bridging_fraction") << ",";
                log << " ROM F/E " << value("rom_flexion_extension_deg") << " deg";
              }
            log << " (" << step_timer.wall_time() << " s)" << std::endl;
            if (last)
              {
                for (const auto &p : postprocessors)
                  p->finish(table, summary_metadata);
                postprocessors.clear();
                break;
              }
          }
        catch (const mechanics::SolveInterrupted &)
          {
            table.deserialize(table_at_start);
            write_checkpoint(t, dt, step, table_at_start);
            log << "Stopped at day " << t << " after a checkpoint (signal " << stop_signal
                << " during the step's solves); run again with Checkpoints/Resume = auto to "
                   "continue"
                << std::endl;
            interrupted = true;
            postprocessors.clear();
            return;
          }
        catch (const std::runtime_error &e)
          {
            std::ostringstream where;
            where << "day " << t << " (step " << step << "), " << e.what();
            throw std::runtime_error(where.str());
          }

        // Advance the state over [t, t + dt], the step cut to land on visits and phase starts.
        double next = std::min(t + dt, time.end_time);
        for (const double d : time.follow_ups)
          if (d > t + 1e-9 && d < next)
            next = d;
        for (const double d : prm.activities.phase_starts())
          if (d > t + 1e-9 && d < next)
            next = d;
        bone.update_stimulus(day_of(today, responses), filter, false);
        std::vector<const std::vector<postprocess::CellMechanics> *> cells;
        for (const auto &r : responses)
          cells.push_back(&r.cells);
        const double bone_change = dealii::Utilities::MPI::max(bone.advance(next - t), mpi);
        const double graft_change =
          grafts.advance(cells, next - t).measure(time.graft_change_measure, mpi);
        const double taken = next - t;
        t = next;
        ++step;
        ++steps_this_run;
        if (time.adaptive)
          {
            dt = std::clamp(taken * time.max_relative_change /
                              std::max(std::max(bone_change, graft_change), 1e-12),
                            time.min_time_step, time.max_time_step);
            // Which change set the next step: the first thing to look at when a run takes
            // many short steps.
            log << "  step of " << taken << " days: bone density change " << bone_change
                << " (largest cell), graft change " << graft_change << " ("
                << (time.graft_change_measure == adaptation::GraftChangeMeasure::region_rms ?
                      "region rms" :
                      "largest cell")
                << "); next step " << dt << " days" << std::endl;
          }

        // Checkpoint by count, wall time, signal or request; leave after the latter two.
        const int signal = dealii::Utilities::MPI::max(static_cast<int>(stop_signal), mpi);
        const bool stop =
          signal != 0 || (time.stop_after_steps > 0 && steps_this_run >= time.stop_after_steps);
        const bool by_count = time.checkpoint_steps > 0 && step % time.checkpoint_steps == 0;
        const bool by_time = time.checkpoint_wall_seconds > 0 &&
                             dealii::Utilities::MPI::max(since_checkpoint.wall_time(), mpi) >
                               time.checkpoint_wall_seconds;
        if (stop || by_count || by_time)
          {
            write_checkpoint(t, dt, step, table.serialize());
            since_checkpoint.restart();
          }
        if (stop)
          {
            log << "Stopped at day " << t << " after a checkpoint ("
                << (signal != 0 ? "signal " + std::to_string(signal) : "Stop after steps")
                << "); run again with Checkpoints/Resume = auto to continue" << std::endl;
            interrupted = true;
            postprocessors.clear();
            return;
          }
      }
  }
} // namespace bonefusion::core
