// Requirement: the L4-L5 segment reads its dimensions (L4: body 27.00, upper endplate 43.86 x 36.12
// mm), uses the disc height regression ((1.076 + 0.0070*45)*10 = 13.91 mm), and voxelises into one
// connected mesh whose implant volumes are within 3 % of the analytic ones at h = 0.5 mm, that only
// disc, cartilage, ligaments, implants and graft cross z = 0, and whose loaded/support faces match
// the endplate areas within 5 %.
#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/tria.h>
#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include <gtest/gtest.h>

#include "geometry/voxel_mesh.h"

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <vector>

namespace
{
  using namespace bonefusion::geometry;
  using dealii::Triangulation;
  constexpr double pi = 3.14159265358979323846;
  const std::string table = std::string(BONEFUSION_SOURCE_DIR) + "/meshes/lumbar_dimensions.csv";

  SegmentParameters tlif_construct()
  {
    SegmentParameters p;
    p.screws.present = true;
    p.rods.present = true;
    p.cage.type = "TLIF";
    p.posterolateral_graft.present = true;
    return p;
  }

  /** Voxel meshes are shared between tests: building one at h = 0.5 mm takes seconds. */
  const Triangulation<3> &mesh(const bool instrumented, const double h)
  {
    static std::map<std::pair<bool, double>, std::unique_ptr<Triangulation<3>>> cache;
    auto &tria = cache[{instrumented, h}];
    if (!tria)
      {
        tria = std::make_unique<Triangulation<3>>();
        build_voxel_mesh(SegmentGeometry(instrumented ? tlif_construct() : SegmentParameters()), h,
                         *tria);
      }
    return *tria;
  }

  std::map<Region, double> region_volumes(const Triangulation<3> &tria)
  {
    std::map<Region, double> v;
    for (const auto &cell : tria.active_cell_iterators())
      v[static_cast<Region>(cell->material_id())] += cell->measure();
    return v;
  }

  double face_area(const Triangulation<3> &tria, const Surface s)
  {
    double area = 0;
    for (const auto &cell : tria.active_cell_iterators())
      for (const auto f : cell->face_indices())
        if (cell->face(f)->at_boundary() &&
            cell->face(f)->boundary_id() == static_cast<dealii::types::boundary_id>(s))
          area += cell->face(f)->measure();
    return area;
  }

  /** Area [mm^2] of the body/disc cross-section with semi-axes a, b: the superellipse of the
   *  default Geometry/Outline exponent cut by the flat posterior wall at y = -0.9 b
   *  (midpoint rule over y, independent of the closed form superellipse_area_factor). */
  double outline_area(const double a, const double b,
                      const double n = SegmentParameters().outline_exponent)
  {
    const unsigned int steps = 20000;
    const double y0 = -0.9 * b, dy = (b - y0) / steps;
    double area = 0;
    for (unsigned int i = 0; i < steps; ++i)
      {
        const double y = y0 + (i + 0.5) * dy;
        area += 2 * a * std::pow(1 - std::pow(std::abs(y) / b, n), 1 / n) * dy;
      }
    return area;
  }

  unsigned int connected_components(const Triangulation<3> &tria)
  {
    std::vector<bool> seen(tria.n_active_cells(), false);
    unsigned int components = 0;
    for (const auto &start : tria.active_cell_iterators())
      {
        if (seen[start->active_cell_index()])
          continue;
        ++components;
        std::vector<Triangulation<3>::active_cell_iterator> stack = {start};
        seen[start->active_cell_index()] = true;
        while (!stack.empty())
          {
            const auto cell = stack.back();
            stack.pop_back();
            for (const auto f : cell->face_indices())
              if (!cell->at_boundary(f) && !seen[cell->neighbor(f)->active_cell_index()])
                {
                  seen[cell->neighbor(f)->active_cell_index()] = true;
                  stack.push_back(cell->neighbor(f));
                }
          }
      }
    return components;
  }

