#pragma once
/**
 * @file Load sharing per motion segment: the force and moment each load path carries through
 * the segment's mid-surface (section_resultants.h) — disc, cage, graft, rods and screws,
 * posterior elements with the facet joints, posterolateral graft, ligaments, and any other
 * path a region names — as force along the disc normal [N], moment in the segment's axes
 * [N mm] and the fraction of the applied load, plus the relative error of their sum against
 * the applied load (conservation: it is the solver's residual), and the force through each
 * facet joint's cartilage (facet_left_force_N, facet_right_force_N).
 *
 * In a run over time: the fractions of the first activity's axial force carried by graft and
 * cage, rods and screws, the posterior elements (with the posterolateral graft) and the disc
 * (share_graft_cage_fraction, share_rods_screws_fraction, share_posterior_fraction,
 * share_disc_fraction).
 *
 * For ParaView it adds the cell field load_sharing_cut: s + 1 on the cells just below motion
 * segment s's mid-surface whose faces form its cut (where the shares are measured), 0
 * elsewhere.
 */
#include "postprocess/postprocessor.h"
#include "postprocess/section_resultants.h"

#include <string>
#include <vector>

namespace bonefusion::postprocess
{
  /** Load paths reported, in column order: the standard ones, then any other a region of
   *  `model` names. */
  std::vector<std::string> load_paths(const model::Model &model);

  /** The cells below segment s's cut (model::Model::below_segment). */
  BelowSection below_segment(const model::Model &model, int s);

  /** Resultant of each region (material id) through segment s's cut. Collective. */
  std::map<unsigned int, Resultant> region_resultants(const Context &context,
                                                      const mechanics::Vector &solution, int s);

  /** Region resultants summed per load path, in load_paths(model) order. */
  std::vector<Resultant> by_load_path(const model::Model &model,
                                      const std::map<unsigned int, Resultant> &resultants);

  /** The resultant of each load path of segment s through its mid-surface, in
   *  load_paths(model) order. Collective. */
  std::vector<Resultant> load_path_resultants(const Context &context,
                                              const mechanics::Vector &solution, int s);

  class LoadSharing : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    explicit LoadSharing(const Context &context);
    void evaluate(const SolvedLoad &load, io::StatisticsTable &table) override;
    void evaluate(SolvedDay &day, io::StatisticsTable &table) override;
    void
    add_cell_fields(std::vector<std::pair<std::string, std::vector<float>>> &fields) const override;

  private:
    const Context &context;
    mutable std::vector<float> cut; ///< the cut's cells, made on first use
  };
} // namespace bonefusion::postprocess
