// Requirement: an imported mesh becomes a triangulation whose material ids are the case's
// element sets and whose boundary ids are its named supports/loads (surfaces by face, node sets
// by "all corners in the set"), for hexahedra (p4est) and tetrahedra (fully distributed); every
// inconsistency between the case and the mesh is an error naming the set and element. The
// surface load-case syntax of Mesh model/Load cases parses to N and N mm.
#include <deal.II/base/mpi.h>
#include <deal.II/grid/tria.h>

#include "meshing/mesh_import.h"
#include "loads/surface_load_case.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

using bonefusion::meshing::CellShape;
using bonefusion::meshing::ExternalMesh;
using bonefusion::meshing::ImportedNames;
using bonefusion::meshing::make_triangulation;

namespace
{
  /** A 2 x 1 x 1 block of two unit hexahedra (deal.II vertex order): LEFT and RIGHT cells,
   *  node set BOTTOM (z = 0), surface TOP (the two z = 1 faces). */
  ExternalMesh two_hexes()
  {
    ExternalMesh m;
    m.file = "two_hexes.inp";
    for (int k = 0; k < 2; ++k)
      for (int j = 0; j < 2; ++j)
        for (int i = 0; i < 3; ++i)
          {
            m.vertices.push_back({{double(i), double(j), double(k)}});
            m.vertex_labels.push_back(m.vertices.size());
          }
    const auto v = [](int i, int j, int k) { return unsigned(i + 3 * (j + 2 * k)); };
    for (int c = 0; c < 2; ++c)
      {
        ExternalMesh::Cell cell;
        cell.vertices = {v(c, 0, 0), v(c + 1, 0, 0), v(c, 1, 0), v(c + 1, 1, 0),
                         v(c, 0, 1), v(c + 1, 0, 1), v(c, 1, 1), v(c + 1, 1, 1)};
        cell.label = c + 1;
        cell.line = 10 + c;
        m.cells.push_back(cell);
      }
    m.cell_sets["LEFT"] = {0};
    m.cell_sets["RIGHT"] = {1};
    m.cell_sets["ALL"] = {0, 1};
    m.vertex_sets["BOTTOM"] = {v(0, 0, 0), v(1, 0, 0), v(2, 0, 0),
                               v(0, 1, 0), v(1, 1, 0), v(2, 1, 0)};
    m.face_sets["TOP"] = {{v(0, 0, 1), v(1, 0, 1), v(1, 1, 1), v(0, 1, 1)},
                          {v(1, 0, 1), v(2, 0, 1), v(2, 1, 1), v(1, 1, 1)}};
    return m;
  }

  /** Boundary id -> number of boundary faces, and material id -> cells, of the active mesh. */
  std::pair<std::map<unsigned, unsigned>, std::map<unsigned, unsigned>>
  count(const dealii::Triangulation<3> &tria)
  {
    std::map<unsigned, unsigned> faces, cells;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          ++cells[cell->material_id()];
          for (const unsigned f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              ++faces[cell->face(f)->boundary_id()];
        }
    return {faces, cells};
  }

