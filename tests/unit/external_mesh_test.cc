// Requirement: Abaqus/CalculiX .inp and Gmsh .msh meshes are read into ExternalMesh with corner
// vertices in deal.II order (a 2x1x1 C3D8 block has volume 2 and the right corner coordinates),
// element/node/surface sets resolved by name (GENERATE, sets of sets, *INCLUDE, S1..S6 faces on
// the right sides), second-order cells measured for curvature, complete CalculiX decks read with
// their analysis keywords listed as ignored, Gmsh 2.2/4.0/4.1 files of one geometry giving the
// same mesh, and every malformed input refused with "<file>:<line>:" in the message.
#include <gtest/gtest.h>

#include "meshing/external_mesh.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{
  using namespace bonefusion::meshing;
  namespace fs = std::filesystem;

  const std::string mesh_dir = std::string(BONEFUSION_SOURCE_DIR) + "/tests/unit/meshes/";

  /** Each test writes its input decks into a fresh folder of its own. */
  class ExternalMeshTest : public ::testing::Test
  {
  protected:
    void SetUp() override
    {
      const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
      dir = fs::temp_directory_path() / ("bonefusion_external_mesh_" +
                                         std::string(info->test_suite_name()) + "_" + info->name());
      fs::remove_all(dir);
      fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }

    /** Writes `text` to dir/name (creating sub-folders) and returns the path. */
    std::string write(const std::string &name, const std::string &text) const
    {
      const fs::path path = dir / name;
      fs::create_directories(path.parent_path());
      std::ofstream(path) << text;
      return path.string();
    }

    fs::path dir;
  };

  class ExternalMeshAbaqus : public ExternalMeshTest
  {
  };
  class ExternalMeshAbaqusErrors : public ExternalMeshTest
  {
  };
  class ExternalMeshGmsh : public ExternalMeshTest
  {
  };

  /** 1-based number of the first line of `text` that contains `marker`. */
  unsigned int line_of(const std::string &text, const std::string &marker)
  {
    std::istringstream in(text);
    std::string line;
    for (unsigned int n = 1; std::getline(in, line); ++n)
      if (line.find(marker) != std::string::npos)
        return n;
    ADD_FAILURE() << "marker '" << marker << "' not in the test input";
    return 0;
  }

  /** The message of the std::runtime_error that f throws, or "(no exception)". */
  std::string error_of(const std::function<void()> &f)
  {
    try
      {
        f();
      }
    catch (const std::runtime_error &e)
      {
        return e.what();
      }
    return "(no exception)";
  }

#define EXPECT_CONTAINS(text, part)                                                                \
  EXPECT_NE(std::string(text).find(part), std::string::npos)                                       \
    << "expected \"" << (part) << "\" in \"" << (text) << "\""

  /** "<file>:<line>:" as it starts an error message. */
  std::string at(const std::string &file, const unsigned int line)
  {
    return file + ":" + std::to_string(line) + ":";
  }

  double total_volume(const ExternalMesh &mesh, const std::vector<unsigned int> *cells = nullptr)
  {
    double v = 0;
    if (cells)
      for (const auto c : *cells)
        v += cell_volume(mesh, c);
    else
      for (unsigned int c = 0; c < mesh.cells.size(); ++c)
        v += cell_volume(mesh, c);
    return v;
  }

  using Point = std::array<double, 3>;

  Point vertex(const ExternalMesh &m, const unsigned int c, const unsigned int i)
  {
    return m.vertices[m.cells[c].vertices[i]];
  }

  /** Coordinate d of every corner of a face. */
  std::set<double> face_coordinates(const ExternalMesh &m, const std::vector<unsigned int> &face,
                                    const unsigned int d)
  {
    std::set<double> values;
    for (const auto v : face)
      values.insert(m.vertices[v][d]);
    return values;
  }

  /** Area [mm^2] of a planar triangle or (planar) quadrangle given in perimeter order. */
  double face_area(const ExternalMesh &m, const std::vector<unsigned int> &face)
  {
    auto cross_norm = [&](const Point &a, const Point &b, const Point &c) {
      const Point u = {{b[0] - a[0], b[1] - a[1], b[2] - a[2]}};
      const Point w = {{c[0] - a[0], c[1] - a[1], c[2] - a[2]}};
      return std::hypot(u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2],
                        u[0] * w[1] - u[1] * w[0]);
    };
    const auto &x = m.vertices;
    double a = cross_norm(x[face[0]], x[face[1]], x[face[2]]) / 2;
    if (face.size() == 4)
      a += cross_norm(x[face[0]], x[face[2]], x[face[3]]) / 2;
    return a;
  }

  // Nodes of a 2 x 1 x 1 mm block: node 1 + i + 3 j + 6 k sits at (i, j, k).
  const std::string block_nodes = R"(*NODE, NSET=ALL
