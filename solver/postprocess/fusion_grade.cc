#include "postprocess/fusion_grade.h"

#include <deal.II/base/mpi.h>
#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <vector>

namespace bonefusion::postprocess
{
  GraftBridging graft_bridging(const model::Model &model, const dealii::Triangulation<3> &tria,
                               const adaptation::GraftTissue &grafts, const int s,
                               const double bone_fraction, const double threshold, MPI_Comm mpi)
  {
    const model::Frame &frame = model.segments.at(s).disc_frame;
    // Position in the disc's frame and bone fraction of each of the segment's graft cells.
    std::vector<std::array<double, 4>> mine;
    double h = 0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const model::Region &r = model.regions[cell->material_id()];
          if (r.tissue != model::Tissue::graft || r.segment != s)
            continue;
          const dealii::Point<3> c = frame.to_local(cell->center());
          mine.push_back(
            {{c[0], c[1], c[2], grafts.bridging_bone_fraction(cell->active_cell_index())}});
          h = std::max(h, cell->extent_in_direction(0));
        }
    h = dealii::Utilities::MPI::max(h, mpi);
    GraftBridging result;
    if (h == 0)
      return result;
    result.has_graft = true;
    std::map<std::pair<long, long>, std::vector<std::pair<double, double>>> columns;
    for (const auto &part : dealii::Utilities::MPI::all_gather(mpi, mine))
      for (const auto &p : part)
        columns[{std::lround(p[0] / h), std::lround(p[1] / h)}].emplace_back(p[2], p[3]);
    unsigned long bridged = 0, attached = 0;
    for (auto &[key, cells] : columns)
      {
        std::sort(cells.begin(), cells.end());
        const bool all_bone = std::all_of(cells.begin(), cells.end(),
                                          [&](const auto &c) { return c.second > bone_fraction; });
        bridged += all_bone;
        attached += cells.front().second > bone_fraction || cells.back().second > bone_fraction;
      }
    result.bridged = static_cast<double>(bridged) / columns.size();
    result.attached = static_cast<double>(attached) / columns.size();
    result.grade = result.bridged > threshold ? 1 : bridged > 0 ? 2 : attached > 0 ? 3 : 4;
    return result;
  }
} // namespace bonefusion::postprocess
