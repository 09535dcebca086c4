#include "postprocess/load_sharing.h"

#include <algorithm>
#include <cmath>

namespace bonefusion::postprocess
{
  std::vector<std::string> load_paths(const model::Model &model)
  {
    std::vector<std::string> paths = {
      "disc", "cage", "graft", "rods_screws", "posterior", "posterolateral_graft", "ligaments"};
    for (const model::Region &r : model.regions.all())
      if (!r.load_path.empty() && std::find(paths.begin(), paths.end(), r.load_path) == paths.end())
        paths.push_back(r.load_path);
    return paths;
  }

  BelowSection below_segment(const model::Model &model, const int s)
  {
    return [&model, s](const mechanics::CellIterator &cell) {
      return model.below_segment(s, cell->material_id(), cell->center());
    };
  }

  std::map<unsigned int, Resultant> region_resultants(const Context &context,
                                                      const mechanics::Vector &solution,
                                                      const int s)
  {
    const model::Model &model = context.model;
    return section_resultants(context.system, solution, model.segments.at(s).disc_frame,
                              context.segment_reference(s), below_segment(model, s),
                              context.finite_strain);
  }

  std::vector<Resultant> by_load_path(const model::Model &model,
                                      const std::map<unsigned int, Resultant> &resultants)
  {
    const std::vector<std::string> paths = load_paths(model);
    std::vector<Resultant> result(paths.size());
    for (unsigned int k = 0; k < paths.size(); ++k)
      for (const model::Region &r : model.regions.all())
        if (r.load_path == paths[k])
          {
            const auto it = resultants.find(r.id);
            if (it != resultants.end())
              {
                result[k].force += it->second.force;
                result[k].moment += it->second.moment;
              }
          }
    return result;
  }

  std::vector<Resultant> load_path_resultants(const Context &context,
                                              const mechanics::Vector &solution, const int s)
  {
    return by_load_path(context.model, region_resultants(context, solution, s));
  }

  LoadSharing::LoadSharing(const Context &c)
    : context(c)
  {
  }

  void LoadSharing::evaluate(const SolvedLoad &result, io::StatisticsTable &table)
  {
    const model::Model &model = context.model;
    const loads::AppliedLoad &load = result.load;
    const double length_scale = std::sqrt(context.loaded_section.area);
    const std::vector<std::string> paths = load_paths(model);
    for (unsigned int s = 0; s < model.segments.size(); ++s)
      {
        const model::Frame &frame = model.segments[s].disc_frame;
        const auto column = [&](const std::string &name) { return model.segment_column(s, name); };
        const std::map<unsigned int, Resultant> regions =
          region_resultants(context, result.solution, s);
        const std::vector<Resultant> parts = by_load_path(model, regions);
        // The applied load as it acts about this segment's reference point.
        const loads::PlaneSection &section = context.loaded_section;
        const dealii::Point<3> centroid(section.cx, section.cy, section.z);
        dealii::Tensor<1, 3> applied_force = load.force;
        dealii::Tensor<1, 3> applied_moment =
          load.moment +
          dealii::cross_product_3d(centroid - context.segment_reference(s), load.force);
        // A follower load along the column: the forces on the vertebrae above this disc.
        for (const loads::VertebraForce &f : load.vertebra_forces)
          if (model.vertebra_above_segment(f.body, s))
            {
              applied_force += f.force;
              applied_moment +=
                dealii::cross_product_3d(f.point - context.segment_reference(s), f.force);
            }
        Resultant total;
        for (unsigned int k = 0; k < paths.size(); ++k)
          {
            const Resultant &r = parts[k];
            total.force += r.force;
            total.moment += r.moment;
            const dealii::Tensor<1, 3> moment = frame.vector_to_local(r.moment);
            table.add(column("share_" + paths[k] + "_force_z_N"), r.force * frame.superior);
            table.add(column("share_" + paths[k] + "_moment_x_Nmm"), moment[0]);
            table.add(column("share_" + paths[k] + "_moment_y_Nmm"), moment[1]);
            table.add(column("share_" + paths[k] + "_moment_z_Nmm"), moment[2]);
            // Fraction of the primary load: moment about the load axis, or axial force.
            const double fraction =
              load.primary_axis.norm() > 0 ?
                (r.moment * load.primary_axis) / (applied_moment * load.primary_axis) :
                (r.force * frame.superior) / (applied_force * frame.superior);
            table.add(column("share_" + paths[k] + "_fraction"), fraction);
          }
        const double error = ((total.force - applied_force).norm() * length_scale +
                              (total.moment - applied_moment).norm()) /
                             (applied_force.norm() * length_scale + applied_moment.norm());
        table.add(column("load_sharing_relative_error"), error);
        // Force through each facet joint's cartilage where the cut crosses it (0 once the
        // joint is resected).
        for (const model::FacetJoint &joint : model.facet_joints)
          if (joint.segment == static_cast<int>(s))
            {
              const auto it = regions.find(joint.region);
              table.add(column("facet_" + model::side_name(joint.side) + "_force_N"),
                        it == regions.end() ? 0.0 : it->second.force.norm());
            }
      }
  }

  void LoadSharing::evaluate(SolvedDay &day, io::StatisticsTable &table)
  {
    const model::Model &model = context.model;
    const ActivityResult &first = day.activities.front();
    const std::vector<std::string> paths = load_paths(model);
    const std::vector<std::pair<std::string, std::vector<std::string>>> groups = {
      {"graft_cage", {"graft", "cage"}},
      {"rods_screws", {"rods_screws"}},
      {"posterior", {"posterior", "posterolateral_graft"}},
      {"disc", {"disc"}},
      {"ligaments", {"ligaments"}}}; // with the four above, the whole cut: the shares sum to 1
    for (unsigned int s = 0; s < model.segments.size(); ++s)
      {
        const dealii::Tensor<1, 3> &n = model.segments[s].disc_frame.superior;
        const std::vector<Resultant> parts = load_path_resultants(context, *first.solution, s);
        const double axial = first.load.force * n;
        for (const auto &[group, members] : groups)
          {
            double force = 0;
            for (unsigned int k = 0; k < paths.size(); ++k)
              if (std::find(members.begin(), members.end(), paths[k]) != members.end())
                force += parts[k].force * n;
            table.add(model.segment_column(s, "share_" + group + "_fraction"),
                      axial != 0 ? force / axial : std::nan(""));
          }
      }
  }

  void LoadSharing::add_cell_fields(
    std::vector<std::pair<std::string, std::vector<float>>> &fields) const
  {
    if (cut.empty())
      {
        cut.assign(context.system.dofs().get_triangulation().n_active_cells(), 0.0f);
        std::vector<BelowSection> below;
        for (unsigned int s = 0; s < context.model.segments.size(); ++s)
          below.push_back(below_segment(context.model, s));
        for (const auto &cell : context.system.dofs().active_cell_iterators())
          if (cell->is_locally_owned())
            for (unsigned int s = 0; s < below.size(); ++s)
              if (on_cut(cell, context.model.segments[s].disc_frame, below[s]))
                cut[cell->active_cell_index()] = s + 1;
      }
    fields.emplace_back("load_sharing_cut", cut);
  }
} // namespace bonefusion::postprocess
