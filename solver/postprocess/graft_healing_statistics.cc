#include "postprocess/graft_healing_statistics.h"

#include <deal.II/base/mpi.h>

#include "adaptation/graft_tissue.h"
#include "postprocess/fusion_grade.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace bonefusion::postprocess
{
  GraftHealingStatistics::GraftHealingStatistics(const Context &c)
    : context(c)
  {
    if (!context.grafts)
      throw std::logic_error("the graft healing statistics need a run over time");
  }

  void GraftHealingStatistics::evaluate(SolvedDay &day, io::StatisticsTable &table)
  {
    const model::Model &model = context.model;
    const adaptation::GraftTissue &grafts = *context.grafts;
    const auto &tria = context.system.dofs().get_triangulation();
    const MPI_Comm mpi = context.system.communicator();
    // The day's largest octahedral shear strain of a cell (what the differentiation sees).
    const auto peak_strain = [&](const unsigned int i) {
      double g = 0;
      for (const ActivityResult &r : day.activities)
        g = std::max(g, r.cells[i].octahedral_shear_strain);
      return g;
    };
    for (unsigned int s = 0; s < model.segments.size(); ++s)
      {
        // Interbody graft: volume, modulus, bone, strain; posterolateral graft: volume, bone,
        // strain; healing gaps of the interbody [0..2] and the posterolateral graft [3..5]:
        // gap volume, its bone and its strain.
        double volume = 0, modulus = 0, bone = 0, pl_volume = 0, pl_bone = 0, strain = 0,
               pl_strain = 0;
        std::array<double, 6> gap = {};
        for (const auto &cell : tria.active_cell_iterators())
          if (cell->is_locally_owned())
            {
              const model::Region &r = model.regions[cell->material_id()];
              if (r.segment != static_cast<int>(s) || !model::is_graft(r.tissue))
                continue;
              const unsigned int i = cell->active_cell_index();
              const double v = cell->measure();
              const double phi = grafts.gap_fraction(i);
              if (phi > 0)
                {
                  const unsigned int k = r.tissue == model::Tissue::graft ? 0 : 3;
                  const adaptation::GraftState gap_state = grafts.gap_state(i);
                  const double v_gap = v * phi;
                  const double amplification = grafts.modulus(i) / grafts.modulus_of(gap_state);
                  gap[k] += v_gap;
                  gap[k + 1] += v_gap * adaptation::GraftHealing::bone_fraction(gap_state);
                  gap[k + 2] += v_gap * amplification * peak_strain(i);
                }
              if (r.tissue == model::Tissue::graft)
                {
                  volume += v;
                  modulus += v * grafts.modulus(i);
                  bone += v * grafts.bone_fraction(i);
                  strain += v * peak_strain(i);
                }
              else
                {
                  pl_volume += v;
                  pl_bone += v * grafts.bone_fraction(i);
                  pl_strain += v * peak_strain(i);
                }
            }
        std::vector<double> sums = {volume, modulus, bone, pl_volume, pl_bone, strain, pl_strain};
        sums.insert(sums.end(), gap.begin(), gap.end());
        dealii::Utilities::MPI::sum(sums, mpi, sums);
        const double nan = std::nan("");
        const auto column = [&](const std::string &name) { return model.segment_column(s, name); };
        table.add(column("graft_mean_modulus_MPa"), sums[0] > 0 ? sums[1] / sums[0] : nan);
        table.add(column("graft_bone_fraction"), sums[0] > 0 ? sums[2] / sums[0] : nan);
        const GraftBridging bridging =
          graft_bridging(model, tria, grafts, s, context.bone_fraction_bridged,
                         context.fusion_bridging_threshold, mpi);
        table.add(column("graft_bridging_fraction"), sums[0] > 0 ? bridging.bridged : nan);
        table.add(column("graft_attached_fraction"), sums[0] > 0 ? bridging.attached : nan);
        table.add(column("fusion_grade"), sums[0] > 0 ? bridging.grade : nan);
        table.add(column("graft_mean_octahedral_shear_strain"),
                  sums[0] > 0 ? sums[5] / sums[0] : nan);
        table.add(column("posterolateral_graft_bone_fraction"),
                  sums[3] > 0 ? sums[4] / sums[3] : nan);
        table.add(column("posterolateral_graft_mean_octahedral_shear_strain"),
                  sums[3] > 0 ? sums[6] / sums[3] : nan);
        // The healing gaps: bone fraction of the gap tissue and the day's largest octahedral
        // shear strain in it (what its differentiation sees); NaN without a gap.
        for (const auto &[name, k] : {std::pair<std::string, unsigned int>{"graft_junction", 7},
                                      {"posterolateral_graft_junction", 10}})
          {
            table.add(column(name + "_bone_fraction"), sums[k] > 0 ? sums[k + 1] / sums[k] : nan);
            table.add(column(name + "_mean_octahedral_shear_strain"),
                      sums[k] > 0 ? sums[k + 2] / sums[k] : nan);
          }
      }
  }
} // namespace bonefusion::postprocess
