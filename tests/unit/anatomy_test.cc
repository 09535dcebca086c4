// Requirement: the L4-L5 anatomy reads its dimensions (L4: body 27.00, upper endplate 43.86 x
// 36.12 mm) and uses the disc height regression ((1.076 + 0.0070*45)*10 = 13.91 mm); its disc
// section is the superellipse of Geometry/Outline exponent; thin layers survive coarse voxels;
// the Geometry and Instrumentation parameters round-trip with a unit on every entry, and bad
// values name the parameter and the value; the ligament bands cross the disc where drawn.
#include <deal.II/base/parameter_handler.h>

#include <gtest/gtest.h>

#include "anatomy/lumbar_column.h"
#include "parametric_fixtures.h"

#include <cmath>
#include <map>
#include <sstream>
#include <vector>

namespace
{
  using namespace bonefusion;
  using namespace bonefusion::anatomy;
  using bonefusion::testing::outline_area;
  using bonefusion::testing::voxel_model;
  using model::Tissue;
  constexpr double pi = 3.14159265358979323846;
  const std::string table = default_dimension_table();

  /** The message of the first check the input fails (parameters, then the anatomy). */
  std::string error_of(const std::string &input)
  {
    dealii::ParameterHandler prm;
    LumbarParameters::declare_parameters(prm);
    hardware::InstrumentationParameters::declare_parameters(prm);
    prm.parse_input_from_string(input);
    LumbarParameters g;
    hardware::InstrumentationParameters i;
    try
      {
        g.parse_parameters(prm);
        i.parse_parameters(prm);
        const core::ParametricModel check(g, i);
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

  const LumbarColumn g{LumbarParameters()};
  EXPECT_EQ(g.vertebrae(), (std::vector<std::string>{"L4", "L5"}));
  EXPECT_EQ(g.segments(), std::vector<std::string>{"L4-L5"});
  EXPECT_NEAR(g.disc("L4-L5").shape.height, 13.91, 1e-12);
  EXPECT_NEAR(g.vertebra("L4").body_top, 13.91 / 2 + 27.0, 1e-12);     // L4 body height
  EXPECT_NEAR(g.vertebra("L5").body_bottom, -13.91 / 2 - 27.5, 1e-12); // L5 body height

  LumbarParameters fixed;
  fixed.disc_height = 10;
  fixed.level = "L5-S1";
  const LumbarColumn s(fixed);
  EXPECT_EQ(s.vertebrae().back(), "S1");
  EXPECT_DOUBLE_EQ(s.disc("L5-S1").shape.height, 10);
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
      LumbarParameters p;
      p.outline_exponent = n;
      const core::ParametricModel g(p, hardware::InstrumentationParameters());
      double a, b;
      g.anatomy().disc("L4-L5").shape.semi_axes(0, a, b);
      const double h = 0.05;
      double disc = 0, nucleus = 0;
      for (double x = -a - 1; x <= a + 1; x += h)
        for (double y = -b - 1; y <= b + 1; y += h)
          {
            const auto r = g.classify(dealii::Point<3>(x, y, 0));
            const Tissue t = r ? g.model().regions[*r].tissue : Tissue::other;
            if (t == Tissue::annulus || t == Tissue::nucleus)
              disc += h * h;
            if (t == Tissue::nucleus)
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
  LumbarParameters::declare_parameters(prm);
  EXPECT_ANY_THROW(
    prm.parse_input_from_string("subsection Geometry\n set Outline exponent = 1.5\nend\n"));
}

// Requirement: the annulus depth that grades the fibres (model::DiscShape::annulus_depth)
// is 0 on the nucleus drawn by the anatomy and rises to 1 at the disc's outline, steadily
// along every ray out of the nucleus (8 directions in the mid-plane).
TEST(DiscShape, AnnulusDepthRunsFromTheNucleusToTheOutline)
{
  const core::ParametricModel g{LumbarParameters(), hardware::InstrumentationParameters()};
  const model::MotionSegment &segment = g.model().segments.at(0);
  const model::DiscShape &disc = segment.disc;
  EXPECT_GT(disc.nucleus_fraction, 0.3);
  EXPECT_LT(disc.nucleus_fraction, 0.9);
  double a, b;
  disc.semi_axes(0, a, b);
  for (int k = 0; k < 8; ++k)
    {
      const double phi = k * pi / 4 + 0.1;
      double previous = -1, last_nucleus = -1, first_annulus = -1, outer = -1;
      for (double t = 0.02; t < 1.4; t += 0.01) // the outline n = 3 lies beyond t = 1
        {
          const dealii::Point<3> local(t * a * std::cos(phi), t * b * std::sin(phi), 0);
          const auto r = g.classify(segment.disc_frame.to_global(local));
          const Tissue tissue = r ? g.model().regions[*r].tissue : Tissue::other;
          const double depth = disc.annulus_depth(local);
          EXPECT_GE(depth, previous - 1e-12) << "phi " << phi << ", t " << t;
          previous = depth;
          if (tissue == Tissue::nucleus)
            last_nucleus = depth;
          if (tissue == Tissue::annulus && first_annulus < 0)
            first_annulus = depth;
          if (tissue == Tissue::annulus)
            outer = depth;
        }
      EXPECT_EQ(last_nucleus, 0) << "phi " << phi;
      EXPECT_GE(first_annulus, 0) << "phi " << phi;
      EXPECT_LT(first_annulus, 0.15) << "phi " << phi;
      // The posterior cut (the canal side) ends the annulus short of the outline.
      EXPECT_GT(outer, std::sin(phi) < -0.7 ? 0.5 : 0.95) << "phi " << phi;
    }
}

TEST(GeometryVoxel, ThinLayersSurviveCoarseVoxels)
{
  LumbarColumn g{LumbarParameters()};
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
  const auto &m = voxel_model(false, 2.0);
  const auto volumes = bonefusion::testing::tissue_volumes(m);
  EXPECT_GT(volumes.at(Tissue::cortical), 0);
  EXPECT_GT(volumes.at(Tissue::facet_cartilage), 0);
  for (const auto &cell : m.tria->active_cell_iterators())
    if (m.tissue(cell->material_id()) == Tissue::cancellous)
      {
        EXPECT_FALSE(cell->at_boundary()) << "open shell at " << cell->center();
      }
}

TEST(GeometryParameters, DefaultsRoundTripAndEveryEntryHasAUnit)
{
  dealii::ParameterHandler prm;
  LumbarParameters::declare_parameters(prm);
  hardware::InstrumentationParameters::declare_parameters(prm);
  prm.parse_input_from_string("");
  LumbarParameters g;
  hardware::InstrumentationParameters p;
  g.parse_parameters(prm);
  p.parse_parameters(prm);
  const hardware::InstrumentationParameters d;
  EXPECT_EQ(g.level, LumbarParameters().level);
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
  EXPECT_EQ(entries, 52u);
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

  LumbarParameters p;
  p.level = "L6-L7";
  try
    {
      LumbarColumn g(p);
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
  LumbarParameters p;
  p.dimensions_file = table;
  LumbarColumn g(p);
  g.set_resolution(1.0);
  model::Model m;
  g.add_to(m);
  const auto &voxels = voxel_model(false, 1.0);
  std::map<Tissue, double> section;
  for (const auto &cell : voxels.tria->active_cell_iterators())
    if (cell->center()[2] < 0 && cell->center()[2] > -1.0)
      section[voxels.tissue(cell->material_id())] += cell->measure() / 1.0;
  for (const Tissue t : {Tissue::anterior_ligament, Tissue::posterior_ligament,
                         Tissue::ligamentum_flavum, Tissue::interspinous_ligament})
    {
      const auto drawn = g.ligament_drawn_area(m.regions[m.region(t, model::no_index, 0)]);
      ASSERT_TRUE(drawn.has_value()) << model::tissue_name(t);
      EXPECT_NEAR(section[t] / *drawn, 1.0, 0.4)
        << model::tissue_name(t) << ": voxels " << section[t] << " mm^2, drawn " << *drawn;
    }
  EXPECT_FALSE(
    g.ligament_drawn_area(m.regions[m.region(Tissue::annulus, model::no_index, 0)]).has_value());

  // Without ligaments no cell is a ligament.
  p.ligaments = false;
  const core::ParametricModel bare(p, hardware::InstrumentationParameters());
  for (const double z : {-5.0, 0.0, 5.0})
    for (double y = -80; y < 40; y += 1)
      for (double x = -30; x < 30; x += 1)
        {
          const auto r = bare.classify(dealii::Point<3>(x, y, z));
          EXPECT_TRUE(!r || !model::is_ligament(bare.model().regions[*r].tissue));
        }
}
