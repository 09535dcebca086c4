#include "meshing/boundary_fitting.h"

#include <deal.II/base/tensor.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <map>
#include <set>
#include <cmath>
#include <stdexcept>
#include <string>

namespace bonefusion::meshing
{
  namespace
  {
    using dealii::types::material_id;

    /** Region of each of the eight voxels around a node (0 = outside), indexed by octant:
     *  bit d set = the voxel lies on the + side of the node along axis d. */
    using Octants = std::array<material_id, 8>;

    material_id region_at(const PointClassifier &classify, const dealii::Point<3> &p)
    {
      const auto r = classify(p);
      return r ? *r : 0;
    }

    /** Where the region changes on the segment from a (in region `from`) to b: bisection to
     *  1/1024 of the segment, far below the discretization error of any h. */
    dealii::Point<3> crossing(const PointClassifier &classify, const dealii::Point<3> &a,
                              const dealii::Point<3> &b, const material_id from)
    {
      double lo = 0, hi = 1;
      for (unsigned int step = 0; step < 10; ++step)
        {
          const double mid = 0.5 * (lo + hi);
          (region_at(classify, a + mid * (b - a)) == from ? lo : hi) = mid;
        }
      return a + 0.5 * (lo + hi) * (b - a);
    }

    /** A point where the region changes and the surface's unit normal there. */
    struct SurfaceSample
    {
      dealii::Point<3> point;
      dealii::Tensor<1, 3> normal; // from the lower octant's region to the upper's
      bool has_normal = false;
    };

    /**
     * The crossing on the segment a -> b (regions `from` -> `to`, along grid axis d) and the
     * normal of the surface there: the classifier only tells regions apart, so the normal is
     * that of the plane through this crossing and those on two parallel segments shifted
     * across it. A segment nearly tangent to the surface may leave it when shifted, so the
     * shift shrinks from 0.15 to 0.005 of the segment's length; where even the smallest
     * shifted segment does not cross from `from` to `to` (an edge, a thin feature), the sample
     * has no normal.
     */
    SurfaceSample sample(const PointClassifier &classify, const dealii::Point<3> &a,
                         const dealii::Point<3> &b, const unsigned int d, const material_id from,
                         const material_id to)
    {
      SurfaceSample s{crossing(classify, a, b, from), {}, false};
      const double length = (b - a).norm();
      dealii::Tensor<1, 3> tangent[2];
      for (unsigned int k = 0; k < 2; ++k)
        {
          const unsigned int e = (d + 1 + k) % 3;
          bool found = false;
          for (const double fraction : {0.15, 0.05, 0.015, 0.005})
            {
              for (const double sign : {1.0, -1.0})
                {
                  dealii::Tensor<1, 3> offset;
                  offset[e] = sign * fraction * length;
                  if (region_at(classify, a + offset) != from ||
                      region_at(classify, b + offset) != to)
                    continue;
                  tangent[k] = sign * (crossing(classify, a + offset, b + offset, from) - s.point);
                  found = true;
                  break;
                }
              if (found)
                break;
            }
          if (!found)
            return s;
        }
      dealii::Tensor<1, 3> n = dealii::cross_product_3d(tangent[0], tangent[1]);
      if (n * (b - a) < 0)
        n = -n;
      if (n.norm() > 0)
        s.normal = n / n.norm(), s.has_normal = true;
      return s;
    }

    /**
     * Where a node whose eight voxels are not all of one region goes: the point that best
     * fits the tangent planes at the region changes on the edges of its dual cube (the cube
     * through the centres of its voxels), "dual contouring" (Ju et al. 2002). On a smooth
     * surface the planes are nearly parallel and only their common normal is kept: the node
     * goes to the mean of the crossings and then along that normal onto the surface. Where
     * two or three surfaces meet at an angle (the rim of a rod's end, the edge of a facet)
     * the planes fix the point on the edge or corner, so sharp features stay sharp.
     */
    struct SurfaceNode
    {
      dealii::Point<3> point;
      dealii::Tensor<1, 3> normal; ///< unit, from region `below` to `above`; smooth nodes only
      material_id below = 0, above = 0;
      bool smooth = false; ///< on one smooth surface between two regions (not an edge)
    };

