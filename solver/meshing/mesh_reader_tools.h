#pragma once
/**
 * @file Pieces shared by the Abaqus and Gmsh readers and by nothing else: error messages that
 * name file and line, strict number parsing, and the step that turns elements given by node
 * numbers into an ExternalMesh with compacted corner vertices. Kept out of external_mesh.h so
 * that callers of the readers see only the mesh structure.
 */
#include "meshing/external_mesh.h"

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

namespace bonefusion::meshing::internal
{
  /** Throws std::runtime_error("<file>:<line>: <what>"); line 0 leaves the line out. */
  [[noreturn]] void fail(const std::string &file, unsigned int line, const std::string &what);

  /** "<file>:<line>" as used in error messages. */
  std::string location(const std::string &file, unsigned int line);

  /** s without leading and trailing white space (blanks, tabs, CR, LF). */
  std::string trim(const std::string &s);

  /** s with ASCII letters in upper case. */
  std::string to_upper(std::string s);

  /** s split at every `separator` (fields are not trimmed). */
  std::vector<std::string> split(const std::string &s, char separator);

  /** s split at runs of white space, empty fields dropped. */
  std::vector<std::string> split_whitespace(const std::string &s);

  /** Parses the whole of `field` (trimmed) as an integer, or returns false. */
  bool parse_integer(const std::string &field, long long &value);

  /** Parses the whole of `field` (trimmed) as a real number; accepts the Fortran exponent
   *  letter D (1.0D-3), which some Abaqus writers use. Returns false otherwise. */
  bool parse_real(const std::string &field, double &value);

  /** A node of a second-order element that should sit at the mean of its `parents` (two edge
   *  ends, four face corners or eight cell corners) if the element is straight-sided. */
  struct HigherOrderNode
  {
    long long node = 0;
    std::vector<long long> parents;
  };

  /** A volume element as read from the file: node numbers, not yet vertex indices. */
  struct RawCell
  {
    std::vector<long long> corners; ///< node numbers of the corners in deal.II order
    std::vector<HigherOrderNode> higher_order_nodes;
    long long label = 0;
    unsigned int line = 0;
    std::string source;
  };

  /** Node coordinates [mm] by node number. */
  using NodeTable = std::unordered_map<long long, std::array<double, 3>>;

  /** Fills mesh.vertices, mesh.vertex_labels (corner nodes in ascending node number),
   *  mesh.cells and mesh.max_midside_offset from `cells`. Throws, naming the element's file and
   *  line, if an element refers to a node that `nodes` does not define. Returns the vertex index
   *  of each corner node number. */
  std::unordered_map<long long, unsigned int>
  assemble_cells(ExternalMesh &mesh, const NodeTable &nodes, const std::vector<RawCell> &cells);

  /** A face as the sorted list of its vertex indices, to compare faces regardless of order. */
  std::vector<unsigned int> face_key(std::vector<unsigned int> face);
} // namespace bonefusion::meshing::internal
