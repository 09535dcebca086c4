#pragma once
/** @file Settings and outcome of the boundary fitting of voxel meshes (boundary_fitting.h);
 *  kept apart so that parameter structs can hold them without the mesh headers. */
#include <functional>

namespace bonefusion::meshing
{
  /** Whether and how the nodes on region boundaries move onto the surfaces (boundary_fitting.h). */
  struct BoundaryFitting
  {
    BoundaryFitting(bool enabled_ = false, double minimum_quality_ = 0.2)
      : enabled(enabled_), minimum_quality(minimum_quality_)
    {}
    bool enabled = false;
    double minimum_quality = 0.2; ///< smallest scaled Jacobian any cell may have [-]
    /**
     * The surface a region's boundary is fitted to is that of its group: regions of one
     * group (a vertebra's cortical shell, cancellous bone, endplates and posterior elements)
     * keep their stair-cased boundaries between each other. Maps a region (material id) to
     * its group's id (any region id of the group); empty: every region is its own group.
     */
    std::function<unsigned int(unsigned int)> group_of;
  };

  /** What boundary fitting did to a mesh. */
  struct FittingReport
  {
    unsigned long boundary_nodes = 0; ///< nodes where different regions (or the outside) meet
    unsigned long moved_nodes = 0;    ///< of these, the ones that left their grid position
    unsigned long held_back = 0;      ///< of these, the ones kept short of the surface by the bound
    unsigned long pillow_cells = 0;   ///< cells added along region boundaries
    unsigned long relabelled_voxels = 0; ///< voxels given another region so that every
                                         ///< surface can be pillowed
    double mean_move = 0;             ///< mean distance of the moved nodes [mm]
    double minimum_quality = 1;       ///< smallest scaled Jacobian of any cell afterwards [-]
  };

} // namespace bonefusion::meshing
