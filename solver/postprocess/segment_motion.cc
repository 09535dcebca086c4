#include "postprocess/segment_motion.h"

#include "postprocess/body_motion.h"

#include <cmath>

namespace bonefusion::postprocess
{
  namespace
  {
    constexpr double degrees_per_radian = 180.0 / M_PI;
  }

  std::pair<dealii::Tensor<1, 3>, dealii::Tensor<1, 3>>
  relative_motion(const model::Model &model, const mechanics::ElasticSystem &system,
                  const mechanics::Vector &solution, const int s, const dealii::Point<3> &reference,
                  const mechanics::Vector *rest)
  {
    const model::MotionSegment &segment = model.segments.at(s);
    const auto body_motion = [&](const mechanics::Vector &u, const int body) {
      return fit_rigid_motion(
        system, u,
        [&](const mechanics::CellIterator &c) {
          return model.in_vertebral_body(c->material_id(), body);
        },
        reference);
    };
    dealii::Tensor<1, 3> rotation, translation;
    // The fit is linear in the displacement: the motion from rest is the difference of the
    // motions from the reference configuration.
    for (const auto &[u, sign] : {std::make_pair(&solution, 1.0), std::make_pair(rest, -1.0)})
      if (u)
        {
          const RigidMotion upper = body_motion(*u, segment.upper);
          const RigidMotion lower = body_motion(*u, segment.lower);
          rotation += sign * (upper.rotation - lower.rotation);
          translation += sign * (upper.translation - lower.translation);
        }
    return {degrees_per_radian * rotation, translation};
  }

  SegmentMotion::SegmentMotion(const Context &c)
    : context(c)
  {
  }

  void SegmentMotion::evaluate(const SolvedLoad &result, io::StatisticsTable &table)
  {
    const model::Model &model = context.model;
    const loads::AppliedLoad &load = result.load;
    for (unsigned int s = 0; s < model.segments.size(); ++s)
      {
        const model::Frame &frame = model.segments[s].disc_frame;
        const auto [rotation, shift] =
          relative_motion(model, context.system, result.solution, s, context.segment_reference(s),
                          result.solve.rest_state);
        const dealii::Tensor<1, 3> local = frame.vector_to_local(rotation);
        const auto column = [&](const std::string &name) { return model.segment_column(s, name); };
        table.add(column("rotation_x_deg"), local[0]);
        table.add(column("rotation_y_deg"), local[1]);
        table.add(column("rotation_z_deg"), local[2]);
        table.add(column("primary_rotation_deg"),
                  load.primary_axis.norm() > 0 ? rotation * load.primary_axis : std::nan(""));
        table.add(column("axial_displacement_mm"), shift * frame.superior);
      }
    // In the top vertebra's frame, as the load cases are given.
    const model::Frame &top = model.bodies.at(model.loaded_body).frame;
    const dealii::Tensor<1, 3> moment = top.vector_to_local(load.moment);
    table.add("applied_force_z_N", load.force * top.superior);
    table.add("applied_moment_x_Nmm", moment[0]);
    table.add("applied_moment_y_Nmm", moment[1]);
    table.add("applied_moment_z_Nmm", moment[2]);
  }

  void SegmentMotion::evaluate(SolvedDay &day, io::StatisticsTable &table)
  {
    const model::Model &model = context.model;
    const dealii::Tensor<1, 3> &lateral = model.bodies.at(model.loaded_body).frame.lateral;
    std::vector<double> rom(model.segments.size(), 0.0);
    for (const double sign : {-1.0, 1.0})
      {
        const loads::AppliedLoad load = loads::resultant_load(
          sign < 0 ? "rom flexion" : "rom extension", context.loaded_section,
          dealii::Tensor<1, 3>(), (sign * context.range_of_motion_moment) * lateral);
        const mechanics::Vector *solution = nullptr;
        const mechanics::ContactSolve solve = day.solve(load, solution);
        day.extra_cg_iterations += solve.report.iterations;
        day.extra_newton_iterations += solve.newton_iterations;
        for (unsigned int s = 0; s < model.segments.size(); ++s)
          {
            const auto [rotation, shift] =
              relative_motion(model, context.system, *solution, s, context.segment_reference(s),
                          solve.rest_state);
            rom[s] += std::abs(model.segments[s].disc_frame.vector_to_local(rotation)[0]);
          }
      }
    for (unsigned int s = 0; s < model.segments.size(); ++s)
      table.add(model.segment_column(s, "rom_flexion_extension_deg"), rom[s]);
  }
} // namespace bonefusion::postprocess
