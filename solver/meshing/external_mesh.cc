#include "meshing/external_mesh.h"

#include <filesystem>

#include "meshing/mesh_reader_tools.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>

namespace bonefusion::meshing
{
  namespace
  {
    using Point = std::array<double, 3>;

    Point minus(const Point &a, const Point &b)
    {
      return {{a[0] - b[0], a[1] - b[1], a[2] - b[2]}};
    }

    double det(const Point &a, const Point &b, const Point &c)
    {
      return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
             a[2] * (b[0] * c[1] - b[1] * c[0]);
    }

    /** Jacobian determinant of the trilinear map of a hexahedron at reference point (x, y, z)
     *  of the unit cube, vertices in deal.II lexicographic order. */
    double hex_jacobian(const std::vector<Point> &v, const double x, const double y, const double z)
    {
      Point d[3] = {{{0, 0, 0}}, {{0, 0, 0}}, {{0, 0, 0}}};
      for (unsigned int i = 0; i < 8; ++i)
        {
          const double bits[3] = {double(i & 1), double((i >> 1) & 1), double((i >> 2) & 1)};
          const double xi[3] = {x, y, z};
          for (unsigned int dir = 0; dir < 3; ++dir)
            {
              // d/dxi_dir of prod_k (bit_k ? xi_k : 1 - xi_k)
              double w = bits[dir] ? 1 : -1;
              for (unsigned int k = 0; k < 3; ++k)
                if (k != dir)
                  w *= bits[k] ? xi[k] : 1 - xi[k];
              for (unsigned int c = 0; c < 3; ++c)
                d[dir][c] += w * v[i][c];
            }
        }
      return det(d[0], d[1], d[2]);
    }

    std::vector<Point> corner_points(const ExternalMesh &mesh, const unsigned int c)
    {
      std::vector<Point> points;
      for (const auto v : mesh.cells.at(c).vertices)
        points.push_back(mesh.vertices.at(v));
      return points;
    }

    std::string shape_name(const CellShape shape)
    {
      return shape == CellShape::hexahedron ? "hexahedron" : "tetrahedron";
    }
  } // namespace

  ExternalMesh read_mesh_file(const std::string &file)
  {
    std::error_code error;
    if (std::filesystem::is_directory(file, error))
      internal::fail(file, 0, "is a directory, not a mesh file");
    const auto dot = file.find_last_of('.');
    const auto slash = file.find_last_of("/\\");
    const std::string extension =
      (dot == std::string::npos || (slash != std::string::npos && dot < slash)) ?
        std::string() :
        internal::to_upper(file.substr(dot));
    if (extension == ".INP")
      return read_abaqus_inp(file);
    if (extension == ".MSH")
      return read_gmsh_msh(file);
    internal::fail(file, 0,
                   "unknown mesh format '" + (extension.empty() ? "(no extension)" : extension) +
                     "': expected .inp (Abaqus/CalculiX input) or .msh (Gmsh, ASCII)");
  }

  double cell_volume(const ExternalMesh &mesh, const unsigned int c)
  {
    const auto v = corner_points(mesh, c);
    if (mesh.shape == CellShape::tetrahedron)
      return det(minus(v[1], v[0]), minus(v[2], v[0]), minus(v[3], v[0])) / 6;
    // det J of a trilinear map has degree <= 2 in each reference coordinate, so the 2-point
    // Gauss rule per direction integrates it exactly.
    const double g[2] = {0.5 - 0.5 / std::sqrt(3.0), 0.5 + 0.5 / std::sqrt(3.0)};
    double volume = 0;
    for (const double x : g)
      for (const double y : g)
        for (const double z : g)
          volume += hex_jacobian(v, x, y, z) / 8;
    return volume;
  }