    SurfaceNode surface_point(const PointClassifier &classify, const double h,
                              const dealii::Point<3> &node, const Octants &regions)
    {
      const auto centre = [&](const unsigned int octant) {
        dealii::Point<3> c = node;
        for (unsigned int d = 0; d < 3; ++d)
          c[d] += ((octant >> d) & 1 ? 0.5 : -0.5) * h;
        return c;
      };
      std::vector<SurfaceSample> samples;
      dealii::Point<3> mean;
      for (unsigned int d = 0; d < 3; ++d)
        for (unsigned int o = 0; o < 8; ++o)
          if (!((o >> d) & 1) && regions[o] != regions[o | (1u << d)])
            {
              samples.push_back(sample(classify, centre(o), centre(o | (1u << d)), d, regions[o],
                                       regions[o | (1u << d)]));
              mean += samples.back().point;
            }
      mean /= static_cast<double>(samples.size());

      Eigen::Matrix3d normal_matrix = Eigen::Matrix3d::Zero();
      Eigen::Vector3d rhs = Eigen::Vector3d::Zero();
      const SurfaceSample *oriented = nullptr;
      for (const SurfaceSample &s : samples)
        if (s.has_normal)
        {
          oriented = &s;
          const Eigen::Vector3d n(s.normal[0], s.normal[1], s.normal[2]);
          normal_matrix += n * n.transpose();
          rhs += n * (s.normal * (s.point - mean));
        }
      const Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eigen(normal_matrix);
      const Eigen::Vector3d lambda = eigen.eigenvalues(); // ascending
      Eigen::Vector3d shift = Eigen::Vector3d::Zero();
      unsigned int rank = 0;
      for (unsigned int k = 0; k < 3; ++k)
        if (lambda[2] > 0 && lambda[k] > 0.1 * lambda[2])
          {
            const Eigen::Vector3d v = eigen.eigenvectors().col(k);
            shift += v * (v.dot(rhs) / lambda[k]);
            ++rank;
          }
      dealii::Point<3> x = mean + dealii::Tensor<1, 3>({shift[0], shift[1], shift[2]});
      for (unsigned int d = 0; d < 3; ++d)
        if (std::abs(x[d] - node[d]) > 0.75 * h) // the planes' corner lies far off: keep the mean
          x = mean;

      SurfaceNode result{x, {}, 0, 0, false};
      if (rank == 1 && oriented != nullptr)
        {
          // One smooth surface between two regions: onto it along its normal.
          const Eigen::Vector3d v = eigen.eigenvectors().col(2);
          dealii::Tensor<1, 3> n({v[0], v[1], v[2]});
          if (n * oriented->normal < 0)
            n = -n;
          const dealii::Point<3> from = x - 0.5 * h * n, to = x + 0.5 * h * n;
          const material_id below = region_at(classify, from), above = region_at(classify, to);
          if (below != above && below == region_at(classify, oriented->point - 1e-3 * h * n) &&
              above == region_at(classify, oriented->point + 1e-3 * h * n))
            result = {crossing(classify, from, to, below), n, below, above, true};
        }
      return result;
    }

    /** The point where the region changes from `below` to `above` on the line through p
     *  along n (unit), within half a voxel of p, or p itself if the line does not cross there. */
    dealii::Point<3> onto_surface(const PointClassifier &classify, const double h,
                                  const dealii::Point<3> &p, const SurfaceNode &node)
    {
      const dealii::Point<3> from = p - 0.5 * h * node.normal, to = p + 0.5 * h * node.normal;
      if (region_at(classify, from) != node.below || region_at(classify, to) != node.above)
        return p;
      return crossing(classify, from, to, node.below);
    }

    /** Face-connected groups of equal regions among the eight octants of a node: every
     *  octant gets the smallest octant index of its group. */
    std::array<std::uint8_t, 8> octant_groups(const Octants &regions)
    {
      std::array<std::uint8_t, 8> g;
      for (unsigned int o = 0; o < 8; ++o)
        g[o] = static_cast<std::uint8_t>(o);
      for (bool changed = true; changed;)
        {
          changed = false;
          for (unsigned int o = 0; o < 8; ++o)
            for (unsigned int d = 0; d < 3; ++d)
              {
                const unsigned int p = o ^ (1u << d);
                if (regions[o] == regions[p] && g[p] < g[o])
                  g[o] = g[p], changed = true;
              }
        }
      return g;
    }

    /** Along each axis, the side (+1, -1) that the surface faces of a group at a node face
     *  away from, 0 where they face both ways (a twisted group). */
    std::array<int, 3> inward_sides(const std::array<std::uint8_t, 8> &g, const std::uint8_t key,
                                    bool &twisted)
    {
      std::array<int, 3> side{{0, 0, 0}};
      twisted = false;
      for (unsigned int o = 0; o < 8; ++o)
        if (g[o] == key)
          for (unsigned int d = 0; d < 3; ++d)
            if (g[o ^ (1u << d)] != key)
              {
                const int inward = (o >> d) & 1 ? 1 : -1;
                if (side[d] != 0 && side[d] != inward)
                  twisted = true;
                side[d] = side[d] != 0 && side[d] != inward ? 2 : inward;
              }
      for (int &s : side)
        if (s == 2)
          s = 0;
      return side;
    }

    /** The region whose surface at a node no single copy per group can pillow (a region in
     *  two groups, touching itself along an edge or at the node, or a twisted group), or -1. */
    int unpillowable_region(const Octants &regions)
    {
      const auto g = octant_groups(regions);
      for (unsigned int o = 0; o < 8; ++o)
        {
          for (unsigned int p = 0; p < 8; ++p)
            if (regions[o] == regions[p] && g[o] != g[p])
              return regions[o];
          bool twisted = false;
          if (regions[o] != 0 && g[o] == o)
            {
              inward_sides(g, g[o], twisted);
              if (twisted)
                return regions[o];
            }
        }
      return -1;
    }

