#pragma once
/**
 * @file Hexahedral voxel mesh of any point classifier: a regular grid of cubes of edge h
 * whose cells are kept where the classifier puts the cell centre into a region (its id
 * becomes the cell's material id). Neighbouring regions share nodes, so implants and bone are
 * tied. The classifier may come from the parametric anatomy with its implants, from a label
 * image or any other generator. Works for every triangulation type (p4est distributes the
 * voxel cells as its coarse mesh).
 */
#include "meshing/fitting_settings.h"

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/grid/tria.h>

#include <functional>
#include <optional>
#include <set>
#include <vector>

namespace bonefusion::meshing
{
  /** Region id (>= 1) at a point, or nothing. Must be pure and thread-safe. */
  using PointClassifier =
    std::function<std::optional<dealii::types::material_id>(const dealii::Point<3> &)>;

  /**
   * A named boundary surface made of voxel faces. With depth = 0: the boundary faces of cells
   * in `regions` whose outward normal is the grid axis closest to `outward`, in the outermost
   * layer of those cells along it (e.g. the superior face of a level vertebral body). With
   * depth > 0, for a surface that is not normal to a grid axis (the tilted endplate of a
   * vertebra low in a lordotic column): every boundary face of those cells that faces
   * `outward` (normal . outward > 0.25) and whose cell centre lies within `depth` [mm] of
   * the plane through `plane_point` normal to `outward` (or beyond it).
   */
  struct VoxelSurface
  {
    dealii::types::boundary_id id = 0;
    std::set<dealii::types::material_id> regions;
    dealii::Tensor<1, 3> outward;
    double depth = 0;
    dealii::Point<3> plane_point = dealii::Point<3>();
  };

  /** What to mesh: the classifier, the box it can answer inside, the edge length h [mm]. */
  struct VoxelDomain
  {
    PointClassifier classify;
    dealii::Point<3> lower_corner, upper_corner; ///< [mm]
  };

  /** Debris build_voxel_mesh removed, and the separate parts of real size it kept. */
  struct LoosePieces
  {
    unsigned int pieces = 0; ///< removed pieces (face-connected, < 1e-3 of the largest)
    std::size_t voxels = 0;  ///< their voxels
    std::set<dealii::types::material_id> regions; ///< the regions they held
    std::vector<std::size_t> separate_parts;      ///< voxels of each other part kept
  };

  /**
   * Fills `tria` (must be empty) with the voxel mesh of `domain` at edge length h [mm]. Grid
   * planes lie at integer multiples of h (so z = 0 is a plane of cell faces). Boundary ids:
   * those of `surfaces`, 0 elsewhere, chosen on the voxels before any fitting. With
   * `fitting.enabled`, nodes on region boundaries then move onto the surfaces
   * (boundary_fitting.h). Face-connected pieces of less than 1e-3 of the largest piece's
   * voxels are removed first (the sampling's debris; listed in `*loose` if given); warns on
   * std::cerr (rank 0) if separate parts of real size remain. Throws std::runtime_error if h
   * is not positive or the mesh would be empty.
   */
  FittingReport build_voxel_mesh(const VoxelDomain &domain, double h,
                                 const std::vector<VoxelSurface> &surfaces,
                                 dealii::Triangulation<3> &tria,
                                 const BoundaryFitting &fitting = {}, LoosePieces *loose = nullptr);

  /** Number of voxels build_voxel_mesh would keep (cheap; for --dry-run estimates). */
  unsigned long count_voxels(const VoxelDomain &domain, double h);
} // namespace bonefusion::meshing