  std::string error_of(const std::string &input)
  {
    dealii::ParameterHandler prm;
    SegmentParameters::declare_parameters(prm);
    prm.parse_input_from_string(input);
    SegmentParameters p;
    try
      {
        p.parse_parameters(prm);
      }
    catch (const std::invalid_argument &e)
      {
        return e.what();
      }
    return "no error";
  }
} // namespace

TEST(GeometryTable, ReadsTheL4Row)
{
  const VertebraDimensions l4 = read_vertebra_dimensions(table, "L4");
  EXPECT_EQ(l4.name, "L4");
  EXPECT_DOUBLE_EQ(l4.body_height, 27.00);
  EXPECT_DOUBLE_EQ(l4.upper_endplate_width, 43.86);
  EXPECT_DOUBLE_EQ(l4.upper_endplate_depth, 36.12);
  EXPECT_DOUBLE_EQ(l4.lower_endplate_width, 46.80);
  EXPECT_DOUBLE_EQ(l4.lower_endplate_depth, 36.03);
  EXPECT_DOUBLE_EQ(l4.pedicle_height, 16.97);
  EXPECT_DOUBLE_EQ(l4.pedicle_width, 11.16);
  EXPECT_DOUBLE_EQ(l4.canal_depth, 18.95);
  EXPECT_DOUBLE_EQ(l4.canal_width, 17.10);
  EXPECT_DOUBLE_EQ(l4.transverse_span, 96.8);
  // The table holds the Lavecchia 2018 regressions evaluated at the body height.
  EXPECT_NEAR(l4.upper_endplate_width, 1.6836 * 27 - 1.598, 0.006);
  EXPECT_NEAR(l4.canal_depth, (0.1216 * 27 + 17.777) * 0.9, 0.006);
}