    /**
     * Relabels voxels until every node's surface can be pillowed (or eight passes are
     * done), in two ways. At each node where a region touches itself only along an edge or at the node,
     * or twists, the voxel around the node that shares the most faces there with that region
     * joins it (a voxel of the outside becomes a new cell). This fills the notches of layers
     * about one voxel thick drawn oblique to the grid; it changes the geometry by one voxel
     * there, no more than the staircase does. A voxel never changes to a group that would
     * then share a node with a group it shares none with in the voxels as drawn: the bones
     * of two vertebrae, drawn apart across their cartilage, must not be glued together by a
     * relabelled voxel (that locked facet joints of the fitted column, docs/model.md). Such
     * a node keeps its notch and stays on the grid. Returns the number of voxels relabelled.
     */
    unsigned long relabel_unpillowable(std::vector<dealii::CellData<3>> &cells,
                                       std::vector<dealii::Point<3>> &vertices, const double h,
                                       const std::function<material_id(material_id)> &group)
    {
      using Key = std::array<long, 3>;
      const auto grid = [&](const dealii::Point<3> &x) {
        return Key{{std::lround(x[0] / h), std::lround(x[1] / h), std::lround(x[2] / h)}};
      };
      std::map<Key, unsigned int> vertex_at, cell_at; // cell_at: by its vertex 0
      for (std::size_t i = 0; i < vertices.size(); ++i)
        vertex_at[grid(vertices[i])] = static_cast<unsigned int>(i);
      for (std::size_t c = 0; c < cells.size(); ++c)
        cell_at[grid(vertices[cells[c].vertices[0]])] = static_cast<unsigned int>(c);

      // Regions here are groups (the surfaces fitted are between groups).
      const auto region_of_voxel = [&](const Key &k) -> material_id {
        const auto it = cell_at.find(k);
        return it == cell_at.end() ? 0 : group(cells[it->second].material_id);
      };
      // A voxel that joins a group takes the material of a face neighbour in it.
      const auto material_in = [&](const Key &voxel, const material_id g) -> material_id {
        for (unsigned int f = 0; f < 6; ++f)
          {
            Key k = voxel;
            k[f / 2] += f % 2 ? 1 : -1;
            const auto it = cell_at.find(k);
            if (it != cell_at.end() && group(cells[it->second].material_id) == g)
              return cells[it->second].material_id;
          }
        return g;
      };
      // The voxel in octant o of a node: its lower corner is the node - 1 + the octant's bits.
      const auto voxel_around = [](const Key &node, const unsigned int o) {
        return Key{{node[0] - 1 + (o & 1), node[1] - 1 + ((o >> 1) & 1),
                    node[2] - 1 + ((o >> 2) & 1)}};
      };
      // The group of a voxel once the changes `pending` (voxel -> group) are made.
      using Changes = std::map<Key, material_id>;
      const Changes none;
      const auto group_after = [&](const Key &voxel, const Changes &pending) {
        const auto changed = pending.find(voxel);
        return changed != pending.end() ? changed->second : region_of_voxel(voxel);
      };
      const auto octants_at = [&](const Key &node, const Changes &pending) {
        Octants r;
        for (unsigned int o = 0; o < 8; ++o)
          r[o] = group_after(voxel_around(node, o), pending);
        return r;
      };

      // The pairs of groups that share a node as drawn; relabelling adds no other pair.
      std::set<std::pair<material_id, material_id>> touching;
      for (const auto &[node, index] : vertex_at)
        {
          (void)index;
          const Octants r = octants_at(node, none);
          for (unsigned int o = 0; o < 8; ++o)
            for (unsigned int p = 0; p < 8; ++p)
              if (r[o] != 0 && r[p] != 0 && r[o] != r[p])
                touching.emplace(r[o], r[p]);
        }
      // Whether `voxel` in group `to` would share a node with a group that `to` touches
      // nowhere, `pending` being this pass' changes so far.
      const auto joins_strangers = [&](const Key &voxel, const material_id to,
                                       const Changes &pending) {
        if (to == 0)
          return false;
        for (int i = -1; i <= 1; ++i)
          for (int j = -1; j <= 1; ++j)
            for (int k = -1; k <= 1; ++k)
              {
                const Key other{{voxel[0] + i, voxel[1] + j, voxel[2] + k}};
                if (other == voxel)
                  continue;
                const material_id g = group_after(other, pending);
                if (g != 0 && g != to && !touching.count({to, g}))
                  return true;
              }
        return false;
      };

      unsigned long relabelled = 0;
      std::vector<char> removed(cells.size(), 0);
      const auto apply = [&](const Changes &changes) {
          for (const auto &[voxel, to_group] : changes)
            {
              const material_id region = to_group == 0 ? 0 : material_in(voxel, to_group);
              ++relabelled;
              const auto it = cell_at.find(voxel);
              if (it != cell_at.end())
                {
                  if (region == 0)
                    removed[it->second] = 1, cell_at.erase(it);
                  else
                    cells[it->second].material_id = region;
                  continue;
                }
              if (region == 0)
                continue;
              dealii::CellData<3> cell;
              cell.material_id = region;
              for (unsigned int v = 0; v < 8; ++v)
                {
                  const Key node{{voxel[0] + (v & 1), voxel[1] + ((v >> 1) & 1),
                                  voxel[2] + ((v >> 2) & 1)}};
                  const auto [at, inserted] =
                    vertex_at.emplace(node, static_cast<unsigned int>(vertices.size()));
                  if (inserted)
                    vertices.emplace_back(node[0] * h, node[1] * h, node[2] * h);
                  cell.vertices[v] = at->second;
                }
              cell_at[voxel] = static_cast<unsigned int>(cells.size());
              cells.push_back(cell);
              removed.push_back(0);
            }
      };

      std::set<Key> eroded; // erosion changes a voxel once, so it cannot cycle
      for (unsigned int pass = 0; pass < 40; ++pass)
        {
          const bool fill = pass < 8;
          Changes changes; // voxel (lower corner) -> new region
          for (const auto &[node, index] : vertex_at)
            {
              (void)index;
              const Octants r = octants_at(node, none);
              const int found = unpillowable_region(r);
              if (found < 0)
                continue;
              const material_id problem = static_cast<material_id>(found);
              // First passes: the voxel of another region with the most faces on the
              // problem region's voxels around this node joins it (ties: the lowest
              // octant). Where that cycles, later passes take the problem region's voxel
              // with the fewest such faces away, to the region most of its faces touch.
              // Erosion never turns the outside into a region, so it cannot cycle with
              // itself: where the outside is the problem, a voxel of a region goes instead.
              unsigned int best = 8, best_faces = fill ? 0 : 4;
              const auto voxel_of = [&](const unsigned int o) { return voxel_around(node, o); };
              for (unsigned int o = 0; o < 8; ++o)
                if (fill ? r[o] != problem && !joins_strangers(voxel_of(o), problem, changes) :
                           (problem != 0 ? r[o] == problem : r[o] != 0) && !eroded.count(voxel_of(o)))
                  {
                    unsigned int faces = 0;
                    for (unsigned int d = 0; d < 3; ++d)
                      faces += r[o ^ (1u << d)] == r[o];
                    if (fill) // faces on the problem region
                      {
                        faces = 0;
                        for (unsigned int d = 0; d < 3; ++d)
                          faces += r[o ^ (1u << d)] == problem;
                      }
                    if (fill ? faces > best_faces : faces < best_faces)
                      best = o, best_faces = faces;
                  }
              if (best == 8)
                continue;
              material_id to = static_cast<material_id>(problem);
              if (!fill)
                {
                  // To the region most of its faces here touch, the outside on ties.
                  std::map<material_id, unsigned int> count;
                  for (unsigned int d = 0; d < 3; ++d)
                    if (r[best ^ (1u << d)] != r[best])
                      ++count[r[best ^ (1u << d)]];
                  unsigned int most = 0;
                  to = 0;
                  for (const auto &[region, n] : count)
                    if (n > most)
                      to = region, most = n;
                  if (joins_strangers(voxel_of(best), to, changes))
                    to = 0; // the outside instead
                }
              changes.emplace(voxel_of(best), to);
              if (!fill)
                eroded.insert(voxel_of(best));
            }
          if (changes.empty())
            break;
          apply(changes);
        }
      // Fill and erosion can run out of moves where three groups meet in a checkerboard (the
      // rim of a nucleus against a concave endplate, both oblique to the grid): every voxel
      // there was eroded once, and filling one voxel leaves a group twisted. There the fewest
      // voxel changes (up to four, each voxel taking a group already among them) are searched
      // among the voxels around an unpillowable node and its unpillowable neighbours, such
      // that fewer nodes around them are unpillowable and no group joins a stranger. Every
      // repair lessens the number of unpillowable nodes, so the rounds end.
      const auto is_unpillowable = [&](const Key &node, const Changes &pending) {
        return unpillowable_region(octants_at(node, pending)) >= 0;
      };
      for (unsigned int round = 0; round < 8; ++round)
        {
          std::vector<Key> stuck;
          for (const auto &[node, index] : vertex_at)
            if ((void)index, is_unpillowable(node, none))
              stuck.push_back(node);
          bool repaired = false;
          for (const Key &node : stuck)
            {
              if (!is_unpillowable(node, none)) // mended by an earlier repair
                continue;
              std::set<Key> cluster{node}, voxels, watched;
              for (int i = -1; i <= 1; ++i)
                for (int j = -1; j <= 1; ++j)
                  for (int k = -1; k <= 1; ++k)
                    {
                      const Key n{{node[0] + i, node[1] + j, node[2] + k}};
                      if (is_unpillowable(n, none))
                        cluster.insert(n);
                    }
              for (const Key &n : cluster)
                for (unsigned int o = 0; o < 8; ++o)
                  voxels.insert(voxel_around(n, o));
              std::vector<material_id> present;
              for (const Key &v : voxels)
                {
                  present.push_back(region_of_voxel(v));
                  for (unsigned int corner = 0; corner < 8; ++corner) // nodes a change touches
                    watched.insert(Key{{v[0] + (corner & 1), v[1] + ((corner >> 1) & 1),
                                        v[2] + ((corner >> 2) & 1)}});
                }
              std::sort(present.begin(), present.end());
              present.erase(std::unique(present.begin(), present.end()), present.end());
              const std::vector<Key> candidates(voxels.begin(), voxels.end());
              const auto unpillowable_watched = [&](const Changes &pending) {
                unsigned int count = 0;
                for (const Key &n : watched)
                  count += is_unpillowable(n, pending);
                return count;
              };
              unsigned int best_count = unpillowable_watched(none);
              std::optional<Changes> best;
              // Depth-first over sets of `n_changes` voxels, each given another group.
              Changes pending;
              std::function<void(std::size_t, unsigned int)> search =
                [&](const std::size_t from, const unsigned int left) {
                  if (left == 0)
                    {
                      for (const auto &[voxel, to] : pending)
                        if (joins_strangers(voxel, to, pending))
                          return;
                      const unsigned int count = unpillowable_watched(pending);
                      if (count < best_count)
                        best = pending, best_count = count;
                      return;
                    }
                  for (std::size_t c = from; c + left <= candidates.size(); ++c)
                    for (const material_id g : present)
                      if (g != region_of_voxel(candidates[c]))
                        {
                          pending[candidates[c]] = g;
                          search(c + 1, left - 1);
                          pending.erase(candidates[c]);
                        }
                };
              for (unsigned int n_changes = 1; n_changes <= 4 && !best; ++n_changes)
                if (n_changes <= 3 || candidates.size() <= 8)
                  search(0, n_changes);
              if (best)
                apply(*best), repaired = true;
            }
          if (!repaired)
            break;
        }
      if (std::find(removed.begin(), removed.end(), 1) != removed.end())
        {
          std::vector<dealii::CellData<3>> kept;
          for (std::size_t c = 0; c < cells.size(); ++c)
            if (!removed[c])
              kept.push_back(cells[c]);
          cells = std::move(kept);
        }
      return relabelled;
    }
  } // namespace

