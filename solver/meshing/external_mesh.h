#pragma once
/**
 * @file A volume mesh read from a file written by another program (Abaqus/CalculiX .inp, Gmsh
 * .msh), in a plain form that does not depend on deal.II: corner vertices, cells in deal.II
 * vertex order, and the named cell, node and face sets that input files use to address regions
 * and surfaces.
 *
 * Why a separate structure instead of reading straight into a Triangulation: the readers stay
 * pure C++17 (fast to compile, testable without MPI), and every check on the file (undefined
 * nodes, inverted cells, unknown set names) can name the file and line where the problem is.
 * Turning an ExternalMesh into a Triangulation, boundary ids and material ids is the caller's job.
 *
 * Conventions shared by all readers:
 *  - Only nodes that are corners of volume cells become vertices. Vertices are numbered 0..n-1
 *    in ascending order of their node number in the file, so the numbering does not depend on
 *    the order in which elements are listed. vertex_labels keeps the original numbers.
 *  - Midside (and face/centre) nodes of second-order cells are used only to measure how curved
 *    the cells are (max_midside_offset); bonefusion builds its own higher-order elements.
 *  - Set names keep the spelling of their first definition. The Abaqus reader matches names
 *    case-insensitively while reading, as Abaqus does; find_set() offers the same lookup to
 *    callers.
 *  - Errors are std::runtime_error with the message "<file>:<line>: <what is wrong>".
 *  - Coordinates are taken as millimetres; no unit conversion is applied.
 */
#include <array>
#include <map>
#include <string>
#include <vector>

namespace bonefusion::meshing
{
  /** Shape of every cell of an ExternalMesh (a mesh with mixed shapes is refused). */
  enum class CellShape
  {
    hexahedron,
    tetrahedron
  };

  /** A volume mesh as read from a file, see the file comment for the conventions. */
  struct ExternalMesh
  {
    std::string file;                        ///< path as given to the reader
    CellShape shape = CellShape::hexahedron; ///< shape of all cells
    /** 1 for linear files (C3D8, C3D4, Gmsh 4/5), 2 for quadratic ones (C3D20, C3D10, Gmsh
     *  10/11/12/17); the cells themselves hold only the corners either way. */
    unsigned int order = 1;
    std::vector<std::array<double, 3>> vertices; ///< corner nodes, compacted 0..n-1 [mm]
    std::vector<long long> vertex_labels;        ///< node number of each vertex in the file

    /** One volume cell. */
    struct Cell
    {
      /** 8 or 4 indices into `vertices` in deal.II order: hexahedra lexicographic (0:(0,0,0)
       *  1:(1,0,0) 2:(0,1,0) 3:(1,1,0), 4..7 the same at z=1); tetrahedra with positive volume,
       *  det(v1-v0, v2-v0, v3-v0) > 0. */
      std::vector<unsigned int> vertices;
      long long label = 0;   ///< element number in the file
      unsigned int line = 0; ///< line of `source` where the element is defined (1-based)
      std::string source;    ///< file the element came from (an *INCLUDE'd file, maybe)
    };
    std::vector<Cell> cells;

    /** Region name -> cell indices (sorted, unique). Abaqus: *ELSET and ELSET= of *ELEMENT;
     *  Gmsh: physical volumes. */
    std::map<std::string, std::vector<unsigned int>> cell_sets;
    /** Node set name -> vertex indices (sorted, unique; nodes that are not cell corners, such
     *  as midside nodes, are dropped). Abaqus: *NSET, NSET= of *NODE, *SURFACE TYPE=NODE. */
    std::map<std::string, std::vector<unsigned int>> vertex_sets;
    /** Surface name -> faces, each face the 3 or 4 corner vertex indices in the cyclic order of
     *  the face's perimeter (any starting point, any direction). Every face is a face of a cell.
     *  Abaqus: *SURFACE TYPE=ELEMENT; Gmsh: physical surfaces. */
    std::map<std::string, std::vector<std::vector<unsigned int>>> face_sets;
    /** Largest |midside node - edge midpoint| / edge length over all quadratic edges (Gmsh
     *  hex27: also face and centre nodes against the trilinear position, divided by the
     *  longest diagonal involved). 0 for linear meshes. Lets the caller refuse curved cells. */
    double max_midside_offset = 0;
    /** Keywords, sections and options that were skipped or reinterpreted, each with its
     *  location, e.g. "*MATERIAL (line 40)", for a log message. */
    std::vector<std::string> ignored_keywords;
  };

