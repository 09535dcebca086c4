#pragma once
/**
 * @file Boundary fitting of a voxel mesh: the nodes where cells of different regions meet (or
 * a region and the outside) move from their grid positions onto the implicit surfaces between
 * the regions, so that a round rod, a curved facet or a tilted endplate is no longer a
 * staircase. The voxel mesher's robustness (any classifier, shared nodes between implant and
 * bone) is kept: fitting only adds cells and moves nodes.
 *
 * Four steps, each explained where it is done (boundary_fitting.cc):
 *  1. Relabelling. Where a region touches itself around a node only along an edge or at the
 *     node (a layer about one voxel thick drawn oblique to the grid), a few voxels change
 *     region, so that every surface is a single sheet at every node.
 *  2. Surface points. Each boundary node goes to the point that best fits the tangent planes
 *     at the region changes on the edges of its dual cube ("dual contouring", Ju et al. 2002):
 *     on a smooth surface, onto the surface along its normal; where two or three surfaces meet
 *     at an angle (a rod's rim, a facet's edge), onto the edge or corner, which stays sharp.
 *     Nodes of a smooth surface are then smoothed within it.
 *  3. Pillows. Every boundary face of a region gets a hexahedron of that region between the
 *     face and copies of its nodes (one copy per node and face-connected group of voxels), so
 *     that no cell has more than one face on a surface: a voxel at a corner of the staircase
 *     would otherwise be flattened. The copies sit along the surface normal, and Laplacian
 *     smoothing spreads the cells behind them.
 *  4. Quality bound. Quality is the scaled Jacobian at each of a hexahedron's eight corners
 *     (the determinant of its three unit edge vectors: 1 for a cube, 0 for a flat corner,
 *     negative when inverted). A cell below the bound is first untangled: the free nodes
 *     behind the surface move to where the worst of their cells is best. If that is not
 *     enough, the moves of its surface nodes are halved (nodes on edges first), then nodes
 *     near it keep their grid positions, then its pillows get thinner, until every cell
 *     meets the bound: the bound holds for every cell of the fitted mesh, not on average.
 *
 * On a smooth surface the fitted nodes lie on it and the faces between them are O(h^2) off
 * it, so areas and stiffnesses converge at second order where a staircase, whose area does
 * not converge at all on a surface oblique to the grid, does not.
 */
#include "meshing/voxel_mesh.h"

#include <deal.II/grid/tria_description.h>

#include <array>
#include <functional>
#include <vector>

namespace bonefusion::meshing
{
  /**
   * Smallest scaled Jacobian over the eight corners of a hexahedron whose vertices are in
   * deal.II's lexicographic order: 1 for a cube (or any box), 0 for a degenerate corner,
   * negative for an inverted one. [-]
   */
  double scaled_jacobian(const std::array<dealii::Point<3>, 8> &corners);

  /** A voxel mesh with pillows, its nodes where the voxels put them and where fitting does. */
  struct FittedMesh
  {
    std::vector<dealii::CellData<3>> cells;            ///< voxels (shrunk) and pillows
    std::vector<dealii::Point<3>> initial;             ///< grid nodes, then the copies
    std::vector<dealii::Point<3>> fitted;              ///< the same nodes after fitting
    FittingReport report;
  };

  /**
   * The boundary-fitted mesh of a voxel mesh of edge h [mm] (see the file comment).
   * `vertices` holds grid nodes at integer multiples of h; `cells` are its hexahedra
   * (lexicographic vertices, region id as material id). The first vertices.size() nodes of
   * the result are the given ones, in order. Every cell of the fitted mesh has a scaled
   * Jacobian >= minimum_quality (in (0, 1)); throws std::runtime_error if even unfitted,
   * smoothed-off pillows cannot meet it. The voxels may be relabelled (step 1): the result's
   * cells are the ones to use. A node i with locked_axis[i] = d (0, 1, 2; -1 or a shorter
   * vector: none) keeps its coordinate along axis d: a flat loaded surface stays flat.
   * group_of maps a region to its group (BoundaryFitting::group_of); only boundaries between
   * groups are fitted.
   */
  FittedMesh fit_region_boundaries(const PointClassifier &classify, double h,
                                   std::vector<dealii::CellData<3>> cells,
                                   std::vector<dealii::Point<3>> vertices,
                                   double minimum_quality,
                                   const std::vector<int> &locked_axis = {},
                                   const std::function<unsigned int(unsigned int)> &group_of = {});
} // namespace bonefusion::meshing