1, 0., 0., 0.
2, 1., 0., 0.
3, 2., 0., 0.
4, 0., 1., 0.
5, 1., 1., 0.
6, 2., 1., 0.
7, 0., 0., 1.
8, 1., 0., 1.
9, 2., 0., 1.
10, 0., 1., 1.
11, 1., 1., 1.
12, 2., 1., 1.
999, 5.0D0, 5., 5.
)";

  const std::string block_deck = "*HEADING\nbonefusion test block\n** a comment line\n" +
                                 block_nodes + R"(*ELEMENT, TYPE=C3D8, ELSET=Bone
1, 1, 2, 5, 4, 7, 8, 11, 10
2, 2, 3, 6, 5,
   8, 9, 12, 11
*ELSET, ELSET=LEFT
1
*ELSET, ELSET=gen, GENERATE
1, 2, 1
*ELSET, ELSET=BOTH
left, 2
*NSET, NSET=bottom
1, 2, 3, 4, 5, 6, 999
*NSET, NSET=Corners
BOTTOM, 12
*Surface, name=Top, type=ELEMENT
BONE, S2
*SURFACE, NAME=LoadNodes, TYPE=NODE
12
)";

  TEST_F(ExternalMeshAbaqus, BlockVerticesCellsAndVolume)
  {
    const auto m = read_abaqus_inp(write("block.inp", block_deck));
    EXPECT_EQ(m.shape, CellShape::hexahedron);
    EXPECT_EQ(m.order, 1u);
    // Node 999 is no element corner, so it is not a vertex.
    ASSERT_EQ(m.vertices.size(), 12u);
    EXPECT_EQ(m.vertex_labels.front(), 1);
    EXPECT_EQ(m.vertex_labels.back(), 12);
    ASSERT_EQ(m.cells.size(), 2u);
    EXPECT_EQ(m.cells[0].label, 1);
    EXPECT_EQ(m.cells[1].label, 2);
    EXPECT_EQ(m.cells[0].line, line_of(block_deck, "1, 1, 2, 5, 4"));
    EXPECT_EQ(m.cells[1].line, line_of(block_deck, "2, 2, 3, 6, 5,"));
    EXPECT_EQ(m.cells[0].source, (dir / "block.inp").string());
    // deal.II order: vertex i of cell 0 sits at (i & 1, (i >> 1) & 1, (i >> 2) & 1).
    for (unsigned int i = 0; i < 8; ++i)
      {
        const Point expected = {{double(i & 1), double((i >> 1) & 1), double((i >> 2) & 1)}};
        EXPECT_EQ(vertex(m, 0, i), expected) << "vertex " << i;
        const Point shifted = {{expected[0] + 1, expected[1], expected[2]}};
        EXPECT_EQ(vertex(m, 1, i), shifted) << "vertex " << i << " of the continued element";
      }
    EXPECT_NEAR(total_volume(m), 2.0, 1e-14);
    EXPECT_NEAR(min_corner_jacobian(m, 0), 1.0, 1e-14);
    EXPECT_EQ(m.max_midside_offset, 0.0);
    EXPECT_EQ(m.ignored_keywords, std::vector<std::string>{"*HEADING (line 1)"});
  }

  TEST_F(ExternalMeshAbaqus, BlockSets)
  {
    const auto m = read_abaqus_inp(write("block.inp", block_deck));
    using V = std::vector<unsigned int>;
    EXPECT_EQ(m.cell_sets.size(), 4u);
    EXPECT_EQ(m.cell_sets.at("Bone"), (V{0, 1}));
    EXPECT_EQ(m.cell_sets.at("LEFT"), (V{0}));
    EXPECT_EQ(m.cell_sets.at("gen"), (V{0, 1}));  // GENERATE
    EXPECT_EQ(m.cell_sets.at("BOTH"), (V{0, 1})); // "left" names LEFT, plus element 2
    ASSERT_NE(find_set(m.cell_sets, "bone"), nullptr);
    EXPECT_EQ(find_set(m.cell_sets, "BONE")->size(), 2u);
    EXPECT_EQ(find_set(m.cell_sets, "marrow"), nullptr);

    // Node sets keep vertices only: node 999 is dropped.
    EXPECT_EQ(m.vertex_sets.at("ALL").size(), 12u);
    EXPECT_EQ(m.vertex_sets.at("bottom"), (V{0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(m.vertex_sets.at("Corners"), (V{0, 1, 2, 3, 4, 5, 11}));
    EXPECT_EQ(m.vertex_sets.at("LoadNodes"), (V{11}));
    for (const auto v : m.vertex_sets.at("bottom"))
      EXPECT_EQ(m.vertices[v][2], 0.0);

    // S2 of both elements: the two top faces, x in [0,1] and [1,2] at z = 1.
    const auto &top = m.face_sets.at("Top");
    ASSERT_EQ(top.size(), 2u);
    for (unsigned int f = 0; f < 2; ++f)
      {
        ASSERT_EQ(top[f].size(), 4u);
        EXPECT_EQ(face_coordinates(m, top[f], 2), std::set<double>{1.0});
        EXPECT_EQ(face_coordinates(m, top[f], 0), (std::set<double>{double(f), double(f + 1)}));
        EXPECT_EQ(face_coordinates(m, top[f], 1), (std::set<double>{0.0, 1.0}));
        EXPECT_NEAR(face_area(m, top[f]), 1.0, 1e-14);
      }
  }

  TEST_F(ExternalMeshAbaqus, HexahedronFaceNumbersFollowCalculiX)
  {
    // One unit cube; each S<n> must land on the side the CalculiX manual gives it:
    // S1 1-2-3-4 (z=0), S2 5-8-7-6 (z=1), S3 1-5-6-2 (y=0), S4 2-6-7-3 (x=1), S5 3-7-8-4 (y=1),
    // S6 4-8-5-1 (x=0).
    std::string deck = R"(*NODE
1, 0, 0, 0
2, 1, 0, 0
3, 1, 1, 0
4, 0, 1, 0
5, 0, 0, 1
6, 1, 0, 1
7, 1, 1, 1
8, 0, 1, 1
*ELEMENT, TYPE=C3D8R, ELSET=E
7, 1, 2, 3, 4, 5, 6, 7, 8
)";
    for (int s = 1; s <= 6; ++s)
      deck += "*SURFACE, NAME=S" + std::to_string(s) + "\n7, S" + std::to_string(s) + "\n";
    const auto m = read_abaqus_inp(write("cube.inp", deck));
    const std::pair<unsigned int, double> side[6] = {{2, 0}, {2, 1}, {1, 0},
                                                     {0, 1}, {1, 1}, {0, 0}};
    for (int s = 1; s <= 6; ++s)
      {
        const auto &faces = m.face_sets.at("S" + std::to_string(s));
        ASSERT_EQ(faces.size(), 1u);
        EXPECT_EQ(face_coordinates(m, faces[0], side[s - 1].first),
                  std::set<double>{side[s - 1].second})
          << "S" << s;
        EXPECT_NEAR(face_area(m, faces[0]), 1.0, 1e-14) << "S" << s << " in perimeter order";
      }
    // C3D8R is read as a hexahedron, with a note.
    ASSERT_EQ(m.ignored_keywords.size(), 1u);
    EXPECT_CONTAINS(m.ignored_keywords[0], "C3D8R");
    EXPECT_CONTAINS(m.ignored_keywords[0], "line 10");
  }

  TEST_F(ExternalMeshAbaqus, IncludeFromSubfolders)
  {
    // Nodes in one file, elements in another that includes its sets from its own folder.
    write("parts/nodes.inp", block_nodes);
    const std::string elements = R"(** elements of the block
*ELEMENT, TYPE=C3D8, ELSET=BONE
1, 1, 2, 5, 4, 7, 8, 11, 10
2, 2, 3, 6, 5, 8, 9, 12, 11
*INCLUDE, INPUT=sets.inp
)";
    write("parts/elements.inp", elements);
    write("parts/sets.inp", "*ELSET, ELSET=RIGHT\n2\n");
    const std::string main = "*INCLUDE, INPUT=parts/nodes.inp\n"
                             "*INCLUDE,\n  INPUT=parts/elements.inp\n*NSET, NSET=N\n1\n";
    const auto m = read_mesh_file(write("main.inp", main));
    ASSERT_EQ(m.cells.size(), 2u);
    EXPECT_EQ(m.vertices.size(), 12u);
    EXPECT_EQ(fs::path(m.cells[1].source).filename(), "elements.inp");
    EXPECT_EQ(fs::path(m.cells[1].source).parent_path().filename(), "parts");
    EXPECT_EQ(m.cells[1].line, line_of(elements, "2, 2, 3"));
    EXPECT_EQ(m.cell_sets.at("RIGHT"), std::vector<unsigned int>{1});
    EXPECT_EQ(m.vertex_sets.at("N"), std::vector<unsigned int>{0});
    EXPECT_NEAR(total_volume(m), 2.0, 1e-14);
  }

  // A unit cube as C3D20: corners 1-8 as in the CalculiX manual, midside nodes 9-20 on edges
  // 1-2, 2-3, 3-4, 4-1, 5-6, 6-7, 7-8, 8-5, 1-5, 2-6, 3-7, 4-8.
  std::string c3d20_deck(const double shift_of_node_9)
  {
    std::ostringstream d;
    d << R"(*NODE
1, 0, 0, 0
2, 1, 0, 0
3, 1, 1, 0
4, 0, 1, 0
5, 0, 0, 1
6, 1, 0, 1
7, 1, 1, 1
8, 0, 1, 1
)";
    d << "9, 0.5, " << shift_of_node_9 << R"(, 0
10, 1, 0.5, 0
11, 0.5, 1, 0
12, 0, 0.5, 0
13, 0.5, 0, 1
14, 1, 0.5, 1
15, 0.5, 1, 1
16, 0, 0.5, 1
17, 0, 0, 0.5
18, 1, 0, 0.5
19, 1, 1, 0.5
20, 0, 1, 0.5
*ELEMENT, TYPE=C3D20, ELSET=Q
1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
16, 17, 18, 19, 20
*NSET, NSET=BOTTOM_EDGE
1, 9, 2
)";
    return d.str();
  }

  TEST_F(ExternalMeshAbaqus, QuadraticHexahedronMidsideNodes)
  {
    const auto m = read_abaqus_inp(write("c3d20.inp", c3d20_deck(0)));
    EXPECT_EQ(m.shape, CellShape::hexahedron);
    EXPECT_EQ(m.order, 2u);
    EXPECT_EQ(m.vertices.size(), 8u); // midside nodes are not vertices
    ASSERT_EQ(m.cells.size(), 1u);
    EXPECT_EQ(vertex(m, 0, 3), (Point{{1, 1, 0}}));
    EXPECT_NEAR(m.max_midside_offset, 0.0, 1e-15);
    EXPECT_NEAR(total_volume(m), 1.0, 1e-14);
    // Midside node 9 is dropped from the node set.
    EXPECT_EQ(m.vertex_sets.at("BOTTOM_EDGE").size(), 2u);

    // Node 9 moved 0.2 mm off the middle of its 1 mm edge: offset 0.2.
    const auto curved = read_abaqus_inp(write("c3d20_curved.inp", c3d20_deck(0.2)));
    EXPECT_GT(curved.max_midside_offset, 0.1);
    EXPECT_NEAR(curved.max_midside_offset, 0.2, 1e-12);
  }

  const std::string tet_nodes = R"(*NODE
