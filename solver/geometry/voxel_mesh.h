#pragma once
/**
 * @file Hexahedral voxel mesh of an implicit geometry: a regular grid of cubes of edge h whose
 * cells are kept where the geometry classifies the cell centre into a region. Neighbouring
 * regions share nodes, so implants and bone are tied. Works for every triangulation type
 * (p4est distributes the voxel cells as its coarse mesh).
 */
#include <deal.II/grid/tria.h>

#include "geometry/segment_geometry.h"

namespace bonefusion::geometry
{
  /**
   * Fills `tria` (must be empty) with the voxel mesh of `geometry` at edge length h [mm].
   * The grid is aligned so that z = 0 (the disc mid-plane) is a plane of cell faces.
   * Material id = Region of the cell centre. Boundary ids: Surface::lower_support on the
   * faces with outward normal -z at z = bottom_z() of cells of the lower body, and
   * Surface::upper_loaded on faces with normal +z at z = top_z() of cells of the upper body
   * (cortical, cancellous, endplate), Surface::free elsewhere.
   * Cells are classified with a copy of `geometry` on which set_resolution(h) was called, so
   * thin layers are at least one voxel thick (facet cartilage two); call set_resolution(h) on
   * your own copy to read the thicknesses the mesh uses. Warns on std::cerr (rank 0) if the
   * kept voxels form more than one face-connected piece.
   * Throws std::runtime_error if h is not positive or the mesh would be empty.
   */
  void build_voxel_mesh(const SegmentGeometry &geometry, double h, dealii::Triangulation<3> &tria);

  /** Number of voxels build_voxel_mesh would keep (cheap; for --dry-run estimates). */
  unsigned long count_voxels(const SegmentGeometry &geometry, double h);
} // namespace bonefusion::geometry
