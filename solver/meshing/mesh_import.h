#pragma once
/**
 * @file Turns an ExternalMesh (read from .inp or .msh) into a distributed deal.II
 * triangulation whose material ids are the case's regions and whose boundary ids are the named
 * boundaries the case uses for supports and loads.
 *
 * Hexahedral meshes go to p4est (parallel::distributed::Triangulation): the coarse mesh is
 * the file's mesh, replicated on every rank, and refinements are distributed. Tetrahedral
 * meshes cannot go to p4est; every rank builds the serial mesh, METIS partitions it and each
 * rank keeps only its part (parallel::fullydistributed::Triangulation).
 * Quadratic elements (C3D20, C3D10, second-order Gmsh) contribute their corner nodes only: the
 * geometry is straight-sided and the element order becomes the displacement degree.
 */
#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria_base.h>

#include "meshing/external_mesh.h"

#include <memory>
#include <string>
#include <vector>

namespace bonefusion::meshing
{
  /** What the named sets became. */
  struct ImportedNames
  {
    std::vector<std::string> regions;          ///< material id k + 1 = regions[k]
    std::vector<std::string> boundaries;       ///< boundary id k + 1 = boundaries[k]; 0 = free
    std::vector<unsigned long> boundary_faces; ///< coarse boundary faces per boundary
  };

  /**
   * Builds the triangulation. `region_sets` are element-set names (each element must be in
   * exactly one), `boundary_sets` surface or node-set names (a boundary face belongs to a node
   * set when all its corners do). Names match case-insensitively, as in Abaqus. Throws
   * std::runtime_error naming the file, the set and the element for anything inconsistent.
   */
  std::unique_ptr<dealii::parallel::TriangulationBase<3>>
  make_triangulation(const ExternalMesh &mesh, const std::vector<std::string> &region_sets,
                     const std::vector<std::string> &boundary_sets, unsigned int refinements,
                     MPI_Comm comm, ImportedNames &names);
} // namespace bonefusion::meshing