  double scaled_jacobian(const std::array<dealii::Point<3>, 8> &x)
  {
    double worst = 1;
    for (unsigned int v = 0; v < 8; ++v)
      {
        dealii::Tensor<1, 3> e[3];
        double length = 1;
        for (unsigned int d = 0; d < 3; ++d)
          {
            // Edges point along +d from the corner's side of the cell, so a cube gives +1.
            e[d] = ((v >> d) & 1 ? -1.0 : 1.0) * (x[v ^ (1u << d)] - x[v]);
            length *= e[d].norm();
          }
        if (length == 0)
          return 0;
        worst = std::min(worst, dealii::cross_product_3d(e[0], e[1]) * e[2] / length);
      }
    return worst;
  }

  FittedMesh fit_region_boundaries(const PointClassifier &classify_region, const double h,
                                   std::vector<dealii::CellData<3>> cells,
                                   std::vector<dealii::Point<3>> vertices,
                                   const double minimum_quality,
                                   const std::vector<int> &locked_axis,
                                   const std::function<unsigned int(unsigned int)> &group_of)
  {
    if (!(minimum_quality > 0 && minimum_quality < 1))
      throw std::invalid_argument("boundary fitting: the minimum cell quality must lie in (0, 1), "
                                  "got " +
                                  std::to_string(minimum_quality));
    // Everything below sees groups of regions (fitting_settings.h): the classifier too.
    const std::function<material_id(material_id)> group_id = [&group_of](const material_id m) {
      return m == 0 || !group_of ? m : static_cast<material_id>(group_of(m));
    };
    const PointClassifier classify =
      [&classify_region, &group_id](const dealii::Point<3> &p) -> std::optional<material_id> {
      const auto r = classify_region(p);
      if (!r)
        return r;
      return group_id(*r);
    };
    const unsigned long relabelled = relabel_unpillowable(cells, vertices, h, group_id);
    const std::size_t n_vertices = vertices.size();
    std::vector<Octants> regions(n_vertices, Octants{});
    for (const auto &cell : cells)
      for (unsigned int v = 0; v < 8; ++v) // the cell sits in octant 7 - v of its vertex v
        regions[cell.vertices[v]][7 - v] = group_id(cell.material_id);

    // 1. Where every boundary node would go. The classifier is pure and thread-safe, every
    // node is independent and its arithmetic does not depend on the thread, so all MPI
    // ranks compute the same mesh.
    std::vector<SurfaceNode> surface(n_vertices);
    std::vector<char> on_boundary(n_vertices, 0);
#pragma omp parallel for schedule(dynamic, 256)
    for (long i = 0; i < static_cast<long>(n_vertices); ++i)
      {
        const Octants &r = regions[i];
        if (std::all_of(r.begin(), r.end(), [&](const auto id) { return id == r[0]; }))
          continue;
        on_boundary[i] = 1;
        surface[i] = surface_point(classify, h, vertices[i], r);
      }

    // 2. Pillows: every boundary face of a region gets a hexahedron of that region between
    // the face and a copy of its nodes, and the region's voxels take the copies. The
    // original nodes then belong to pillows only and go onto the surface; every cell has at
    // most one face there. A voxel at a corner of the staircase, which has two or three faces
    // on the surface, would otherwise be flattened, and so would a voxel whose inner nodes
    // lie beyond the surface: the copies keep the voxels whole and the pillows take up the
    // difference between staircase and surface.
    // A region's voxels around a node may touch only along an edge or at the node (a thin
    // layer drawn oblique to the grid): each face-connected group of them gets its own copy,
    // and such a node, where the surface is not a single sheet, stays on the grid.
    std::vector<std::array<std::uint8_t, 8>> group(n_vertices);
    std::vector<char> pinned(n_vertices, 0);
    for (std::size_t i = 0; i < n_vertices; ++i)
      {
        if (!on_boundary[i])
          continue;
        group[i] = octant_groups(regions[i]);
        pinned[i] = unpillowable_region(regions[i]) >= 0;
      }

    std::vector<std::vector<std::pair<std::uint8_t, unsigned int>>> copies(n_vertices);
    // Per copy, the unit vector into its region: seen from the voxels (the mean direction of
    // its group's voxels around the node) and from the surface (its normal where smooth).
    std::vector<dealii::Tensor<1, 3>> into_voxels, into_region;
    std::vector<unsigned int> copied_node;
    const auto copy_of = [&](const unsigned int i, const unsigned int octant) {
      const std::uint8_t key = group[i][octant];
      for (const auto &[k, index] : copies[i])
        if (k == key)
          return index;
      // Into the group from the staircase: along each axis, the side its voxels' faces on the
      // surface face away from (0 where they face both ways). Offset by this vector, the
      // copy makes every pillow on the staircase a box, also at edges and corners.
      bool twisted = false;
      const std::array<int, 3> side = inward_sides(group[i], key, twisted);
      dealii::Tensor<1, 3> into;
      for (unsigned int d = 0; d < 3; ++d)
        into[d] = side[d];
      if (into.norm() == 0) // faces every way: the mean direction of the group's voxels
        for (unsigned int o = 0; o < 8; ++o)
          if (group[i][o] == key)
            for (unsigned int d = 0; d < 3; ++d)
              into[d] += (o >> d) & 1 ? 1.0 : -1.0;
      const unsigned int index = static_cast<unsigned int>(n_vertices + copied_node.size());
      copies[i].emplace_back(key, index);
      into_voxels.push_back(into);
      // On a smooth surface, straight in along its normal.
      into /= into.norm();
      if (surface[i].smooth && !pinned[i])
        into = surface[i].normal * into > 0 ? surface[i].normal : -surface[i].normal;
      into_region.push_back(into);
      copied_node.push_back(i);
      return index;
    };
    FittedMesh mesh;
    mesh.cells.reserve(cells.size());
    for (const auto &cell : cells)
      {
        const material_id r = group_id(cell.material_id);
        dealii::CellData<3> inner = cell;
        for (unsigned int v = 0; v < 8; ++v) // the cell sits in octant 7 - v of its vertex v
          if (on_boundary[cell.vertices[v]])
            inner.vertices[v] = copy_of(cell.vertices[v], 7 - v);
        mesh.cells.push_back(inner);
        for (unsigned int d = 0; d < 3; ++d)
          for (unsigned int side = 0; side < 2; ++side)
            {
              // The voxel across this face sits, seen from a vertex v of the face, in the
              // octant of the cell itself (7 - v) flipped along d.
              const unsigned int v0 = side << d;
              if (regions[cell.vertices[v0]][(7 - v0) ^ (1u << d)] == r)
                continue;
              dealii::CellData<3> pillow;
              pillow.material_id = cell.material_id;
              for (unsigned int v = 0; v < 8; ++v)
                {
                  const unsigned int on_face = (v & ~(1u << d)) | (side << d);
                  pillow.vertices[v] = ((v >> d) & 1) == side ? cell.vertices[on_face] :
                                                                inner.vertices[on_face];
                }
              mesh.cells.push_back(pillow);
            }
      }
    regions = {};
    const std::size_t n_nodes = n_vertices + copied_node.size();

    // 3. Smoothing. The nodes that do not lie on a surface, within three edges of one, move
    // to the mean of their neighbours along the cells' edges (Jacobi sweeps): the copies
    // settle between the surface and the voxels behind them, and the voxels next to the
    // pillows share the change of shape. Nodes farther in keep their grid positions.
    std::vector<std::vector<unsigned int>> neighbours(n_nodes);
    for (const auto &cell : mesh.cells)
      for (unsigned int v = 0; v < 8; ++v)
        for (unsigned int d = 0; d < 3; ++d)
          {
            const unsigned int a = cell.vertices[v], b = cell.vertices[v ^ (1u << d)];
            if (std::find(neighbours[a].begin(), neighbours[a].end(), b) == neighbours[a].end())
              neighbours[a].push_back(b);
          }
    // The staircase's faces, carried onto the surface, can fold where the surface is oblique
    // to them (a riser whose upper nodes land below its lower ones). Laplacian smoothing of
    // the nodes within each smooth surface, each brought back onto the surface along its
    // normal after every sweep, spreads them out; nodes on edges and junctions anchor it.
    {
      std::vector<unsigned int> smooth_nodes;
      for (std::size_t i = 0; i < n_vertices; ++i)
        if (on_boundary[i] && surface[i].smooth)
          smooth_nodes.push_back(static_cast<unsigned int>(i));
      std::vector<dealii::Point<3>> smoothed(smooth_nodes.size());
      for (unsigned int sweep = 0; sweep < 40; ++sweep)
        {
#pragma omp parallel for schedule(dynamic, 256)
          for (long k = 0; k < static_cast<long>(smooth_nodes.size()); ++k)
            {
              const unsigned int i = smooth_nodes[k];
              dealii::Point<3> mean;
              unsigned int n = 0;
              for (const unsigned int j : neighbours[i])
                if (j < n_vertices && on_boundary[j])
                  mean += surface[j].point, ++n;
              smoothed[k] = onto_surface(classify, h, 0.5 * (surface[i].point + mean / n),
                                         surface[i]);
            }
          for (std::size_t k = 0; k < smooth_nodes.size(); ++k)
            surface[smooth_nodes[k]].point = smoothed[k];
        }
    }
    std::vector<dealii::Tensor<1, 3>> move(n_vertices);
    for (std::size_t i = 0; i < n_vertices; ++i)
      if (on_boundary[i])
        {
          move[i] = surface[i].point - vertices[i];
          if (i < locked_axis.size() && locked_axis[i] >= 0)
            move[i][locked_axis[i]] = 0;
        }

    std::vector<unsigned int> free_nodes;
    {
      std::vector<char> reached(n_nodes, 0);
      std::vector<unsigned int> front;
      for (std::size_t c = 0; c < copied_node.size(); ++c)
        front.push_back(static_cast<unsigned int>(n_vertices + c)), reached[n_vertices + c] = 1;
      for (std::size_t i = 0; i < n_vertices; ++i)
        reached[i] = reached[i] || on_boundary[i];
      for (unsigned int ring = 0; ring < 4; ++ring)
        {
          free_nodes.insert(free_nodes.end(), front.begin(), front.end());
          std::vector<unsigned int> next;
          for (const unsigned int a : front)
            for (const unsigned int b : neighbours[a])
              if (!reached[b])
                reached[b] = 1, next.push_back(b);
          front = std::move(next);
        }
      std::sort(free_nodes.begin(), free_nodes.end());
    }

    std::vector<double> scale(n_vertices, 1.0);
    for (std::size_t i = 0; i < n_vertices; ++i)
      if (pinned[i])
        scale[i] = 0;
    std::vector<char> frozen(n_nodes, 0); // kept where the voxels put them, not smoothed
    std::vector<double> depth_factor(copied_node.size(), 0.25); // copy offset, in voxels
    std::vector<dealii::Point<3>> x(n_nodes), next(free_nodes.size());
    std::vector<dealii::Tensor<1, 3>> direction(copied_node.size());
    const auto place_and_smooth = [&]() {
      for (std::size_t i = 0; i < n_vertices; ++i)
        x[i] = vertices[i] + scale[i] * move[i];
      // A copy of a node held short of the surface turns, with it, back towards the
      // staircase's own direction: a pillow on a voxel face then stays a box.
      for (std::size_t c = 0; c < copied_node.size(); ++c)
        {
          const double s = scale[copied_node[c]];
          const dealii::Tensor<1, 3> offset = s * into_region[c] + (1 - s) * into_voxels[c];
          direction[c] = offset / offset.norm();
          x[n_vertices + c] = x[copied_node[c]] + depth_factor[c] * h * offset;
        }
      for (unsigned int sweep = 0; sweep < 60; ++sweep)
        {
#pragma omp parallel for schedule(static)
          for (long k = 0; k < static_cast<long>(free_nodes.size()); ++k)
            {
              const unsigned int a = free_nodes[k];
              const auto &around = neighbours[a];
              dealii::Point<3> mean;
              for (const unsigned int b : around)
                mean += x[b];
              mean /= static_cast<double>(around.size());
              if (a < n_vertices)
                next[k] = mean;
              else
                {
                  // A copy stays on the line into its region from its surface node, at
                  // least a fifth and at most three quarters of a voxel deep: the pillow
                  // keeps a thickness even where its neighbours would pull it flat.
                  const unsigned int c = a - n_vertices;
                  const dealii::Point<3> &on_surface = x[copied_node[c]];
                  const dealii::Tensor<1, 3> &into = direction[c];
                  const double depth = (mean - on_surface) * into,
                               least = std::min(0.2, depth_factor[c]) * h;
                  next[k] = depth < least ? mean + (least - depth) * into : mean;
                }
            }
          for (std::size_t k = 0; k < free_nodes.size(); ++k)
            if (!frozen[free_nodes[k]])
              x[free_nodes[k]] = next[k];
        }
    };
    const auto quality = [&](const dealii::CellData<3> &cell) {
      std::array<dealii::Point<3>, 8> corners;
      for (unsigned int v = 0; v < 8; ++v)
        corners[v] = x[cell.vertices[v]];
      return scaled_jacobian(corners);
    };
    const auto node_of = [&](const unsigned int v) {
      return v < n_vertices ? v : copied_node[v - n_vertices];
    };

    // Where Laplacian smoothing leaves a cell below the bound (typically a voxel behind
    // pillows whose copies all lie on one sheet under a surface almost parallel to the
    // grid), its free nodes move, one at a time, to where the worst of their cells is best:
    // a pattern search over steps of 0.2 to 0.025 h along the axes, copies kept at their
    // least depth. Sequential and in a fixed order, so every rank gets the same mesh.
    std::vector<std::vector<unsigned int>> cells_of(n_nodes);
    for (std::size_t c = 0; c < mesh.cells.size(); ++c)
      for (const unsigned int v : mesh.cells[c].vertices)
        cells_of[v].push_back(static_cast<unsigned int>(c));
    std::vector<char> is_free(n_nodes, 0);
    for (const unsigned int a : free_nodes)
      is_free[a] = 1;
    const auto untangle = [&](std::vector<std::size_t> &bad) {
      // A move is taken if it lessens the cells' total shortfall below the bound and puts
      // none of them below it that was not.
      std::vector<double> before, after;
      const auto qualities_around = [&](const unsigned int v, std::vector<double> &q) {
        q.clear();
        for (const unsigned int c : cells_of[v])
          q.push_back(quality(mesh.cells[c]));
      };
      const auto shortfall = [&](const std::vector<double> &q) {
        double sum = 0;
        for (const double value : q)
          sum += std::max(minimum_quality - value, 0.0);
        return sum;
      };
      for (unsigned int round = 0; round < 10 && !bad.empty(); ++round)
        {
          std::set<unsigned int> nodes;
          for (const std::size_t c : bad)
            for (const unsigned int v : mesh.cells[c].vertices)
              if (is_free[v] && !frozen[v])
                nodes.insert(v);
          bool improved = false;
          for (const unsigned int v : nodes)
            {
              qualities_around(v, before);
              double best = shortfall(before);
              for (const double step : {0.2, 0.1, 0.05, 0.025})
                for (unsigned int d = 0; d < 3; ++d)
                  for (const double sign : {1.0, -1.0})
                    {
                      if (best == 0)
                        break;
                      const dealii::Point<3> old = x[v];
                      x[v][d] += sign * step * h;
                      bool keep = true;
                      if (v >= n_vertices)
                        {
                          const unsigned int c = v - n_vertices;
                          keep = (x[v] - x[copied_node[c]]) * direction[c] >=
                                 std::min(0.2, depth_factor[c]) * h;
                        }
                      if (keep)
                        {
                          qualities_around(v, after);
                          for (std::size_t k = 0; k < after.size(); ++k)
                            keep = keep && !(before[k] >= minimum_quality &&
                                             after[k] < minimum_quality);
                          keep = keep && shortfall(after) < best - 1e-12;
                        }
                      if (keep)
                        best = shortfall(after), before = after, improved = true;
                      else
                        x[v] = old;
                    }
            }
          // The cells of the moved nodes (a move can push a neighbour below the bound).
          std::set<std::size_t> around(bad.begin(), bad.end());
          for (const unsigned int v : nodes)
            around.insert(cells_of[v].begin(), cells_of[v].end());
          bad.clear();
          for (const std::size_t c : around)
            if (quality(mesh.cells[c]) < minimum_quality)
              bad.push_back(c);
          if (!improved)
            break;
        }
    };

    // 4. The quality bound: cells below it are untangled; in those still below, the surface
    // nodes' moves are halved (undone after a few halvings), then the nodes behind them
    // freeze, then the pillows thin; placement and smoothing are repeated until no cell is
    // below the bound.
    for (;;)
      {
        place_and_smooth();
        std::vector<std::size_t> bad;
        for (std::size_t c = 0; c < mesh.cells.size(); ++c)
          if (quality(mesh.cells[c]) < minimum_quality)
            bad.push_back(c);
        untangle(bad);
        if (bad.empty())
          break;
        bool changed = false;
        for (const std::size_t c : bad)
          {
            // Nodes on edges and junctions give way first: the smooth surfaces are where
            // areas and contact are measured, and an edge node that lags behind costs
            // less there.
            bool reduced = false;
            for (const bool smooth : {false, true})
              if (!reduced)
                for (const unsigned int v : mesh.cells[c].vertices)
                  {
                    const unsigned int i = node_of(v);
                    if (on_boundary[i] && scale[i] > 0 && surface[i].smooth == smooth)
                      {
                        scale[i] = scale[i] > 0.2 ? 0.5 * scale[i] : 0.0;
                        reduced = true;
                      }
                  }
            // Every surface node of the cell back on the grid and the cell still bad: the
            // smoothing did it, so the cell's other nodes keep their voxel positions.
            if (!reduced)
              for (const unsigned int v : mesh.cells[c].vertices)
                if (!(v < n_vertices && on_boundary[v]) && !frozen[v])
                  frozen[v] = 1, reduced = true;
            // Still bad with every node where the voxels put it (a layer one or two voxels
            // thick, oblique to the grid): its copies move closer to the surface nodes, which
            // leaves the voxels closer to their shape and the pillows thinner. The scaled
            // Jacobian measures shape, not thickness, so a thin pillow is no worse a cell.
            if (!reduced)
              for (const unsigned int v : mesh.cells[c].vertices)
                if (v >= n_vertices && depth_factor[v - n_vertices] > 0.03)
                  depth_factor[v - n_vertices] *= 0.5, reduced = true;
            changed = changed || reduced;
          }
        if (!changed)
          throw std::runtime_error(
            "boundary fitting: " + std::to_string(bad.size()) +
            " cells stay below the quality bound " + std::to_string(minimum_quality) +
            " even unfitted (regions that touch only along an edge or at a corner?); lower "
            "'Discretization/Minimum cell quality' or switch the fitting off");
      }

    FittingReport &report = mesh.report;
    double moved_distance = 0;
    for (std::size_t i = 0; i < n_vertices; ++i)
      if (on_boundary[i])
        {
          ++report.boundary_nodes;
          report.held_back += scale[i] < 1;
          const double distance = scale[i] * move[i].norm();
          if (distance > 1e-12 * h)
            {
              ++report.moved_nodes;
              moved_distance += distance;
            }
        }
    report.mean_move = report.moved_nodes ? moved_distance / report.moved_nodes : 0;
    report.pillow_cells = mesh.cells.size() - cells.size();
    report.relabelled_voxels = relabelled;
    for (const auto &cell : mesh.cells)
      report.minimum_quality = std::min(report.minimum_quality, quality(cell));
    mesh.fitted = x;
    mesh.initial.resize(n_nodes);
    for (std::size_t i = 0; i < n_nodes; ++i)
      mesh.initial[i] = i < n_vertices ? vertices[i] :
                                         vertices[copied_node[i - n_vertices]] +
                                           0.25 * h * into_voxels[i - n_vertices];
    return mesh;
  }
} // namespace bonefusion::meshing
