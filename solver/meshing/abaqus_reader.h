#pragma once
/**
 * @file Reads the mesh part of an Abaqus or CalculiX input deck (.inp), so that a model meshed
 * in another preprocessor, or a complete CalculiX deck used for cross-checking, can be run in
 * bonefusion with its regions and surfaces addressed by the deck's set names.
 *
 * Understood keywords (case-insensitive, parameters KEY=value with case-insensitive keys):
 *  - *NODE [, NSET=name]
 *  - *ELEMENT, TYPE=t [, ELSET=name] with t one of C3D8, C3D8R, C3D8I, C3D20, C3D20R (hexahedra)
 *    or C3D4, C3D10 (tetrahedra). R and I variants are read as plain hexahedra (noted in
 *    ignored_keywords): bonefusion integrates with its own element, not with the deck's.
 *  - *ELSET, ELSET=name [, GENERATE] and *NSET, NSET=name [, GENERATE]; members are numbers or
 *    names of sets defined earlier. Repeating a set name adds to the set.
 *  - *SURFACE, NAME=name [, TYPE=ELEMENT]: lines "element set or element number, S<n>" with
 *    Abaqus face numbers (hexahedra S1..S6, tetrahedra S1..S4) -> face_sets.
 *  - *SURFACE, NAME=name, TYPE=NODE: lines "node set or node number" -> vertex_sets.
 *  - *INCLUDE, INPUT=path, relative to the folder of the including file, nested to any depth.
 * Every other keyword (*MATERIAL, *SOLID SECTION, *STEP, *BOUNDARY, *NODE PRINT, ...) is skipped
 * with its data lines and listed in ignored_keywords. "**" starts a comment line. A data line
 * that ends with a comma continues on the next line where more fields are needed (C3D20
 * elements span two lines); a keyword line that ends with a comma continues likewise.
 *
 * Set names keep the spelling of their first definition and are matched case-insensitively.
 * Element and node numbers referenced by sets may be defined later in the deck; set names must
 * be defined before they are used, as in Abaqus.
 *
 * Not supported (an error says so): parts with instances positioned by translation or rotation,
 * several *PARTs, *NODE with SYSTEM= other than R or with INPUT=, element types other than the
 * ones above (shells, beams, wedges, ...), *SURFACE lines without a face identifier.
 */
#include "meshing/external_mesh.h"

#include <string>

namespace bonefusion::meshing
{
  /** Reads the mesh of an Abaqus/CalculiX deck; throws "<file>:<line>: ..." on anything
   *  malformed or unsupported. (Also declared in external_mesh.h next to read_mesh_file.) */
  ExternalMesh read_abaqus_inp(const std::string &file);
} // namespace bonefusion::meshing