  double min_corner_jacobian(const ExternalMesh &mesh, const unsigned int c)
  {
    const auto v = corner_points(mesh, c);
    if (mesh.shape == CellShape::tetrahedron)
      return det(minus(v[1], v[0]), minus(v[2], v[0]), minus(v[3], v[0]));
    double smallest = hex_jacobian(v, 0, 0, 0);
    for (unsigned int i = 1; i < 8; ++i)
      smallest = std::min(smallest, hex_jacobian(v, i & 1, (i >> 1) & 1, (i >> 2) & 1));
    return smallest;
  }

  void check_and_finish(ExternalMesh &mesh)
  {
    if (mesh.cells.empty())
      internal::fail(mesh.file, 0, "the mesh has no volume elements");
    const unsigned int n = vertices_per_cell(mesh.shape);
    for (unsigned int c = 0; c < mesh.cells.size(); ++c)
      {
        const auto &cell = mesh.cells[c];
        const std::string element = "element " + std::to_string(cell.label);
        if (cell.vertices.size() != n)
          internal::fail(cell.source, cell.line,
                         element + " has " + std::to_string(cell.vertices.size()) + " corners, a " +
                           shape_name(mesh.shape) + " has " + std::to_string(n));
        std::set<unsigned int> distinct;
        for (const auto v : cell.vertices)
          {
            if (v >= mesh.vertices.size())
              internal::fail(cell.source, cell.line, element + " has an invalid vertex index");
            distinct.insert(v);
          }
        if (distinct.size() != n)
          internal::fail(cell.source, cell.line,
                         element + " uses the same node for two of its corners");
        const double j = min_corner_jacobian(mesh, c);
        if (!(j > 0))
          {
            std::ostringstream what;
            what << element << " is inverted or degenerate: "
                 << (mesh.shape == CellShape::hexahedron ?
                       "the smallest Jacobian determinant over its corners is " :
                       "its signed volume x 6 is ")
                 << j << " mm^3 (check the node order of the element)";
            internal::fail(cell.source, cell.line, what.str());
          }
      }
    for (auto *sets : {&mesh.cell_sets, &mesh.vertex_sets})
      for (auto &[name, members] : *sets)
        {
          std::sort(members.begin(), members.end());
          members.erase(std::unique(members.begin(), members.end()), members.end());
        }
    for (auto &[name, faces] : mesh.face_sets)
      {
        // A face listed twice (two names for one element set, a Gmsh 2.2 element repeated for
        // two physical groups) is kept once.
        std::set<std::vector<unsigned int>> seen;
        std::vector<std::vector<unsigned int>> unique_faces;
        for (auto &face : faces)
          if (seen.insert(internal::face_key(face)).second)
            unique_faces.push_back(std::move(face));
        faces = std::move(unique_faces);
      }
  }

  bool equal_ignoring_case(const std::string &a, const std::string &b)
  {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](const char x, const char y) {
             return std::toupper(static_cast<unsigned char>(x)) ==
                    std::toupper(static_cast<unsigned char>(y));
           });
  }

  std::vector<unsigned int> cell_face(const ExternalMesh &mesh, const unsigned int c,
                                      const unsigned int f)
  {
    // Local vertices of each face, going around its perimeter.
    static const unsigned int hex[6][4] = {{0, 2, 6, 4}, {1, 3, 7, 5}, {0, 1, 5, 4},
                                           {2, 3, 7, 6}, {0, 1, 3, 2}, {4, 5, 7, 6}};
    static const unsigned int tet[4][3] = {{0, 1, 2}, {1, 0, 3}, {0, 2, 3}, {2, 1, 3}};
    if (f >= faces_per_cell(mesh.shape))
      throw std::out_of_range("cell_face: face " + std::to_string(f) + " of a " +
                              shape_name(mesh.shape) + " does not exist");
    const auto &v = mesh.cells.at(c).vertices;
    std::vector<unsigned int> face;
    if (mesh.shape == CellShape::hexahedron)
      for (const auto i : hex[f])
        face.push_back(v.at(i));
    else
      for (const auto i : tet[f])
        face.push_back(v.at(i));
    return face;
  }
} // namespace bonefusion::meshing
