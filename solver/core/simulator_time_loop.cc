// The Simulator's march through the months after surgery (Time/Simulate healing over time):
// each step assembles the stiffness from the current state (bone density, graft tissue),
// solves the day's activities, reports, and lets the adaptation laws update the state. The
// state lives per cell, is written to ParaView and to checkpoints, and survives a restart on
// any number of MPI ranks.
#include <deal.II/base/timer.h>

#include "adaptation/differentiation_law.h"
#include "adaptation/graft_healing.h"
#include "adaptation/healing_junction.h"
#include "adaptation/remodeling_law.h"
#include "adaptation/stimulus_filter.h"
#include "core/simulator.h"
#include "io/checkpoint.h"
#include "io/visualization.h"
#include "loads/surface_traction.h"
#include "postprocess/body_motion.h"
#include "postprocess/cell_mechanics.h"
#include "postprocess/field_statistics.h"
#include "postprocess/load_sharing.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <map>
#include <sstream>

namespace bonefusion::core
{
  using geometry::Region;
  using geometry::Surface;

  namespace
  {
    /** Set by SIGTERM / SIGUSR1 (SLURM's warning before the time limit). */
    volatile std::sig_atomic_t stop_signal = 0;
    extern "C" void request_stop(int signal)
    {
      stop_signal = signal;
    }

    constexpr unsigned char no_role = 0, bone_role = 1, graft_role = 2;

    bool is_graft(const unsigned int id)
    {
      return id == static_cast<unsigned int>(Region::graft) ||
             id == static_cast<unsigned int>(Region::posterolateral_graft);
    }

    /** Region used for a cell in the pre-operative (intact) state of the same mesh. */
    unsigned int pre_operative_region(const unsigned int id)
    {
      switch (static_cast<Region>(id))
        {
        case Region::screw: return static_cast<unsigned int>(Region::cancellous);
        case Region::cage:
        case Region::graft: return static_cast<unsigned int>(Region::nucleus);
        default: return id;
        }
    }

    constexpr double degrees_per_radian = 180.0 / M_PI;
  } // namespace

  mechanics::CellElasticity Simulator::adapted_elasticity(const mechanics::CellIterator &cell) const
  {
    const unsigned int index = cell->active_cell_index();
    const unsigned int id = cell->material_id();
    if (pre_operative)
      {
        // Intact segment on the instrumented mesh: screws are bone, cage and graft are
        // nucleus, rods and posterolateral graft carry (almost) nothing.
        if (id == static_cast<unsigned int>(Region::rod) ||
            id == static_cast<unsigned int>(Region::posterolateral_graft))
          {
            mechanics::CellElasticity c = region_materials.elasticity(id);
            c.mu *= 1e-6;
            c.kappa *= 1e-6;
            return c;
          }
        const unsigned int intact = pre_operative_region(id);
        if (intact == static_cast<unsigned int>(Region::cancellous))
          return bone_elasticity(prm.materials.cancellous_density());
        return region_elasticity(cell, intact);
      }
    if (cell_role.empty())
      return region_elasticity(cell, id);
    if (cell_role[index] == bone_role)
      return bone_elasticity(bone_density[index]);
    if (cell_role[index] == graft_role)
      {
        const double E = graft_modulus(index);
        const double nu = graft_poissons_ratio(index);
        return mechanics::CellElasticity{E / (2 * (1 + nu)), E / (3 * (1 - 2 * nu)),
                                         region_materials.b_bar[id]};
      }
    return region_elasticity(cell, id);
  }

  mechanics::CellElasticity Simulator::bone_elasticity(const double density) const
  {
    const double E = prm.remodeling_settings.modulus_law.modulus(density);
    const double nu = prm.materials.get("cancellous bone").poissons_ratio;
    return mechanics::CellElasticity{E / (2 * (1 + nu)), E / (3 * (1 - 2 * nu)), false};
  }

  double Simulator::graft_modulus(const unsigned int i) const
  {
    const double graft = prm.healing->modulus(graft_state[i]);
    if (junction_fraction[i] == 0)
      return graft;
    return adaptation::HealingJunction::series_modulus(prm.healing->modulus(junction_state[i]),
                                                       graft, junction_fraction[i]);
  }

  double Simulator::graft_poissons_ratio(const unsigned int i) const
  {
    const double phi = junction_fraction[i];
    return phi * prm.healing->poissons_ratio(junction_state[i]) +
           (1 - phi) * prm.healing->poissons_ratio(graft_state[i]);
  }

  double Simulator::graft_bone_fraction(const unsigned int i) const
  {
    const double phi = junction_fraction[i];
    return phi * adaptation::GraftHealing::bone_fraction(junction_state[i]) +
           (1 - phi) * adaptation::GraftHealing::bone_fraction(graft_state[i]);
  }