1, 0, 0, 0
2, 1, 0, 0
3, 0, 1, 0
4, 0, 0, 1
5, 0.5, 0, 0
6, 0.5, 0.5, 0
7, 0, 0.5, 0
8, 0, 0, 0.5
9, 0.5, 0, 0.5
10, 0, 0.5, 0.5
)";

  TEST_F(ExternalMeshAbaqus, LinearAndQuadraticTetrahedra)
  {
    // Faces per the CalculiX manual: S1 1-2-3 (z=0), S2 1-4-2 (y=0), S3 2-4-3 (x+y+z=1),
    // S4 3-4-1 (x=0).
    const std::string linear = tet_nodes + "*ELEMENT, TYPE=C3D4, ELSET=T\n5, 1, 2, 3, 4\n"
                                           "*SURFACE, NAME=S1\n5, S1\n*SURFACE, NAME=S2\nT, S2\n"
                                           "*SURFACE, NAME=S3\nT, S3\n*SURFACE, NAME=S4\nT, S4\n";
    const auto m = read_abaqus_inp(write("c3d4.inp", linear));
    EXPECT_EQ(m.shape, CellShape::tetrahedron);
    EXPECT_EQ(m.order, 1u);
    EXPECT_EQ(m.vertices.size(), 4u);
    EXPECT_NEAR(total_volume(m), 1.0 / 6, 1e-15);
    EXPECT_NEAR(min_corner_jacobian(m, 0), 1.0, 1e-15);
    EXPECT_EQ(face_coordinates(m, m.face_sets.at("S1")[0], 2), std::set<double>{0.0});
    EXPECT_EQ(face_coordinates(m, m.face_sets.at("S2")[0], 1), std::set<double>{0.0});
    EXPECT_EQ(face_coordinates(m, m.face_sets.at("S4")[0], 0), std::set<double>{0.0});
    EXPECT_NEAR(face_area(m, m.face_sets.at("S3")[0]), std::sqrt(3.0) / 2, 1e-14);
    for (const auto v : m.face_sets.at("S3")[0])
      EXPECT_NEAR(m.vertices[v][0] + m.vertices[v][1] + m.vertices[v][2], 1.0, 1e-15);

    const auto q =
      read_abaqus_inp(write("c3d10.inp", tet_nodes + "*ELEMENT, TYPE=C3D10, ELSET=T\n"
                                                     "1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10\n"));
    EXPECT_EQ(q.order, 2u);
    EXPECT_EQ(q.vertices.size(), 4u);
    EXPECT_NEAR(q.max_midside_offset, 0.0, 1e-15);
    EXPECT_NEAR(total_volume(q), 1.0 / 6, 1e-15);
  }

  TEST_F(ExternalMeshAbaqus, CompleteCalculixDeckIsReadAsMesh)
  {
    const std::string deck =
      "*HEADING\nCompression of a block\n" + block_nodes + R"(*ELEMENT, TYPE=C3D8I, ELSET=EALL
1, 1, 2, 5, 4, 7, 8, 11, 10
2, 2, 3, 6, 5, 8, 9, 12, 11
*NSET, NSET=FIX
1, 2, 3, 4, 5, 6
*MATERIAL, NAME=BONE
*ELASTIC
12000., 0.3
*SOLID SECTION, ELSET=EALL, MATERIAL=BONE
*BOUNDARY
FIX, 1, 3
*STEP
*STATIC
*CLOAD
12, 3, -10.
*DLOAD
EALL, P2, 1.
*NODE PRINT, NSET=FIX
RF
*EL PRINT, ELSET=EALL
S
*NODE FILE
U
*END STEP
)";
    const auto m = read_abaqus_inp(write("deck.inp", deck));
    EXPECT_EQ(m.cells.size(), 2u);
    EXPECT_EQ(m.vertices.size(), 12u);
    EXPECT_EQ(m.vertex_sets.at("FIX").size(), 6u);
    auto listed = [&](const std::string &keyword) {
      const std::string entry = keyword + " (line " + std::to_string(line_of(deck, keyword)) + ")";
      return std::find(m.ignored_keywords.begin(), m.ignored_keywords.end(), entry) !=
             m.ignored_keywords.end();
    };
    for (const char *k :
         {"*HEADING", "*MATERIAL", "*ELASTIC", "*SOLID SECTION", "*BOUNDARY", "*STEP", "*STATIC",
          "*CLOAD", "*DLOAD", "*NODE PRINT", "*EL PRINT", "*NODE FILE", "*END STEP"})
      EXPECT_TRUE(listed(k)) << k;
    EXPECT_EQ(m.ignored_keywords.size(), 14u); // 13 keywords and the C3D8I note
  }

  TEST_F(ExternalMeshAbaqusErrors, MissingFileAndUnknownExtension)
  {
    const std::string missing = (dir / "nowhere.inp").string();
    EXPECT_CONTAINS(error_of([&] { read_mesh_file(missing); }), missing);
    const std::string missing_msh = (dir / "nowhere.msh").string();
    EXPECT_CONTAINS(error_of([&] { read_mesh_file(missing_msh); }), missing_msh);
    const std::string vtk = write("mesh.vtk", "# vtk DataFile Version 3.0\n");
    const std::string e = error_of([&] { read_mesh_file(vtk); });
    EXPECT_CONTAINS(e, vtk);
    EXPECT_CONTAINS(e, ".inp");
  }

  /** A deck written to `file` and the error the Abaqus reader gives for it. */
  struct Broken
  {
    Broken(const std::string &file, std::string text)
      : deck(std::move(text))
    {
      std::ofstream(file) << deck;
      message = error_of([&] { read_abaqus_inp(file); });
    }
    std::string deck, message;
  };

  std::string replaced(std::string text, const std::string &from, const std::string &to)
  {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  }

  TEST_F(ExternalMeshAbaqusErrors, ElementProblemsNameFileAndLine)
  {
    const std::string file = (dir / "bad.inp").string();
    struct Case
    {
      std::string from, to, marker, says;
    };
    const Case cases[] = {
      // A node referenced by an element but never defined.
      {"1, 1, 2, 5, 4, 7, 8, 11, 10", "1, 1, 2, 5, 4, 7, 8, 11, 77", "11, 77", "node 77"},
      // Duplicate element numbers.
      {"2, 2, 3, 6, 5,", "1, 2, 3, 6, 5,", "1, 2, 3, 6, 5,", "element 1 is defined twice"},
      // Wrong node count.
      {"1, 1, 2, 5, 4, 7, 8, 11, 10", "1, 1, 2, 5, 4, 7, 8, 11", "1, 1, 2, 5, 4, 7, 8, 11",
       "7 nodes"},
      // Non-numeric fields.
      {"1, 1, 2, 5, 4, 7, 8, 11, 10", "1, 1, 2, 5, 4, 7, 8, 11, ten", "ten", "'ten'"},
      {"5, 1., 1., 0.", "5, 1., one, 0.", "one, 0.", "'one'"},
      // Unsupported element types name themselves and the supported list.
      {"*ELEMENT, TYPE=C3D8, ELSET=Bone", "*ELEMENT, TYPE=C3D6, ELSET=Bone", "C3D6", "C3D6"},
      {"*ELEMENT, TYPE=C3D8, ELSET=Bone", "*ELEMENT, TYPE=S4, ELSET=Bone", "S4", "C3D20R"},
      // Inverted element: top and bottom swapped.
      {"1, 1, 2, 5, 4, 7, 8, 11, 10", "1, 7, 8, 11, 10, 1, 2, 5, 4", "1, 7, 8",
       "element 1 is "
       "inverted"},
      // Sets referenced but undefined.
      {"left, 2", "lft, 2", "lft", "element set 'lft'"},
      {"BOTTOM, 12", "BOTOM, 12", "BOTOM", "node set 'BOTOM'"},
      {"BONE, S2", "BONES, S2", "BONES", "element set 'BONES'"},
      // Set members that do not exist.
      {"*ELSET, ELSET=LEFT\n1", "*ELSET, ELSET=LEFT\n3", "\n3", "element 3"},
      {"*NSET, NSET=bottom\n1, 2", "*NSET, NSET=bottom\n1, 20", "1, 20", "node 20"},
      // A face that a hexahedron does not have.
      {"BONE, S2", "BONE, S7", "S7", "S7"},
    };
    for (const auto &c : cases)
      {
        const Broken b(file, replaced(block_deck, c.from, c.to));
        const std::string marker = c.marker[0] == '\n' ? c.marker.substr(1) : c.marker;
        // For a marker on its own line, find that exact line after the *ELSET.
        const unsigned int line =
          c.marker[0] == '\n' ? line_of(b.deck, "*ELSET, ELSET=LEFT") + 1 : line_of(b.deck, marker);
        EXPECT_CONTAINS(b.message, at(file, line)) << "case " << c.to;
        EXPECT_CONTAINS(b.message, c.says) << "case " << c.to;
      }
  }

  TEST_F(ExternalMeshAbaqusErrors, MixedShapesNoElementsAndTetrahedronFaces)
  {
    const std::string file = (dir / "bad.inp").string();
    const std::string mixed = tet_nodes + R"(*ELEMENT, TYPE=C3D4, ELSET=screw
1, 1, 2, 3, 4
*NODE
11, 1, 1, 0
12, 1, 0, 1
13, 1, 1, 1
14, 0, 1, 1
*ELEMENT, TYPE=C3D8, ELSET=bone
2, 1, 2, 11, 3, 4, 12, 13, 14
)";
    const Broken m(file, mixed);
    EXPECT_CONTAINS(m.message, at(file, line_of(mixed, "ELSET=bone")));
    EXPECT_CONTAINS(m.message, "ELSET=screw");
    EXPECT_CONTAINS(m.message, "ELSET=bone");
    EXPECT_CONTAINS(m.message, "hexahedra and tetrahedra");

    const std::string none = block_nodes + "*NSET, NSET=A\n1\n";
    const Broken n(file, none);
    EXPECT_CONTAINS(n.message, at(file, line_of(none, "*NSET, NSET=A") + 1));
    EXPECT_CONTAINS(n.message, "without volume elements");

    const std::string s5 = tet_nodes + "*ELEMENT, TYPE=C3D4, ELSET=T\n1, 1, 2, 3, 4\n"
                                       "*SURFACE, NAME=X, TYPE=ELEMENT\nT, S5\n";
    const Broken f(file, s5);
    EXPECT_CONTAINS(f.message, at(file, line_of(s5, "T, S5")));
    EXPECT_CONTAINS(f.message, "S1..S4");

    const std::string inverted = tet_nodes + "*ELEMENT, TYPE=C3D4\n1, 1, 3, 2, 4\n";
    const Broken i(file, inverted);
    EXPECT_CONTAINS(i.message, at(file, line_of(inverted, "1, 1, 3, 2, 4")));
    EXPECT_CONTAINS(i.message, "element 1 is inverted");
  }

  TEST_F(ExternalMeshAbaqusErrors, IncludeProblemsNameTheIncludingLine)
  {
    const std::string main_text = "** main\n*HEADING\nx\n*INCLUDE, INPUT=sub/missing.inp\n";
    const std::string main_file = write("main.inp", main_text);
    const std::string missing = error_of([&] { read_abaqus_inp(main_file); });
    EXPECT_CONTAINS(missing, at(main_file, 4));
    EXPECT_CONTAINS(missing, "missing.inp");

    // a.inp -> sub/b.inp -> ../a.inp
    const std::string a = write("a.inp", "*INCLUDE, INPUT=sub/b.inp\n");
    const std::string b = write("sub/b.inp", "** b\n*INCLUDE, INPUT=../a.inp\n");
    const std::string cycle = error_of([&] { read_abaqus_inp(a); });
    EXPECT_CONTAINS(cycle, at(b, 2));
    EXPECT_CONTAINS(cycle, "cycle");
  }

  // --- Gmsh ---------------------------------------------------------------------------------

  /** Summary of a mesh for comparing files of one geometry. */
  struct Summary
  {
    std::size_t vertices, cells;
    std::map<std::string, std::size_t> cell_sets, face_sets;
    bool operator==(const Summary &o) const
    {
      return vertices == o.vertices && cells == o.cells && cell_sets == o.cell_sets &&
             face_sets == o.face_sets;
    }
  };

  Summary summary(const ExternalMesh &m)
  {
    Summary s{m.vertices.size(), m.cells.size(), {}, {}};
    for (const auto &[name, cells] : m.cell_sets)
      s.cell_sets[name] = cells.size();
    for (const auto &[name, faces] : m.face_sets)
      s.face_sets[name] = faces.size();
    return s;
  }

  /** The two-block geometry of box_hex.geo / box_tet.geo: bone 2 mm^3 under graft 1 mm^3,
   *  bottom face at z = 0 and top face at z = 1.5, each 2 mm^2. */
  void expect_two_blocks(const ExternalMesh &m)
  {
    EXPECT_NEAR(total_volume(m), 3.0, 3e-10);
    EXPECT_NEAR(total_volume(m, &m.cell_sets.at("bone")), 2.0, 2e-10);
    EXPECT_NEAR(total_volume(m, &m.cell_sets.at("graft")), 1.0, 1e-10);
    for (const auto &[name, z] : {std::pair<std::string, double>{"bottom", 0.0}, {"top", 1.5}})
      {
        double area = 0;
        for (const auto &face : m.face_sets.at(name))
          {
            EXPECT_EQ(face_coordinates(m, face, 2), std::set<double>{z}) << name;
            area += face_area(m, face);
          }
        EXPECT_NEAR(area, 2.0, 1e-10) << name;
      }
  }

  TEST_F(ExternalMeshGmsh, HexahedraSameInFormats41And40And22)
  {
    const auto m41 = read_mesh_file(mesh_dir + "box_hex_41.msh");
    const auto m40 = read_gmsh_msh(mesh_dir + "box_hex_40.msh");
    const auto m22 = read_gmsh_msh(mesh_dir + "box_hex_22.msh");
    // 4 x 2 cells in plane, 2 + 1 layers; 5 x 3 x 4 nodes.
    EXPECT_EQ(m41.shape, CellShape::hexahedron);
    EXPECT_EQ(m41.order, 1u);
    EXPECT_EQ(m41.cells.size(), 24u);
    EXPECT_EQ(m41.vertices.size(), 60u);
    EXPECT_EQ(m41.cell_sets.at("bone").size(), 16u);
    EXPECT_EQ(m41.cell_sets.at("graft").size(), 8u);
    EXPECT_EQ(m41.face_sets.at("bottom").size(), 8u);
    EXPECT_EQ(m41.face_sets.at("top").size(), 8u);
    EXPECT_TRUE(summary(m40) == summary(m41));
    EXPECT_TRUE(summary(m22) == summary(m41));
    EXPECT_EQ(m22.vertices, m41.vertices);
    for (const auto *m : {&m41, &m40, &m22})
      {
        expect_two_blocks(*m);
        // Each cell is an axis-aligned box, so deal.II order means vertex 1 is vertex 0 + x.
        for (unsigned int c = 0; c < m->cells.size(); ++c)
          {
            EXPECT_GT(vertex(*m, c, 1)[0], vertex(*m, c, 0)[0]);
            EXPECT_GT(vertex(*m, c, 2)[1], vertex(*m, c, 0)[1]);
            EXPECT_GT(vertex(*m, c, 4)[2], vertex(*m, c, 0)[2]);
          }
      }
  }

  TEST_F(ExternalMeshGmsh, TetrahedraSameInFormats41And22)
  {
    const auto m41 = read_gmsh_msh(mesh_dir + "box_tet_41.msh");
    const auto m22 = read_gmsh_msh(mesh_dir + "box_tet_22.msh");
    EXPECT_EQ(m41.shape, CellShape::tetrahedron);
    EXPECT_EQ(m41.order, 1u);
    EXPECT_GT(m41.cells.size(), 100u);
    EXPECT_TRUE(summary(m22) == summary(m41));
    EXPECT_EQ(m22.vertices, m41.vertices);
    EXPECT_EQ(m41.cell_sets.size(), 2u);
    EXPECT_EQ(m41.face_sets.size(), 2u);
    expect_two_blocks(m41);
    expect_two_blocks(m22);
  }

  TEST_F(ExternalMeshGmsh, SecondOrderFiles)
  {
    const auto hex = read_gmsh_msh(mesh_dir + "box_hex_41.msh");
    const auto tet = read_gmsh_msh(mesh_dir + "box_tet_41.msh");
    // hex27 (4.1), hex20 (2.2, Mesh.SecondOrderIncomplete), tet10 (4.1) of the straight boxes:
    // the same corner mesh as the linear file, midside nodes exactly in the middle.
    for (const auto &[file, linear] :
         {std::pair<std::string, const ExternalMesh *>{"box_hex27_41.msh", &hex},
          {"box_hex20_22.msh", &hex},
          {"box_tet10_41.msh", &tet}})
      {
        const auto m = read_gmsh_msh(mesh_dir + file);
        EXPECT_EQ(m.order, 2u) << file;
        EXPECT_EQ(m.shape, linear->shape) << file;
        EXPECT_TRUE(summary(m) == summary(*linear)) << file;
        EXPECT_EQ(m.vertices, linear->vertices) << file;
        EXPECT_LT(m.max_midside_offset, 1e-9) << file;
        expect_two_blocks(m);
      }
    // A cylinder: Gmsh puts the midside nodes of the wall on the circle.
    const auto cylinder = read_gmsh_msh(mesh_dir + "cylinder_tet10_41.msh");
    EXPECT_EQ(cylinder.order, 2u);
    EXPECT_GT(cylinder.max_midside_offset, 0.01);
    EXPECT_TRUE(cylinder.cell_sets.empty()); // no physical groups: all elements, no sets
    const double pi = 3.14159265358979323846;
    EXPECT_LT(total_volume(cylinder), pi); // straight-sided cells cut the circle
    EXPECT_GT(total_volume(cylinder), 0.9 * pi);
  }

  // One unit cube with a physical volume and a physical surface on its bottom, format 2.2.
  const std::string gmsh22_cube = R"($MeshFormat