TEST(GeometryTable, UnknownLevelOrFileThrowsWithTheName)
{
  try
    {
      read_vertebra_dimensions(table, "L7");
      FAIL() << "no exception";
    }
  catch (const std::runtime_error &e)
    {
      EXPECT_NE(std::string(e.what()).find("'L7'"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("lumbar_dimensions.csv"), std::string::npos);
    }
  EXPECT_THROW(read_vertebra_dimensions("/nonexistent/table.csv", "L4"), std::runtime_error);
}

TEST(GeometryDisc, HeightRegressionAndDerivedLevels)
{
  EXPECT_NEAR(disc_height_from_age("L4-L5", 45), (1.076 + 0.0070 * 45) * 10, 1e-12);
  EXPECT_NEAR(disc_height_from_age("L4-L5", 45), 13.91, 1e-12);
  EXPECT_NEAR(disc_height_from_age("L5-S1", 30), 12.31, 1e-12);
  EXPECT_THROW(disc_height_from_age("L4-S1", 45), std::invalid_argument);

  const SegmentGeometry g{SegmentParameters()};
  EXPECT_EQ(g.upper_name(), "L4");
  EXPECT_EQ(g.lower_name(), "L5");
  EXPECT_NEAR(g.disc_height(), 13.91, 1e-12);
  EXPECT_NEAR(g.top_z(), 13.91 / 2 + 27.0, 1e-12);     // L4 body height
  EXPECT_NEAR(g.bottom_z(), -13.91 / 2 - 27.5, 1e-12); // L5 body height

  SegmentParameters fixed;
  fixed.disc_height = 10;
  fixed.level = "L5-S1";
  const SegmentGeometry s(fixed);
  EXPECT_EQ(s.lower_name(), "S1");
  EXPECT_DOUBLE_EQ(s.disc_height(), 10);
}

TEST(GeometryVoxel, ImplantVolumesConvergeToTheAnalyticShapes)
{
  const SegmentGeometry g(tlif_construct());
  // Independent numbers for the simple shapes: hollow 28 x 11 mm cage, 2 mm wall, disc height.
  EXPECT_NEAR(*g.analytic_volume(Region::cage), (28 * 11 - 24 * 7) * 13.91, 1e-9);
  EXPECT_NEAR(*g.analytic_volume(Region::graft), 24 * 7 * 13.91, 1e-9);
  EXPECT_GT(*g.analytic_volume(Region::screw), 4 * pi * 3.25 * 3.25 * 45);
  EXPECT_FALSE(g.analytic_volume(Region::cancellous).has_value());

  double total_error[2] = {0, 0};
  const double hs[2] = {1.0, 0.5};
  for (unsigned int i = 0; i < 2; ++i)
    {
      const auto volumes = region_volumes(mesh(true, hs[i]));
      for (const Region r : {Region::screw, Region::rod, Region::cage, Region::graft})
        {
          const double exact = *g.analytic_volume(r);
          const double error = std::abs(volumes.at(r) / exact - 1);
          total_error[i] += error;
          if (hs[i] == 0.5)
            {
              EXPECT_LT(error, 0.03) << region_name(r) << ": " << volumes.at(r) << " vs " << exact;
            }
        }
    }
  EXPECT_LT(total_error[1], total_error[0]);
}

TEST(GeometryVoxel, BodyVolumeMatchesTheTaperedCylinder)
{
  double upper_body = 0;
  for (const auto &cell : mesh(false, 1.0).active_cell_iterators())
    {
      const auto r = static_cast<Region>(cell->material_id());
      if ((r == Region::cortical || r == Region::cancellous || r == Region::endplate) &&
          cell->center()[2] > 0)
        upper_body += cell->measure();
    }
  // L4: mean width (43.86 + 46.80) / 2, mean depth (36.12 + 36.03) / 2, height 27 mm.
  const double expected = outline_area(45.33 / 2, 36.075 / 2) * 27.0;
  EXPECT_NEAR(upper_body / expected, 1.0, 0.10);
}

// Requirement: Geometry/Outline exponent shapes the disc: its mid-plane section is the
// superellipse of that exponent (2 = the ellipse, pi a b less the posterior cut) and the
// closed-form area factor is 4 Gamma(1 + 1/n)^2 / Gamma(1 + 2/n).
TEST(GeometryOutline, DiscSectionIsTheSuperellipseOfTheExponent)
{
  EXPECT_NEAR(superellipse_area_factor(2), pi, 1e-12);
  EXPECT_NEAR(superellipse_area_factor(3), 3.5332775, 1e-6);
  for (const double n : {2.0, 3.0})
    {
      SegmentParameters p;
      p.outline_exponent = n;
      const SegmentGeometry g(p);
      double a, b;
      g.disc_semi_axes(0, a, b);
      const double h = 0.05;
      double disc = 0, nucleus = 0;
      for (double x = -a - 1; x <= a + 1; x += h)
        for (double y = -b - 1; y <= b + 1; y += h)
          {
            const auto r = g.classify(dealii::Point<3>(x, y, 0));
            if (r == Region::annulus || r == Region::nucleus)
              disc += h * h;
            if (r == Region::nucleus)
              nucleus += h * h;
          }
      EXPECT_NEAR(disc / outline_area(a, b, n), 1.0, 0.01) << "n = " << n;
      EXPECT_NEAR(nucleus / disc, p.nucleus_area_fraction, 0.02) << "n = " << n;
      if (n == 2)
        EXPECT_NEAR(disc, 1283, 10); // L4-L5 ellipse
      else
        EXPECT_NEAR(disc, 1429, 10); // the default
    }
  dealii::ParameterHandler prm;
  SegmentParameters::declare_parameters(prm);
  EXPECT_ANY_THROW(
    prm.parse_input_from_string("subsection Geometry\n set Outline exponent = 1.5\nend\n"));
}

TEST(GeometryVoxel, OneConnectedBody)
{
  EXPECT_EQ(connected_components(mesh(true, 1.0)), 1u);
  EXPECT_EQ(connected_components(mesh(true, 2.0)), 1u);
  EXPECT_EQ(connected_components(mesh(false, 2.0)), 1u);
}

TEST(GeometryVoxel, OnlyDiscCartilageImplantsAndGraftCrossTheMidPlane)
{
  const std::set<Region> allowed = {Region::annulus,
                                    Region::nucleus,
                                    Region::cage,
                                    Region::graft,
                                    Region::facet_cartilage,
                                    Region::rod,
                                    Region::posterolateral_graft,
                                    Region::anterior_ligament,
                                    Region::posterior_ligament,
                                    Region::ligamentum_flavum,
                                    Region::interspinous_ligament};
  for (const bool instrumented : {false, true})
    {
      std::set<Region> crossing;
      for (const auto &cell : mesh(instrumented, 1.0).active_cell_iterators())
        for (const auto f : cell->face_indices())
          if (std::abs(cell->face(f)->center()[2]) < 1e-9 && !cell->at_boundary(f))
            {
              const auto r = static_cast<Region>(cell->material_id());
              EXPECT_TRUE(allowed.count(r)) << region_name(r) << " crosses z = 0";
              crossing.insert(r);
            }
      // The posterior column is continuous only through the facet cartilage.
      EXPECT_TRUE(crossing.count(Region::facet_cartilage));
      EXPECT_TRUE(crossing.count(Region::annulus));
      if (instrumented)
        for (const Region r :
             {Region::rod, Region::cage, Region::graft, Region::posterolateral_graft})
          {
            EXPECT_TRUE(crossing.count(r)) << region_name(r);
          }
    }
  // The same on the exact plane, point by point.
  const SegmentGeometry g(tlif_construct());
  const auto bb = g.bounding_box();
  for (double x = bb.lo[0]; x <= bb.hi[0]; x += 0.25)
    for (double y = bb.lo[1]; y <= bb.hi[1]; y += 0.25)
      {
        const auto r = g.classify(dealii::Point<3>(x, y, 0));
        ASSERT_TRUE(!r || allowed.count(*r)) << region_name(*r) << " at " << x << ", " << y;
      }
}

TEST(GeometryVoxel, LoadedAndSupportedFacesCoverTheEndplates)
{
  const auto &tria = mesh(false, 1.0);
  // Upper endplate of L4 (43.86 x 36.12 mm) and lower endplate of L5 (47.68 x 36.60 mm).
  EXPECT_NEAR(face_area(tria, Surface::upper_loaded) / outline_area(43.86 / 2, 36.12 / 2), 1.0,
              0.03);
  EXPECT_NEAR(face_area(tria, Surface::lower_support) / outline_area(47.68 / 2, 36.60 / 2), 1.0,
              0.03);
  const SegmentGeometry g{SegmentParameters()};
  for (const auto &cell : tria.active_cell_iterators())
    for (const auto f : cell->face_indices())
      if (cell->at_boundary(f) && cell->face(f)->boundary_id() != 0)
        {
          const bool upper = cell->face(f)->boundary_id() ==
                             static_cast<dealii::types::boundary_id>(Surface::upper_loaded);
          EXPECT_NEAR(cell->face(f)->center()[2], upper ? g.top_z() : g.bottom_z(), 1.0);
        }
}

TEST(GeometryVoxel, ThinLayersSurviveCoarseVoxels)
{
  SegmentGeometry g{SegmentParameters()};
  EXPECT_DOUBLE_EQ(g.cortical_thickness_used(), 0.5);
  g.set_resolution(2.0);
  EXPECT_DOUBLE_EQ(g.cortical_thickness_used(), 2.0);
  EXPECT_DOUBLE_EQ(g.endplate_thickness_used(), 2.0);
  EXPECT_DOUBLE_EQ(g.facet_cartilage_thickness_used(), 4.0);
  g.set_resolution(0.5);
  EXPECT_DOUBLE_EQ(g.cortical_thickness_used(), 0.5);
  EXPECT_DOUBLE_EQ(g.endplate_thickness_used(), 1.0);
  EXPECT_DOUBLE_EQ(g.facet_cartilage_thickness_used(), 1.0);

  // At h = 2 mm the shell is closed: no cancellous voxel touches the outside.
  const auto &tria = mesh(false, 2.0);
  const auto volumes = region_volumes(tria);
  EXPECT_GT(volumes.at(Region::cortical), 0);
  EXPECT_GT(volumes.at(Region::facet_cartilage), 0);
  for (const auto &cell : tria.active_cell_iterators())
    if (static_cast<Region>(cell->material_id()) == Region::cancellous)
      {
        EXPECT_FALSE(cell->at_boundary()) << "open shell at " << cell->center();
      }
}

TEST(GeometryVoxel, DistributedTriangulationHoldsTheSameMesh)
{
  const SegmentGeometry g(tlif_construct());
  const double h = 2.0;
  dealii::parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
  build_voxel_mesh(g, h, tria);
  EXPECT_EQ(tria.n_global_active_cells(), count_voxels(g, h));
  EXPECT_EQ(tria.n_global_active_cells(), mesh(true, h).n_active_cells());

  double loaded = 0;
  for (const auto &cell : tria.active_cell_iterators())
    if (cell->is_locally_owned())
      for (const auto f : cell->face_indices())
        if (cell->at_boundary(f) &&
            cell->face(f)->boundary_id() ==
              static_cast<dealii::types::boundary_id>(Surface::upper_loaded))
          loaded += cell->face(f)->measure();
  EXPECT_NEAR(dealii::Utilities::MPI::sum(loaded, MPI_COMM_WORLD),
              face_area(mesh(true, h), Surface::upper_loaded), 1e-6);
}

TEST(GeometryParameters, DefaultsRoundTripAndEveryEntryHasAUnit)
{
  dealii::ParameterHandler prm;
  SegmentParameters::declare_parameters(prm);
  prm.parse_input_from_string("");
  SegmentParameters p;
  p.parse_parameters(prm);
  const SegmentParameters d;
  EXPECT_EQ(p.level, d.level);
  EXPECT_EQ(p.screws.diameter, d.screws.diameter);
  EXPECT_EQ(p.cage.type, d.cage.type);
  EXPECT_EQ(p.screws.material, "Ti-6Al-4V");

  prm.parse_input_from_string("subsection Instrumentation\n subsection Cage\n"
                              "  set Type = PLIF\n  set Length = 22\n end\nend\n");
  p.parse_parameters(prm);
  EXPECT_EQ(p.cage.type, "PLIF");
  EXPECT_EQ(p.cage.length, 22);

  // Each documentation block ends with its unit in square brackets.
  std::ostringstream out;
  prm.print_parameters(out, dealii::ParameterHandler::PRM);
  std::istringstream in(out.str());
  std::string line, doc;
  unsigned int entries = 0;
  while (std::getline(in, line))
    {
      const auto start = line.find_first_not_of(' ');
      if (start == std::string::npos)
        continue;
      if (line.compare(start, 2, "# ") == 0 && line.find("Listing") == std::string::npos &&
          line.find("----") == std::string::npos)
        doc += line.substr(start + 2) + " ";
      else if (line.compare(start, 4, "set ") == 0)
        {
          ++entries;
          EXPECT_NE(doc.find("] "), std::string::npos) << line;
          EXPECT_EQ(doc.substr(doc.size() - 2), "] ") << line << ": " << doc;
          doc.clear();
        }
    }
  EXPECT_EQ(entries, 37u);
}

TEST(GeometryParameters, BadValuesNameTheParameterAndTheValue)
{
  const std::string screws = "subsection Instrumentation\n subsection Pedicle screws\n"
                             "  set Present = true\n";
  const std::string cage = "subsection Instrumentation\n subsection Cage\n";
  const std::string close = " end\nend\n";
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
    {screws + "  set Diameter = 0\n" + close, {"Instrumentation/Pedicle screws/Diameter", "got 0"}},
    {screws + "  set Diameter = 12\n" + close,
     {"Instrumentation/Pedicle screws/Diameter", "12 mm", "pedicle"}},
    {screws + "  set Length = 80\n" + close,
     {"Instrumentation/Pedicle screws/Length", "80 mm", "L4 body"}},
    {screws + "  set Medial angle = 30\n" + close,
     {"Instrumentation/Pedicle screws/Medial angle", "30"}},
    {"subsection Instrumentation\n subsection Rods\n  set Present = true\n" + close,
     {"Instrumentation/Rods/Present: rods need pedicle screws"}},
    {cage + "  set Type = TLIF\n  set Wall thickness = 6\n" + close,
     {"Instrumentation/Cage/Wall thickness", "got 6"}},
    {cage + "  set Type = PLIF\n  set Length = 34\n" + close,
     {"Instrumentation/Cage/Length", "34 x 11"}},
    {cage + "  set Type = PLIF\n  set Length = 22\n  set PLIF offset = 4\n" + close,
     {"Instrumentation/Cage/PLIF offset", "got 4"}},
    {"subsection Geometry\n set Cortical shell thickness = 0\nend\n",
     {"Geometry/Cortical shell thickness", "got 0"}},
    {"subsection Geometry\n set Nucleus area fraction = 1\nend\n",
     {"Geometry/Nucleus area fraction", "got 1"}},
  };
  for (const auto &[input, expected] : cases)
    {
      const std::string message = error_of(input);
      for (const auto &part : expected)
        EXPECT_NE(message.find(part), std::string::npos)
          << "'" << message << "' lacks '" << part << "'";
    }

  SegmentParameters p;
  p.level = "L6-L7";
  try
    {
      SegmentGeometry g(p);
      FAIL() << "no exception";
    }
  catch (const std::invalid_argument &e)
    {
      EXPECT_NE(std::string(e.what()).find("Geometry/Level"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("L6-L7"), std::string::npos) << e.what();
    }
}

// Every ligament band crosses the disc mid-plane with a cross-section close to the analytic
// drawn area (within 40 % at h = 1 mm: the stair-cased bands are one or two voxels thick; the
// simulator scales the modulus with the voxel cross-section itself, so this only checks that
// the bands are where they should be).
TEST(GeometryLigaments, VoxelCrossSectionMatchesDrawnArea)
{
  SegmentParameters p;
  p.dimensions_file = table;
  SegmentGeometry g(p);
  g.set_resolution(1.0);
  const Triangulation<3> &tria = mesh(false, 1.0);
  std::map<Region, double> section;
  for (const auto &cell : tria.active_cell_iterators())
    if (cell->center()[2] < 0 && cell->center()[2] > -1.0)
      section[static_cast<Region>(cell->material_id())] += cell->measure() / 1.0;
  for (const Region r : {Region::anterior_ligament, Region::posterior_ligament,
                         Region::ligamentum_flavum, Region::interspinous_ligament})
    {
      const auto drawn = g.ligament_drawn_area(r);
      ASSERT_TRUE(drawn.has_value()) << region_name(r);
      EXPECT_NEAR(section[r] / *drawn, 1.0, 0.4)
        << region_name(r) << ": voxels " << section[r] << " mm^2, drawn " << *drawn;
    }
  EXPECT_FALSE(g.ligament_drawn_area(Region::rod).has_value());

  // Without ligaments no cell is a ligament.
  p.ligaments = false;
  const SegmentGeometry bare(p);
  for (const double z : {-5.0, 0.0, 5.0})
    for (double y = -80; y < 40; y += 1)
      for (double x = -30; x < 30; x += 1)
        {
          const auto r = bare.classify(dealii::Point<3>(x, y, z));
          EXPECT_TRUE(!r || !is_ligament(*r));
        }
}