  std::string error_of(const ExternalMesh &m, const std::vector<std::string> &regions,
                       const std::vector<std::string> &boundaries)
  {
    ImportedNames names;
    try
      {
        make_triangulation(m, regions, boundaries, 0, MPI_COMM_SELF, names);
      }
    catch (const std::runtime_error &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace

TEST(MeshImport, HexahedraGetRegionsAndNamedBoundaries)
{
  ImportedNames names;
  const auto tria =
    make_triangulation(two_hexes(), {"right", "LEFT"}, {"BOTTOM", "top"}, 1, MPI_COMM_SELF, names);
  const auto [faces, cells] = count(*tria);
  // One refinement: each unit face becomes 4, each cell 8.
  EXPECT_EQ(faces.at(1), 8u);  // BOTTOM: 2 faces
  EXPECT_EQ(faces.at(2), 8u);  // TOP: 2 faces
  EXPECT_EQ(faces.at(0), 24u); // the 6 side faces stay free
  EXPECT_EQ(cells.at(1), 8u);  // "right" (case-insensitive) is material id 1
  EXPECT_EQ(cells.at(2), 8u);
  EXPECT_EQ(names.boundary_faces, (std::vector<unsigned long>{2, 2}));
}

TEST(MeshImport, TetrahedraRunOnTheFullyDistributedTriangulation)
{
  // The unit cube split into 6 tetrahedra around the diagonal (0,0,0)-(1,1,1), all with
  // positive orientation.
  ExternalMesh m;
  m.file = "cube.msh";
  m.shape = CellShape::tetrahedron;
  for (int k = 0; k < 2; ++k)
    for (int j = 0; j < 2; ++j)
      for (int i = 0; i < 2; ++i)
        {
          m.vertices.push_back({{double(i), double(j), double(k)}});
          m.vertex_labels.push_back(m.vertices.size());
        }
  const unsigned tets[6][4] = {{0, 1, 3, 7}, {0, 3, 2, 7}, {0, 2, 6, 7},
                               {0, 6, 4, 7}, {0, 4, 5, 7}, {0, 5, 1, 7}};
  for (unsigned c = 0; c < 6; ++c)
    {
      ExternalMesh::Cell cell;
      cell.vertices.assign(tets[c], tets[c] + 4);
      cell.label = c + 1;
      m.cells.push_back(cell);
      m.cell_sets["BONE"].push_back(c);
    }
  m.vertex_sets["BASE"] = {0, 1, 2, 3};
  m.face_sets["LID"] = {{4, 5, 7}, {4, 7, 6}};
  ImportedNames names;
  const auto tria = make_triangulation(m, {"BONE"}, {"BASE", "LID"}, 0, MPI_COMM_WORLD, names);
  EXPECT_FALSE(tria->all_reference_cells_are_hyper_cube());
  EXPECT_EQ(tria->n_global_active_cells(), 6u);
  EXPECT_EQ(names.boundary_faces, (std::vector<unsigned long>{2, 2}));
  const auto [faces, cells] = count(*tria);
  const unsigned base =
    dealii::Utilities::MPI::sum(faces.count(1) ? faces.at(1) : 0u, MPI_COMM_WORLD);
  EXPECT_EQ(base, 2u);
}

TEST(MeshImport, InconsistentCaseAndMeshAreErrorsNamingSetAndElement)
{
  const ExternalMesh m = two_hexes();
  EXPECT_NE(error_of(m, {"LEFT"}, {"BOTTOM"}).find("element 2 (two_hexes.inp:11) belongs to none"),
            std::string::npos);
  EXPECT_NE(error_of(m, {"LEFT", "ALL"}, {"BOTTOM"}).find("is in both 'LEFT' and 'ALL'"),
            std::string::npos);
  EXPECT_NE(error_of(m, {"BONE"}, {"BOTTOM"}).find("element set 'BONE' is not defined"),
            std::string::npos);
  EXPECT_NE(error_of(m, {"ALL"}, {"BASE"}).find("'BASE' is neither a surface nor a node set"),
            std::string::npos);
  ExternalMesh overlap = two_hexes();
  overlap.vertex_sets["EVERYTHING"] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  EXPECT_NE(error_of(overlap, {"ALL"}, {"EVERYTHING", "TOP"}).find("is in both"),
            std::string::npos);
  ExternalMesh inner = two_hexes();
  inner.face_sets["MIDDLE"] = {{1, 4, 7, 10}}; // the shared face x = 1
  EXPECT_NE(error_of(inner, {"ALL"}, {"BOTTOM", "MIDDLE"}).find("no boundary face"),
            std::string::npos);
}

TEST(SurfaceLoadCases, ParseUnitsAndCombinations)
{
  using bonefusion::loads::parse_surface_load_cases;
  const auto cases = parse_surface_load_cases(
    "press: pressure=2; bend: moment = 0, 1.5, 0  force=0,0,-100 ; shear:force=1,2,3", "P");
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(cases[0].name, "press");
  EXPECT_DOUBLE_EQ(cases[0].pressure, 2.0);
  EXPECT_DOUBLE_EQ(cases[1].moment[1], 1500.0); // N m -> N mm
  EXPECT_DOUBLE_EQ(cases[1].force[2], -100.0);
  EXPECT_DOUBLE_EQ(cases[2].force[1], 2.0);
  for (const std::string bad : {"", "nocolon", "a: ", "a: force=1,2", "a: torque=1,2,3",
                                "a: pressure=x", "a: pressure=1; a: pressure=2", "a b: pressure=1"})
    EXPECT_THROW(parse_surface_load_cases(bad, "Mesh model/Load cases"), std::invalid_argument)
      << bad;
}