2.2 0 8
$EndMeshFormat
$PhysicalNames
2
2 1 "bottom"
3 2 "cube"
$EndPhysicalNames
$Nodes
8
1 0 0 0
2 1 0 0
3 1 1 0
4 0 1 0
5 0 0 1
6 1 0 1
7 1 1 1
8 0 1 1
$EndNodes
$Elements
2
1 3 2 1 1 1 2 3 4
2 5 2 2 1 1 2 3 4 5 6 7 8
$EndElements
)";

  TEST_F(ExternalMeshGmsh, SmallCubeAndItsErrors)
  {
    const auto m = read_gmsh_msh(write("cube.msh", gmsh22_cube));
    EXPECT_EQ(m.cells.size(), 1u);
    EXPECT_EQ(m.cells[0].line, line_of(gmsh22_cube, "2 5 2 2 1"));
    EXPECT_EQ(m.cell_sets.at("cube"), std::vector<unsigned int>{0});
    ASSERT_EQ(m.face_sets.at("bottom").size(), 1u);
    EXPECT_EQ(face_coordinates(m, m.face_sets.at("bottom")[0], 2), std::set<double>{0.0});
    EXPECT_NEAR(total_volume(m), 1.0, 1e-15);

    const std::string file = (dir / "bad.msh").string();
    auto message = [&](const std::string &text) {
      std::ofstream(file) << text;
      return error_of([&] { read_gmsh_msh(file); });
    };
    struct Case
    {
      std::string from, to, says;
    };
    const Case cases[] = {
      {"2.2 0 8", "4.1 1 8", "save as ASCII"},
      {"2.2 0 8", "3.0 0 8", "version 3.0"},
      {"1 1 2 3 4 5 6 7 8", "1 1 2 3 4 5 6 7 9", "node 9"},
      {"1 1 2 3 4 5 6 7 8", "1 1 2 3 4 5 6 7", "7 nodes"},
      {"1 1 2 3 4 5 6 7 8", "1 1 2 3 4 5 6 7 x", "'x'"},
      {"1 3 2 1 1 1 2 3 4", "1 3 2 1 1 1 2 7 8", "not a face"},
      {"2 5 2 2 1 1 2 3 4 5 6 7 8", "2 6 2 2 1 1 2 3 4 5 6", "prism"},
      {"2 5 2 2 1 1 2 3 4 5 6 7 8", "2 5 2 2 1 5 6 7 8 1 2 3 4", "inverted"},
      {"4 0 1 0", "4 0 one 0", "'one'"},
    };
    for (const auto &c : cases)
      {
        const std::string text = replaced(gmsh22_cube, c.from, c.to);
        const std::string e = message(text);
        EXPECT_CONTAINS(e, at(file, line_of(text, c.to))) << c.to;
        EXPECT_CONTAINS(e, c.says) << c.to;
      }
    // Only a surface: no cells.
    const std::string flat = replaced(replaced(gmsh22_cube, "$Elements\n2", "$Elements\n1"),
                                      "2 5 2 2 1 1 2 3 4 5 6 7 8\n", "");
    EXPECT_CONTAINS(message(flat), "without volume elements");
    EXPECT_CONTAINS(message(flat), file + ":");
  }

  TEST_F(ExternalMeshGmsh, MixedShapesNameTheirGroups)
  {
    std::string text = replaced(gmsh22_cube, "3 2 \"cube\"", "3 2 \"cube\"\n3 3 \"tip\"");
    text = replaced(text, "$PhysicalNames\n2", "$PhysicalNames\n3");
    text = replaced(text, "$Elements\n2", "$Elements\n3");
    text = replaced(text, "$EndElements", "3 4 2 3 2 1 2 4 5\n$EndElements");
    const std::string file = write("mixed.msh", text);
    const std::string e = error_of([&] { read_gmsh_msh(file); });
    EXPECT_CONTAINS(e, at(file, line_of(text, "3 4 2 3 2")));
    EXPECT_CONTAINS(e, "'tip'");
    EXPECT_CONTAINS(e, "'cube'");
  }
} // namespace