  /** Reads a mesh, choosing the reader by extension: .inp (Abaqus/CalculiX) or .msh (Gmsh,
   *  ASCII). Any other extension is an error. */
  ExternalMesh read_mesh_file(const std::string &file);

  /** Reads an Abaqus/CalculiX input deck as a mesh (see abaqus_reader.h). */
  ExternalMesh read_abaqus_inp(const std::string &file);

  /** Reads an ASCII Gmsh file, format 2.2, 4.0 or 4.1 (see gmsh_reader.h). */
  ExternalMesh read_gmsh_msh(const std::string &file);

  /** Signed volume [mm^3] of cell c from its corner vertices (trilinear hexahedron, exact
   *  2x2x2 Gauss integration of det J; straight tetrahedron). */
  double cell_volume(const ExternalMesh &mesh, unsigned int c);

  /** The smallest Jacobian determinant [mm^3] of cell c over its corners, on the unit reference
   *  cell: a hexahedron's trilinear map is checked at each of its 8 corners, a tetrahedron's
   *  constant det(v1-v0, v2-v0, v3-v0) once. A value <= 0 means the cell is inverted or
   *  degenerate; a small positive value relative to the cell size means a badly shaped cell. */
  double min_corner_jacobian(const ExternalMesh &mesh, unsigned int c);

  /** Checks that hold for every reader's result and throws "<source>:<line>: ..." naming the
   *  first offending cell: there is at least one cell, every cell has the vertex count of its
   *  shape with valid, distinct indices, and no cell is inverted or degenerate
   *  (min_corner_jacobian <= 0). Sorts and de-duplicates the cell and vertex sets. */
  void check_and_finish(ExternalMesh &mesh);

  /** True if a and b are equal ignoring ASCII case. */
  bool equal_ignoring_case(const std::string &a, const std::string &b);

  /** The entry of `sets` whose name equals `name` ignoring ASCII case, or nullptr. Set names in
   *  input files (Abaqus) are case-insensitive, so callers should look names up this way. */
  template <typename Value>
  const Value *find_set(const std::map<std::string, Value> &sets, const std::string &name)
  {
    const auto exact = sets.find(name);
    if (exact != sets.end())
      return &exact->second;
    for (const auto &[key, value] : sets)
      if (equal_ignoring_case(key, name))
        return &value;
    return nullptr;
  }

  /** Corner vertices of face f (0..5 hexahedron, 0..3 tetrahedron) of a cell, in the cyclic
   *  order of the face's perimeter. Faces are numbered as deal.II numbers them (hexahedron:
   *  x=0, x=1, y=0, y=1, z=0, z=1; tetrahedron: the face opposite vertex 3, 2, 1, 0). */
  std::vector<unsigned int> cell_face(const ExternalMesh &mesh, unsigned int c, unsigned int f);

  /** Number of vertices of a cell of this shape (8 or 4). */
  constexpr unsigned int vertices_per_cell(const CellShape shape)
  {
    return shape == CellShape::hexahedron ? 8 : 4;
  }

  /** Number of faces of a cell of this shape (6 or 4). */
  constexpr unsigned int faces_per_cell(const CellShape shape)
  {
    return shape == CellShape::hexahedron ? 6 : 4;
  }
} // namespace bonefusion::meshing
