#pragma once
/**
 * @file Reads ASCII Gmsh meshes (.msh, format 4.1, 4.0 and 2.2), so that geometry built in Gmsh
 * (or exported to it) can be used with its physical groups as bonefusion regions and surfaces.
 *
 * What is read:
 *  - Volume elements: 4-node (type 4) and 10-node (11) tetrahedra, 8-node (5), 20-node (17) and
 *    27-node (12) hexahedra. All must have one shape and one order. Prisms and pyramids are
 *    refused. Volume elements outside any physical group still become cells (Gmsh saves them
 *    when no physical volume exists, or with Mesh.SaveAll).
 *  - Physical volumes -> cell_sets, physical surfaces (triangles 2/9, quadrangles 3/16/10) ->
 *    face_sets holding their corner vertices; the names come from $PhysicalNames, unnamed groups
 *    are called "physical_<tag>". In format 4 an element belongs to the physical groups of its
 *    entity ($Entities); in 2.2 to the group in its first tag (Gmsh writes an element once per
 *    group, the copies are merged).
 *  - Points and lines are ignored; sections other than $MeshFormat, $PhysicalNames, $Entities,
 *    $Nodes and $Elements are skipped and listed in ignored_keywords.
 * Every face of a physical surface must be a face of a cell, otherwise the file is refused:
 * that catches surfaces that do not bound the meshed volume.
 *
 * Not supported (an error says so): binary files (save as ASCII), partitioned files, element
 * types other than the ones above in dimensions 2 and 3.
 */
#include "meshing/external_mesh.h"

#include <string>

namespace bonefusion::meshing
{
  /** Reads an ASCII Gmsh mesh; throws "<file>:<line>: ..." on anything malformed or
   *  unsupported. (Also declared in external_mesh.h next to read_mesh_file.) */
  ExternalMesh read_gmsh_msh(const std::string &file);
} // namespace bonefusion::meshing
