#include "postprocess/follow_ups.h"

#include <deal.II/base/mpi.h>

#include <cmath>
#include <fstream>

namespace bonefusion::postprocess
{
  FollowUps::FollowUps(const Context &c)
    : context(c)
  {
  }

  double FollowUps::time_to_fusion(const io::StatisticsTable &table, const std::string &column,
                                   const double threshold)
  {
    // Where the bridged fraction exceeds the threshold for good (the last upward crossing, so
    // that an early transient does not count), interpolated linearly between the steps
    // around it.
    double day = std::nan("");
    for (unsigned int r = 0; r < table.n_rows(); ++r)
      {
        const double b = table.value(r, column);
        if (!(b > threshold))
          day = std::nan("");
        else if (std::isnan(day))
          {
            if (r == 0)
              day = 0;
            else
              {
                const double b0 = table.value(r - 1, column);
                const double t0 = table.value(r - 1, "time_days"), t1 = table.value(r, "time_days");
                day = t0 + (threshold - b0) / (b - b0) * (t1 - t0);
              }
          }
      }
    return day;
  }

  void FollowUps::finish(const io::StatisticsTable &table,
                         std::map<std::string, std::string> &metadata)
  {
    static const char *const grade_names[] = {
      "", "I: continuous bridging bone (fused)", "II: bridging below the threshold",
      "III: bone attached to one endplate only", "IV: no bone bridging (not fused)"};
    const model::Model &model = context.model;
    const double threshold = context.fusion_bridging_threshold;
    const bool root = dealii::Utilities::MPI::this_mpi_process(context.system.communicator()) == 0;
    const bool several = model.segments.size() > 1;
    std::ofstream out;
    if (root)
      {
        out.open(context.output_directory + "/follow_ups.csv");
        out << (several ? "segment," : "")
            << "day,months,fusion_grade,grade_description,graft_bridging_fraction,"
               "graft_bone_fraction,graft_mean_modulus_MPa,rom_flexion_extension_deg,"
               "share_graft_cage_fraction,share_rods_screws_fraction,"
               "density_change_near_screws_percent\n";
      }
    for (unsigned int s = 0; s < model.segments.size(); ++s)
      {
        const auto column = [&](const std::string &name) { return model.segment_column(s, name); };
        const std::string segment = several ? model.segments[s].name + " " : "";
        for (unsigned int r = 0; r < table.n_rows(); ++r)
          if (table.load_case(r) == "follow-up")
            {
              const double day = table.value(r, "time_days");
              const double grade = table.value(r, column("fusion_grade"));
              if (root)
                out << (several ? model.segments[s].name + "," : "") << day << ',' << day / 30.44
                    << ',' << grade << ",\""
                    << (std::isfinite(grade) ? grade_names[static_cast<int>(grade)] : "no graft")
                    << "\"," << table.value(r, column("graft_bridging_fraction")) << ','
                    << table.value(r, column("graft_bone_fraction")) << ','
                    << table.value(r, column("graft_mean_modulus_MPa")) << ','
                    << table.value(r, column("rom_flexion_extension_deg")) << ','
                    << table.value(r, column("share_graft_cage_fraction")) << ','
                    << table.value(r, column("share_rods_screws_fraction")) << ','
                    << table.value(r, "density_change_near_screws_percent") << '\n';
              if (context.log)
                *context.log << "Follow-up day " << day << ": " << segment << "grade "
                             << (std::isfinite(grade) ? grade_names[static_cast<int>(grade)] : "-")
                             << ", bridged " << table.value(r, column("graft_bridging_fraction"))
                             << ", ROM F/E " << table.value(r, column("rom_flexion_extension_deg"))
                             << " deg" << std::endl;
            }
        bool has_graft = !several;
        for (unsigned int r = 0; r < table.n_rows(); ++r)
          has_graft = has_graft || std::isfinite(table.value(r, column("graft_mean_modulus_MPa")));
        if (!has_graft)
          {
            // A free level of a column (above or below a fusion): nothing to fuse.
            metadata[column("time_to_fusion_days")] = "no graft";
            if (context.log)
              *context.log << "Time to fusion at " << model.segments[s].name
                           << ": no graft at this level" << std::endl;
            continue;
          }
        const double fusion = time_to_fusion(table, column("graft_bridging_fraction"), threshold);
        metadata[column("time_to_fusion_days")] =
          std::isfinite(fusion) ? std::to_string(fusion) : "not reached";
        if (context.log)
          *context.log << "Time to fusion" << (several ? " at " + model.segments[s].name : "")
                       << " (bridged fraction > " << threshold << "): "
                       << (std::isfinite(fusion) ? std::to_string(fusion) + " days" :
                                                   std::string("not reached"))
                       << std::endl;
      }
  }
} // namespace bonefusion::postprocess