  double Simulator::graft_bridging_bone_fraction(const unsigned int i) const
  {
    const double graft = adaptation::GraftHealing::bone_fraction(graft_state[i]);
    if (junction_fraction[i] == 0)
      return graft;
    return std::min(graft, adaptation::GraftHealing::bone_fraction(junction_state[i]));
  }

  void Simulator::identify_healing_junctions()
  {
    const adaptation::HealingJunction &junction = prm.graft_settings.junction;
    if (!junction.active())
      return;
    // The host bone a graft heals onto: the bodies' endplates (and shell or core, should a
    // graft cell touch them) for the interbody graft, the posterior elements for the
    // posterolateral graft.
    const auto is_host = [](const unsigned int graft, const unsigned int id) {
      if (graft == static_cast<unsigned int>(Region::posterolateral_graft))
        return id == static_cast<unsigned int>(Region::posterior);
      return id == static_cast<unsigned int>(Region::endplate) ||
             id == static_cast<unsigned int>(Region::cortical) ||
             id == static_cast<unsigned int>(Region::cancellous);
    };
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned() && cell_role[cell->active_cell_index()] == graft_role)
        for (const unsigned int f : cell->face_indices())
          if (!cell->at_boundary(f) &&
              is_host(cell->material_id(), cell->neighbor(f)->material_id()))
            {
              // Voxel cells: faces 2k and 2k+1 are normal to axis k.
              double &phi = junction_fraction[cell->active_cell_index()];
              phi = std::max(phi, junction.gap_fraction(cell->extent_in_direction(f / 2)));
            }
  }

  dealii::Tensor<1, 3> Simulator::relative_rotation(const mechanics::Vector &u,
                                                    const dealii::Point<3> &reference) const
  {
    const auto body = [](const unsigned int id) {
      return id == static_cast<unsigned int>(Region::cortical) ||
             id == static_cast<unsigned int>(Region::cancellous) ||
             id == static_cast<unsigned int>(Region::endplate);
    };
    const auto upper = postprocess::fit_rigid_motion(
      *system, u,
      [&](const mechanics::CellIterator &c) {
        return body(c->material_id()) && c->center()[2] > 0;
      },
      reference);
    const auto lower = postprocess::fit_rigid_motion(
      *system, u,
      [&](const mechanics::CellIterator &c) {
        return body(c->material_id()) && c->center()[2] < 0;
      },
      reference);
    return degrees_per_radian * (upper.rotation - lower.rotation);
  }

  void Simulator::initialise_adaptation_state()
  {
    const unsigned int n = triangulation->n_active_cells();
    cell_role.assign(n, no_role);
    bone_density.assign(n, 0.0);
    reference_stimulus.assign(n, 0.0);
    stimulus.assign(n, 0.0);
    graft_state.assign(n, prm.healing->initial_state(prm.graft_settings.graft_type));
    // The gap between graft and bone holds haematoma / granulation tissue at surgery.
    junction_state.assign(n, adaptation::GraftState{});
    junction_fraction.assign(n, 0.0);
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int i = cell->active_cell_index();
          if (cell->material_id() == static_cast<unsigned int>(Region::cancellous))
            {
              cell_role[i] = bone_role;
              bone_density[i] = prm.materials.cancellous_density();
            }
          else if (is_graft(cell->material_id()))
            cell_role[i] = graft_role;
        }
    identify_healing_junctions();

    // Bone near the screws and under the endplates that face the disc space: cancellous cells
    // within `reach` of a screw cell or of such an endplate cell (stress-shielding statistics).
    // 3 mm, and at least one cell beyond the neighbouring one on coarse meshes.
    double h = 0;
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        h = std::max(h, cell->extent_in_direction(0));
    const double reach = std::max(3.0, 1.5 * dealii::Utilities::MPI::max(h, mpi)); // [mm]
    const auto centres_of =
      [&](const std::function<bool(const dealii::Point<3> &, unsigned int)> &in) {
        std::vector<dealii::Point<3>> mine;
        for (const auto &cell : triangulation->active_cell_iterators())
          if (cell->is_locally_owned() && in(cell->center(), cell->material_id()))
            mine.push_back(cell->center());
        std::vector<dealii::Point<3>> all;
        for (const auto &part : dealii::Utilities::MPI::all_gather(mpi, mine))
          all.insert(all.end(), part.begin(), part.end());
        return all;
      };
    const double disc_half = geometry->disc_height() / 2 + reach;
    const auto screws = centres_of([](const dealii::Point<3> &, unsigned int id) {
      return id == static_cast<unsigned int>(Region::screw);
    });
    const auto endplates = centres_of([&](const dealii::Point<3> &p, unsigned int id) {
      return id == static_cast<unsigned int>(Region::endplate) && std::abs(p[2]) < disc_half;
    });
    const auto near = [&](const dealii::Point<3> &p, const std::vector<dealii::Point<3>> &set) {
      return std::any_of(set.begin(), set.end(), [&](const dealii::Point<3> &q) {
        return p.distance_square(q) < reach * reach;
      });
    };
    near_screws.assign(n, 0);
    under_endplates.assign(n, 0);
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned() && cell_role[cell->active_cell_index()] == bone_role)
        {
          near_screws[cell->active_cell_index()] = near(cell->center(), screws);
          under_endplates[cell->active_cell_index()] = near(cell->center(), endplates);
        }
  }

  std::vector<std::string> Simulator::state_field_names() const
  {
    std::vector<std::string> names = {"bone_density", "reference_stimulus"};
    for (const std::string prefix : {"graft_fraction_", "junction_fraction_"})
      for (unsigned int k = 0; k < adaptation::n_tissues; ++k)
        names.push_back(prefix + adaptation::tissue_name(static_cast<adaptation::Tissue>(k)));
    return names;
  }

  std::vector<std::vector<double>> Simulator::state_fields() const
  {
    const unsigned int n = triangulation->n_active_cells();
    std::vector<std::vector<double>> fields = {bone_density, reference_stimulus};
    for (const auto *state : {&graft_state, &junction_state})
      for (unsigned int k = 0; k < adaptation::n_tissues; ++k)
        {
          std::vector<double> f(n);
          for (unsigned int i = 0; i < n; ++i)
            f[i] = (*state)[i].fraction[k];
          fields.push_back(f);
        }
    return fields;
  }

  void Simulator::restore_state(const std::vector<std::vector<double>> &fields)
  {
    const unsigned int n = triangulation->n_active_cells();
    for (unsigned int i = 0; i < n; ++i)
      {
        if (cell_role[i] == no_role)
          continue;
        bone_density[i] = fields[0][i];
        reference_stimulus[i] = fields[1][i];
        for (unsigned int k = 0; k < adaptation::n_tissues; ++k)
          {
            graft_state[i].fraction[k] = fields[2 + k][i];
            junction_state[i].fraction[k] = fields[2 + adaptation::n_tissues + k][i];
          }
      }
  }

  io::VisualizationWriter::CellFields Simulator::state_cell_fields() const
  {
    const unsigned int n = triangulation->n_active_cells();
    // graft_tissue and graft_bone_fraction are -1 outside the graft, so that views can tell
    // the graft's granulation tissue (0) from the rest of the model.
    std::vector<float> density(n), tissue(n, -1.0f), gap_tissue(n, -1.0f), bone(n, -1.0f),
      modulus(n), stim(n), change(n);
    const auto dominant = [](const adaptation::GraftState &state) {
      return static_cast<float>(std::max_element(state.fraction.begin(), state.fraction.end()) -
                                state.fraction.begin());
    };
    const double rho0 = prm.materials.cancellous_density();
    for (unsigned int i = 0; i < n; ++i)
      if (cell_role[i] == bone_role)
        {
          density[i] = bone_density[i];
          stim[i] = stimulus[i];
          change[i] = 100 * (bone_density[i] / rho0 - 1);
        }
      else if (cell_role[i] == graft_role)
        {
          // The dominant tissue, numbered as adaptation::Tissue (0 granulation ... 4 mature
          // bone, 5 resorption); the healing gap's where the graft touches bone.
          tissue[i] = dominant(graft_state[i]);
          if (junction_fraction[i] > 0)
            gap_tissue[i] = dominant(junction_state[i]);
          bone[i] = graft_bone_fraction(i);
          modulus[i] = graft_modulus(i);
        }
    return {{"bone_density", density},       {"density_change_percent", change},
            {"remodeling_stimulus", stim},   {"graft_tissue", tissue},
            {"junction_tissue", gap_tissue}, {"graft_bone_fraction", bone},
            {"graft_modulus", modulus}};
  }

  std::string Simulator::case_signature() const
  {
    // The model and everything that changes the state's meaning; not output or checkpoint
    // settings, nor the end time (a run may be extended).
    std::ostringstream s;
    s << triangulation->n_global_active_cells() << ' ' << system->dofs().n_dofs() << ' '
      << prm.remodeling->name() << ' ' << prm.differentiation->name() << ' '
      << prm.materials.cancellous_density() << ' ' << prm.remodeling_settings.nonlocal_length << ' '
      << adaptation::graft_type_name(prm.graft_settings.graft_type) << ' '
      << prm.graft_settings.junction.gap_width();
    return s.str();
  }

  void Simulator::write_state_checkpoint(const double t, const double dt, const unsigned int step,
                                         const io::VisualizationWriter &writer,
                                         const std::string &signature)
  {
    io::CheckpointHeader header;
    header.case_signature = signature;
    header.time = t;
    header.time_step = dt;
    header.step = step;
    header.blobs["statistics"] = table.serialize();
    header.blobs["visualization"] = writer.serialize();
    header.blobs["follow_ups"] = std::to_string(follow_up_rows);
    header.blobs["writer_steps"] = std::to_string(writer_steps);
    dealii::Timer timer;
    io::write_checkpoint(prm.output.directory, *triangulation, header, state_field_names(),
                         state_fields(), mpi);
    log << "Checkpoint at day " << t << " (step " << step << ") in " << timer.wall_time() << " s"
        << std::endl;
  }

  Simulator::ContactSolve Simulator::solve_warm(const std::string &name,
                                                const mechanics::Vector &rhs)
  {
    auto &u = previous_solutions[name];
    const bool warm = u.size() == system->dofs().n_dofs();
    if (!warm)
      u = system->make_ghosted_vector();
    const ContactSolve contact =
      solve_with_contact([this](const mechanics::CellIterator &c) { return adapted_elasticity(c); },
                         rhs, u, open_cells_of[name], warm);
    solve_seconds += contact.report.seconds;
    return contact;
  }

  std::vector<Simulator::ActivityResponse>
  Simulator::solve_activities(const std::vector<loads::Activity> &activities,
                              const loads::PlaneSection &section, bool collect_statistics)
  {
    const auto surface = static_cast<dealii::types::boundary_id>(Surface::upper_loaded);
    std::vector<ActivityResponse> responses;
    for (const loads::Activity &a : activities)
      {
        const loads::LinearTraction traction(section, a.force, a.moment);
        const mechanics::Vector rhs = system->traction_rhs(
          surface, [&](const dealii::Point<3> &p) { return traction.value(p); });
        // The previous step's answer and active set of the same activity are the start.
        const ContactSolve contact = solve_warm(a.name, rhs);
        ActivityResponse r;
        r.activity = a;
        r.cg_iterations = contact.report.iterations;
        r.contact_iterations = contact.iterations;
        r.open_cage_cells = contact.open_cage_cells;
        const mechanics::Vector &u = previous_solutions[a.name];
        postprocess::cell_mechanics(
          *system, u,
          [this](const mechanics::CellIterator &c) {
            return cell_role[c->active_cell_index()] != no_role;
          },
          r.cells);
        if (collect_statistics)
          r.fields = postprocess::field_statistics(*system, u);
        responses.push_back(std::move(r));
      }
    return responses;
  }

  void Simulator::run_over_time()
  {
    const TimeParameters &time = prm.time;
    const std::string dir = prm.output.directory;
    if (prm.geometry.from_mesh_file)
      throw std::runtime_error("Time/Simulate healing over time: implemented for the parametric "
                               "segment; imported meshes have no graft/bone regions yet");
    std::signal(SIGTERM, request_stop);
    std::signal(SIGUSR1, request_stop);

    const auto surface = static_cast<dealii::types::boundary_id>(Surface::upper_loaded);
    const loads::PlaneSection section = system->surface_section(surface);
    const dealii::Point<3> plane_reference(section.cx, section.cy, 0.0);
    adaptation::StimulusFilter filter(*triangulation, prm.remodeling_settings.nonlocal_length);
    io::VisualizationWriter writer(dir);

    initialise_adaptation_state();
    double t = 0, dt = time.time_step;
    unsigned int step = 0;
    const std::vector<std::string> fields = state_field_names();
    const std::string signature = case_signature();
    bool resumed = false;
    if (time.resume && io::checkpoint_exists(dir))
      {
        io::CheckpointHeader header;
        std::vector<std::vector<double>> values;
        io::read_checkpoint(dir, *triangulation, header, fields, values, mpi);
        if (header.case_signature != signature)
          throw std::runtime_error(
            "Checkpoints/Resume = auto: " + dir +
            "/checkpoint.bin belongs to another model or parameter set; remove it or use "
            "another Output/Directory");
        restore_state(values);
        t = header.time;
        dt = header.time_step;
        step = header.step;
        table.deserialize(header.blobs.at("statistics"));
        writer.deserialize(header.blobs.at("visualization"));
        follow_up_rows = std::stoul(header.blobs.at("follow_ups"));
        writer_steps = std::stoul(header.blobs.at("writer_steps"));
        resumed = true;
        log << "Resumed from the checkpoint at day " << t << " (step " << step << ")" << std::endl;
      }
    else
      {
        // Site-specific reference stimulus: the pre-operative segment under a normal day.
        pre_operative = true;
        matrix_is_current = false;
        const auto responses = solve_activities(prm.activities.all(), section, false);
        update_stimulus(responses, filter);
        reference_stimulus = stimulus;
        if (prm.remodeling_settings.reference_mode == adaptation::ReferenceMode::fixed)
          std::fill(reference_stimulus.begin(), reference_stimulus.end(),
                    prm.remodeling_settings.fixed_reference);
        pre_operative = false;
        previous_solutions.clear();
        open_cells_of.clear();
        log << "Pre-operative reference stimulus from " << responses.size() << " activities"
            << std::endl;
      }

    dealii::Timer since_checkpoint;
    unsigned int steps_this_run = 0;
    while (true)
      {
        dealii::Timer step_timer;
        // The state changed: every activity's matrix is assembled from it again.
        matrix_is_current = false;
        const std::vector<loads::Activity> today = prm.activities.activities_on(t);
        const auto responses = solve_activities(today, section, true);
        const bool visit = std::any_of(time.follow_ups.begin(), time.follow_ups.end(),
                                       [&](const double d) { return std::abs(d - t) < 1e-9; });
        record_time_step(t, step, responses, section, plane_reference, visit);
        const bool last = t >= time.end_time - 1e-9;
        if (visit || step == 0 || last ||
            (time.output_interval > 0 && step % time.output_interval == 0))
          if (prm.output.visualization)
            writer.write(*system, previous_solutions[responses.front().activity.name],
                         state_cell_fields(), writer_steps++, "day " + std::to_string(t), t);
        log << "Day " << std::setw(6) << std::fixed << std::setprecision(1) << t
            << std::defaultfloat << std::setprecision(6) << ": graft modulus "
            << table.value(table.n_rows() - 1, "graft_mean_modulus_MPa") << " MPa, bridged "
            << table.value(table.n_rows() - 1, "graft_bridging_fraction") << ", ROM F/E "
            << table.value(table.n_rows() - 1, "rom_flexion_extension_deg") << " deg ("
            << step_timer.wall_time() << " s)" << std::endl;
        if (last)
          break;

        // Advance the state over [t, t + dt], the step cut to land on visits and phase starts.
        double next = std::min(t + dt, time.end_time);
        for (const double d : time.follow_ups)
          if (d > t + 1e-9 && d < next)
            next = d;
        for (const double d : prm.activities.phase_starts())
          if (d > t + 1e-9 && d < next)
            next = d;
        const double change = advance_state(responses, filter, next - t);
        const double taken = next - t;
        t = next;
        ++step;
        ++steps_this_run;
        if (time.adaptive)
          dt = std::clamp(taken * time.max_relative_change / std::max(change, 1e-12),
                          time.min_time_step, time.max_time_step);

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
            write_state_checkpoint(t, dt, step, writer, signature);
            since_checkpoint.restart();
          }
        if (stop)
          {
            log << "Stopped at day " << t << " after a checkpoint ("
                << (signal != 0 ? "signal " + std::to_string(signal) : "Stop after steps")
                << "); run again with Checkpoints/Resume = auto to continue" << std::endl;
            interrupted = true;
            return;
          }
      }
    (void)resumed;
  }

  void Simulator::update_stimulus(const std::vector<ActivityResponse> &responses,
                                  const adaptation::StimulusFilter &filter)
  {
    // Normalised smoothing: only bone cells contribute, so the stimulus does not bleed in
    // from implants and soft tissue at the bone's boundary.
    const unsigned int n = triangulation->n_active_cells();
    std::vector<double> weighted(n, 0.0);
    std::vector<adaptation::DailyLoad> day(responses.size());
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned() && cell_role[cell->active_cell_index()] == bone_role)
        {
          const unsigned int i = cell->active_cell_index();
          for (unsigned int a = 0; a < responses.size(); ++a)
            day[a] = adaptation::DailyLoad{responses[a].cells[i].strain_energy_density,
                                           responses[a].activity.cycles_per_day};
          const double rho = pre_operative ? prm.materials.cancellous_density() : bone_density[i];
          weighted[i] =
            prm.remodeling->stimulus(day, rho, prm.remodeling_settings.modulus_law.modulus(rho));
        }
    // Where the bone is does not change: its smoothed indicator is computed once per run.
    if (smooth_bone_indicator.size() != n)
      {
        std::vector<double> indicator(n, 0.0);
        for (unsigned int i = 0; i < n; ++i)
          indicator[i] = cell_role[i] == bone_role ? 1.0 : 0.0;
        filter.apply(indicator, smooth_bone_indicator);
      }
    std::vector<double> smooth_weighted;
    filter.apply(weighted, smooth_weighted);
    stimulus.assign(n, 0.0);
    for (unsigned int i = 0; i < n; ++i)
      if (cell_role[i] == bone_role)
        stimulus[i] = smooth_weighted[i] / std::max(smooth_bone_indicator[i], 1e-12);
  }

  double Simulator::advance_state(const std::vector<ActivityResponse> &responses,
                                  const adaptation::StimulusFilter &filter, const double dt)
  {
    update_stimulus(responses, filter);
    double change = 0;
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int i = cell->active_cell_index();
          if (cell_role[i] == bone_role)
            {
              const double rho = bone_density[i];
              bone_density[i] =
                prm.remodeling->advance(rho, stimulus[i], reference_stimulus[i], dt);
              change = std::max(change, std::abs(bone_density[i] - rho) / rho);
            }
          else if (cell_role[i] == graft_role)
            {
              // The most demanding activity of the day decides the tissue (largest
              // octahedral shear strain), as in Lacroix & Prendergast's peak-load approach.
              const postprocess::CellMechanics *worst = nullptr;
              for (const ActivityResponse &r : responses)
                if (worst == nullptr ||
                    r.cells[i].octahedral_shear_strain > worst->octahedral_shear_strain)
                  worst = &r.cells[i];
              const adaptation::TissueMechanics m{worst->octahedral_shear_strain,
                                                  worst->max_principal_strain, worst->pressure};
              const double E = graft_modulus(i);
              const adaptation::GraftType type = prm.graft_settings.graft_type;
              if (junction_fraction[i] > 0)
                {
                  // Gap and graft each differentiate with their own strain (same stress).
                  using adaptation::HealingJunction;
                  const double E_gap = prm.healing->modulus(junction_state[i]);
                  const double E_graft = prm.healing->modulus(graft_state[i]);
                  prm.healing->advance(
                    junction_state[i],
                    prm.differentiation->target(HealingJunction::layer_mechanics(m, E, E_gap)), dt,
                    type);
                  prm.healing->advance(
                    graft_state[i],
                    prm.differentiation->target(HealingJunction::layer_mechanics(m, E, E_graft)),
                    dt, type);
                }
              else
                prm.healing->advance(graft_state[i], prm.differentiation->target(m), dt, type);
              change = std::max(change, std::abs(graft_modulus(i) - E) / E);
            }
        }
    return dealii::Utilities::MPI::max(change, mpi);
  }

  Simulator::GraftBridging Simulator::graft_bridging() const
  {
    // Columns of interbody graft cells along z, keyed by their (x, y) position: a column is
    // bridged when every cell in it is bone, attached when its lowest or highest cell is.
    std::vector<std::array<double, 4>> mine; // x, y, z, bone fraction
    double h = 0;
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned() &&
          cell->material_id() == static_cast<unsigned int>(Region::graft))
        {
          const auto c = cell->center();
          mine.push_back(
            {{c[0], c[1], c[2], graft_bridging_bone_fraction(cell->active_cell_index())}});
          h = std::max(h, cell->extent_in_direction(0));
        }
    h = dealii::Utilities::MPI::max(h, mpi);
    GraftBridging result;
    if (h == 0)
      return result;
    std::map<std::pair<long, long>, std::vector<std::pair<double, double>>> columns;
    for (const auto &part : dealii::Utilities::MPI::all_gather(mpi, mine))
      for (const auto &p : part)
        columns[{std::lround(p[0] / h), std::lround(p[1] / h)}].emplace_back(p[2], p[3]);
    const double bone = prm.time.bone_fraction_bridged;
    unsigned long bridged = 0, attached = 0;
    for (auto &[key, cells] : columns)
      {
        std::sort(cells.begin(), cells.end());
        const bool all_bone =
          std::all_of(cells.begin(), cells.end(), [&](const auto &c) { return c.second > bone; });
        bridged += all_bone;
        attached += cells.front().second > bone || cells.back().second > bone;
      }
    result.bridged = static_cast<double>(bridged) / columns.size();
    result.attached = static_cast<double>(attached) / columns.size();
    // CT grading after Mayfield (spine-data.md section 7): I continuous bridging over more
    // than the threshold, II bridging below it, III bone attached to one endplate only,
    // IV none.
    result.grade = result.bridged > prm.time.fusion_bridging_threshold ? 1 :
                   bridged > 0                                         ? 2 :
                   attached > 0                                        ? 3 :
                                                                         4;
    return result;
  }

  void Simulator::record_time_step(const double t, const unsigned int step,
                                   const std::vector<ActivityResponse> &responses,
                                   const loads::PlaneSection &section,
                                   const dealii::Point<3> &plane_reference, const bool visit)
  {
    table.start_row(visit ? "follow-up" : "step", t);
    table.add("step", step);

    // Graft: modulus, bone fraction (volume means) and bridging.
    double volume = 0, modulus = 0, bone = 0, pl_volume = 0, pl_bone = 0;
    double density_all = 0, volume_bone = 0, strain = 0, pl_strain = 0;
    // Healing gaps (where a graft touches bone): gap volume, its bone and its strain, for the
    // interbody [0..2] and the posterolateral graft [3..5].
    std::array<double, 6> gap = {};
    // The day's largest octahedral shear strain of a cell (what the differentiation sees).
    const auto peak_strain = [&](const unsigned int i) {
      double g = 0;
      for (const ActivityResponse &r : responses)
        g = std::max(g, r.cells[i].octahedral_shear_strain);
      return g;
    };
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int i = cell->active_cell_index();
          const double v = cell->measure();
          if (cell_role[i] == graft_role && junction_fraction[i] > 0)
            {
              const unsigned int k =
                cell->material_id() == static_cast<unsigned int>(Region::graft) ? 0 : 3;
              const double v_gap = v * junction_fraction[i];
              const double amplification =
                graft_modulus(i) / prm.healing->modulus(junction_state[i]);
              gap[k] += v_gap;
              gap[k + 1] += v_gap * adaptation::GraftHealing::bone_fraction(junction_state[i]);
              gap[k + 2] += v_gap * amplification * peak_strain(i);
            }
          if (cell->material_id() == static_cast<unsigned int>(Region::graft))
            {
              volume += v;
              modulus += v * graft_modulus(i);
              bone += v * graft_bone_fraction(i);
              strain += v * peak_strain(i);
            }
          else if (cell->material_id() == static_cast<unsigned int>(Region::posterolateral_graft))
            {
              pl_volume += v;
              pl_bone += v * graft_bone_fraction(i);
              pl_strain += v * peak_strain(i);
            }
          else if (cell_role[i] == bone_role)
            {
              volume_bone += v;
              density_all += v * bone_density[i];
            }
        }
    std::vector<double> sums = {volume,      modulus,     bone,   pl_volume, pl_bone,
                                volume_bone, density_all, strain, pl_strain};
    sums.insert(sums.end(), gap.begin(), gap.end());
    dealii::Utilities::MPI::sum(sums, mpi, sums);
    const double nan = std::nan("");
    table.add("graft_mean_modulus_MPa", sums[0] > 0 ? sums[1] / sums[0] : nan);
    table.add("graft_bone_fraction", sums[0] > 0 ? sums[2] / sums[0] : nan);
    const GraftBridging bridging = graft_bridging();
    table.add("graft_bridging_fraction", sums[0] > 0 ? bridging.bridged : nan);
    table.add("graft_attached_fraction", sums[0] > 0 ? bridging.attached : nan);
    table.add("fusion_grade", sums[0] > 0 ? bridging.grade : nan);
    table.add("graft_mean_octahedral_shear_strain", sums[0] > 0 ? sums[7] / sums[0] : nan);
    table.add("posterolateral_graft_bone_fraction", sums[3] > 0 ? sums[4] / sums[3] : nan);
    table.add("posterolateral_graft_mean_octahedral_shear_strain",
              sums[3] > 0 ? sums[8] / sums[3] : nan);
    // The healing gaps: bone fraction of the gap tissue and the day's largest octahedral shear
    // strain in it (what its differentiation sees); NaN without a gap.
    for (const auto &[name, k] : {std::pair<std::string, unsigned int>{"graft_junction", 9},
                                  {"posterolateral_graft_junction", 12}})
      {
        table.add(name + "_bone_fraction", sums[k] > 0 ? sums[k + 1] / sums[k] : nan);
        table.add(name + "_mean_octahedral_shear_strain",
                  sums[k] > 0 ? sums[k + 2] / sums[k] : nan);
      }

    // Load sharing of the first activity of the day (standing by default): fractions of the
    // axial force through the disc mid-plane.
    const ActivityResponse &first = responses.front();
    const auto resultants = postprocess::plane_resultants(
      *system, previous_solutions.at(first.activity.name), 0.0, plane_reference);
    const auto force_z = [&](std::initializer_list<Region> regions) {
      double f = 0;
      for (const Region r : regions)
        {
          const auto it = resultants.find(static_cast<unsigned int>(r));
          if (it != resultants.end())
            f += it->second.force[2];
        }
      return first.activity.force[2] != 0 ? f / first.activity.force[2] : nan;
    };
    table.add("share_graft_cage_fraction", force_z({Region::graft, Region::cage}));
    table.add("share_rods_screws_fraction", force_z({Region::rod, Region::screw}));
    table.add("share_posterior_fraction",
              force_z({Region::posterior, Region::facet_cartilage, Region::posterolateral_graft}));
    table.add("share_disc_fraction", force_z({Region::annulus, Region::nucleus}));

    // Implant stresses: the largest over the day's activities.
    double rod = nan, screw = nan;
    for (const ActivityResponse &r : responses)
      for (const auto &[name, value] : r.fields)
        {
          if (name == "rod_peak_von_mises_MPa" && std::isfinite(value))
            rod = std::isfinite(rod) ? std::max(rod, value) : value;
          if (name == "screw_peak_von_mises_MPa" && std::isfinite(value))
            screw = std::isfinite(screw) ? std::max(screw, value) : value;
        }
    table.add("rod_peak_von_mises_MPa", rod);
    table.add("screw_peak_von_mises_MPa", screw);

    // Stress shielding: density change of the bone next to the screws and under the endplates.
    const double rho0 = prm.materials.cancellous_density();
    table.add("cancellous_mean_density_g_cm3", sums[5] > 0 ? sums[6] / sums[5] : nan);
    for (const auto &[name, set] :
         {std::pair<std::string, const std::vector<unsigned char> *>{"near_screws", &near_screws},
          {"under_endplates", &under_endplates}})
      {
        double v = 0, m = 0;
        for (const auto &cell : triangulation->active_cell_iterators())
          if (cell->is_locally_owned() && (*set)[cell->active_cell_index()])
            {
              v += cell->measure();
              m += cell->measure() * bone_density[cell->active_cell_index()];
            }
        v = dealii::Utilities::MPI::sum(v, mpi);
        m = dealii::Utilities::MPI::sum(m, mpi);
        table.add("density_change_" + name + "_percent", v > 0 ? 100 * (m / v / rho0 - 1) : nan);
      }

    // Simulated flexion-extension radiograph: pure moments of Loads/Moment.
    const double moment = prm.loads.moment * 1000.0;
    double rom = 0;
    unsigned int rom_iterations = 0;
    for (const double sign : {-1.0, 1.0})
      {
        const std::string name = sign < 0 ? "rom flexion" : "rom extension";
        const loads::LinearTraction traction(section, dealii::Tensor<1, 3>(),
                                             dealii::Tensor<1, 3>({sign * moment, 0.0, 0.0}));
        const auto surface = static_cast<dealii::types::boundary_id>(Surface::upper_loaded);
        const mechanics::Vector rhs = system->traction_rhs(
          surface, [&](const dealii::Point<3> &p) { return traction.value(p); });
        const ContactSolve contact = solve_warm(name, rhs);
        rom_iterations += contact.report.iterations;
        rom += std::abs(relative_rotation(previous_solutions[name], plane_reference)[0]);
      }
    table.add("rom_flexion_extension_deg", rom);
    unsigned int iterations = rom_iterations;
    for (const ActivityResponse &r : responses)
      iterations += r.cg_iterations;
    unsigned int contact_iterations = 0;
    for (const ActivityResponse &r : responses)
      contact_iterations += r.contact_iterations;
    table.add("activities", responses.size());
    table.add("cg_iterations", iterations);
    table.add("contact_iterations", contact_iterations);
    if (visit)
      ++follow_up_rows;
  }

  void Simulator::write_follow_ups()
  {
    // Time to fusion: where the bridged fraction exceeds the threshold for good (the last
    // upward crossing, so that an early transient does not count), interpolated linearly
    // between the steps around it.
    const double threshold = prm.time.fusion_bridging_threshold;
    time_to_fusion = std::nan("");
    for (unsigned int r = 0; r < table.n_rows(); ++r)
      {
        const double b = table.value(r, "graft_bridging_fraction");
        if (!(b > threshold))
          time_to_fusion = std::nan("");
        else if (std::isnan(time_to_fusion))
          {
            if (r == 0)
              time_to_fusion = 0;
            else
              {
                const double b0 = table.value(r - 1, "graft_bridging_fraction");
                const double t0 = table.value(r - 1, "time_days"), t1 = table.value(r, "time_days");
                time_to_fusion = t0 + (threshold - b0) / (b - b0) * (t1 - t0);
              }
          }
      }
    static const char *const grade_names[] = {
      "", "I: continuous bridging bone (fused)", "II: bridging below the threshold",
      "III: bone attached to one endplate only", "IV: no bone bridging (not fused)"};
    if (dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
      {
        std::ofstream out(prm.output.directory + "/follow_ups.csv");
        out << "day,months,fusion_grade,grade_description,graft_bridging_fraction,"
               "graft_bone_fraction,graft_mean_modulus_MPa,rom_flexion_extension_deg,"
               "share_graft_cage_fraction,share_rods_screws_fraction,"
               "density_change_near_screws_percent\n";
        for (unsigned int r = 0; r < table.n_rows(); ++r)
          if (table.load_case(r) == "follow-up")
            {
              const double day = table.value(r, "time_days");
              const double grade = table.value(r, "fusion_grade");
              out << day << ',' << day / 30.44 << ',' << grade << ",\""
                  << (std::isfinite(grade) ? grade_names[static_cast<int>(grade)] : "no graft")
                  << "\"," << table.value(r, "graft_bridging_fraction") << ','
                  << table.value(r, "graft_bone_fraction") << ','
                  << table.value(r, "graft_mean_modulus_MPa") << ','
                  << table.value(r, "rom_flexion_extension_deg") << ','
                  << table.value(r, "share_graft_cage_fraction") << ','
                  << table.value(r, "share_rods_screws_fraction") << ','
                  << table.value(r, "density_change_near_screws_percent") << '\n';
              log << "Follow-up day " << day << ": grade "
                  << (std::isfinite(grade) ? grade_names[static_cast<int>(grade)] : "-")
                  << ", bridged " << table.value(r, "graft_bridging_fraction") << ", ROM F/E "
                  << table.value(r, "rom_flexion_extension_deg") << " deg" << std::endl;
            }
      }
    log << "Time to fusion (bridged fraction > " << threshold << "): "
        << (std::isfinite(time_to_fusion) ? std::to_string(time_to_fusion) + " days" :
                                            std::string("not reached"))
        << std::endl;
  }
} // namespace bonefusion::core
