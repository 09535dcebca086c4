// Requirement (issue 16): any contiguous lumbar range is one model; with Sagittal alignment =
// lordotic the discs are wedges that open anteriorly by the published segmental lordosis, each
// with its own frame, the top vertebra stays level, each vertebra keeps its shape (a rigid
// placement of the straight one) and no bone bridges a disc; a straight column keeps the
// global frames exactly; ranges that are not ranges fail naming the parameter.
#include <deal.II/base/parameter_handler.h>

#include <gtest/gtest.h>

#include "anatomy/lumbar_column.h"
#include "anatomy/lumbar_levels.h"
#include "anatomy/sagittal_alignment.h"
#include "core/parametric_model.h"
#include "hardware/pedicle_screws.h"
#include "hardware/rods.h"
#include "mechanics/contact_layers.h"
#include "column_fixtures.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace
{
  using namespace bonefusion;
  using namespace bonefusion::anatomy;
  using model::Tissue;
  using bonefusion::testing::degree;
  using bonefusion::testing::lordotic_column;

  /** Tissue at p in a built column (nullopt: none). */
  std::optional<Tissue> tissue_at(const LumbarColumn &column, const model::Model &m,
                                  const dealii::Point<3> &p)
  {
    const auto id = column.classify(p);
    if (!id)
      return std::nullopt;
    return m.regions[*id].tissue;
  }

  /** A column drawn with `shape` (blocks or anatomical) and the model it fills. */
  struct ShapedColumn
  {
    ShapedColumn(LumbarParameters p, const std::string &shape)
      : column((p.vertebra_shape = shape, p))
    {
      column.add_to(model);
    }
    LumbarColumn column;
    model::Model model;
  };

  /** The lordotic column of `levels` and the same levels stacked straight, with their models. */
  struct LordoticAndStraight
  {
    /** `shape` empty: the default vertebra shape. */
    explicit LordoticAndStraight(const std::string &levels, const std::string &shape = "")
      : lordotic(parameters(levels, shape, "lordotic"))
      , straight(parameters(levels, shape, "straight"))
    {
      lordotic.add_to(lordotic_model);
      straight.add_to(straight_model);
    }
    LumbarColumn lordotic, straight;
    model::Model lordotic_model, straight_model;

  private:
    static LumbarParameters parameters(const std::string &levels, const std::string &shape,
                                       const std::string &alignment)
    {
      LumbarParameters p = lordotic_column(levels);
      if (!shape.empty())
        p.vertebra_shape = shape;
      p.alignment = alignment;
      return p;
    }
  };

  bool is_disc(const std::optional<Tissue> t)
  {
    return t && (*t == Tissue::annulus || *t == Tissue::nucleus);
  }

  /** The message of the exception LumbarParameters::check() throws, or "no error". */
  std::string check_error(const LumbarParameters &p)
  {
    try
      {
        p.check();
      }
    catch (const std::invalid_argument &e)
      {
        return e.what();
      }
    return "no error";
  }
} // namespace

TEST(SagittalAlignment, StraightColumnKeepsTheGlobalFramesExactly)
{
  const AlignedColumn c = align_column({{5, 32}, {-40, -6}}, {{0.5, 11, 0}});
  ASSERT_EQ(c.vertebrae.size(), 2u);
  for (const model::Frame &f : c.vertebrae)
    {
      EXPECT_EQ(f.origin, dealii::Point<3>());
      EXPECT_EQ(f.superior, (dealii::Tensor<1, 3>({0.0, 0.0, 1.0})));
    }
  EXPECT_EQ(c.discs[0].origin, dealii::Point<3>(0, 0, 0.5));
}

TEST(SagittalAlignment, EachDiscOpensByItsLordosisAndTheTopStaysLevel)
{
  // Three vertebrae of the straight reference (27 mm bodies), two discs of 12 and 14 mm.
  const std::vector<StraightVertebra> v = {{52, 79}, {13, 40}, {-34, -7}};
  const std::vector<StraightDisc> d = {{46, 12, 9.1}, {3, 14, 21.6}};
  const AlignedColumn c = align_column(v, d);
  EXPECT_EQ(c.vertebrae[0].superior, (dealii::Tensor<1, 3>({0.0, 0.0, 1.0})));
  const auto angle = [](const dealii::Tensor<1, 3> &a, const dealii::Tensor<1, 3> &b) {
    return std::atan2(dealii::cross_product_3d(a, b).norm(), a * b) / degree;
  };
  for (unsigned int k = 0; k < d.size(); ++k)
    {
      const model::Frame &upper = c.vertebrae[k], &lower = c.vertebrae[k + 1], &disc = c.discs[k];
      // The endplates open by the lordosis, the disc's frame halves it; the anterior axis
      // of the lower vertebra points down more (the column curves backwards going up).
      EXPECT_NEAR(angle(upper.superior, lower.superior), d[k].lordosis, 1e-9);
      EXPECT_NEAR(angle(upper.superior, disc.superior), d[k].lordosis / 2, 1e-9);
      EXPECT_LT(lower.anterior[2], upper.anterior[2]);
      EXPECT_NEAR(upper.lateral * disc.lateral, 1, 1e-15);
      // Endplate centres half the disc height from the disc's centre along its normal.
      const dealii::Point<3> top = upper.to_global(dealii::Point<3>(0, 0, v[k].inferior));
      const dealii::Point<3> bottom = lower.to_global(dealii::Point<3>(0, 0, v[k + 1].superior));
      EXPECT_NEAR((top - disc.origin - d[k].height / 2 * disc.superior).norm(), 0, 1e-12);
      EXPECT_NEAR((bottom - disc.origin + d[k].height / 2 * disc.superior).norm(), 0, 1e-12);
      // Frames stay orthonormal and right-handed.
      EXPECT_NEAR(dealii::cross_product_3d(disc.lateral, disc.anterior) * disc.superior, 1, 1e-14);
    }
  EXPECT_NEAR(c.discs.back().origin.norm(), 0, 1e-12);
}

TEST(LumbarLevels, RangesOfTheLumbarSpine)
{
  EXPECT_EQ(vertebra_range("L3-S1", "Geometry/Levels"),
            (std::vector<std::string>{"L3", "L4", "L5", "S1"}));
  EXPECT_EQ(vertebra_range("L4-L5", "Geometry/Levels"), (std::vector<std::string>{"L4", "L5"}));
  EXPECT_EQ(vertebra_range("L1-S1", "Geometry/Levels").size(), 6u);
  for (const std::string bad : {"L5-L3", "L3", "L3-X1", "L3-L4-L5", "L4-L4", "l3-s1", ""})
    {
      try
        {
          vertebra_range(bad, "Geometry/Levels");
          FAIL() << bad;
        }
      catch (const std::invalid_argument &e)
        {
          EXPECT_EQ(std::string(e.what()).rfind("Geometry/Levels: ", 0), 0u) << e.what();
          EXPECT_NE(std::string(e.what()).find("'" + bad + "'"), std::string::npos) << e.what();
        }
    }
  EXPECT_DOUBLE_EQ(published_segmental_lordosis("L5-S1"), 21.6);
  EXPECT_THROW(published_segmental_lordosis("L5-L6"), std::invalid_argument);
  // Facet joints turn from near-sagittal (upper lumbar) towards coronal (lower lumbar).
  EXPECT_DOUBLE_EQ(published_facet_angle("L1-L2"), 33.87);
  EXPECT_DOUBLE_EQ(published_facet_angle("L4-L5"), 56.30);
  const std::vector<std::string> joints = {"L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"};
  for (std::size_t k = 0; k + 1 < joints.size(); ++k)
    EXPECT_LE(published_facet_angle(joints[k]), published_facet_angle(joints[k + 1]));
  EXPECT_THROW(published_facet_angle("T12-L1"), std::invalid_argument);
}

// Requirement (issue 16, item 2): with Geometry/Facet orientation = per level each joint of
// the column is turned in the transverse plane by the published difference to L4-L5 (so the
// calibrated 'Joint angle' stays the L4-L5 one); the sliding-joint law's normal makes that
// angle with the sagittal plane and the set inclination with the transverse plane; uniform
// leaves every joint at 'Joint angle'; angles pushed outside 0-90 deg and unknown modes fail
// naming their parameter.
TEST(FacetOrientation, EachLevelsJointTurnsByThePublishedDifferenceToL4L5)
{
  LumbarParameters p = lordotic_column("L1-S1");
  p.facet_orientation = "per level";
  const bonefusion::testing::BuiltColumn built(p);
  const model::Model &m = built.model;
  ASSERT_EQ(m.facet_joints.size(), 10u);
  const mechanics::FacetParameters facets = bonefusion::testing::calibrated_facet_law();
  const std::vector<double> expected_angle = {55 - 22.43, 55 - 15.90, 55 - 7.95, 55, 55};
  for (const model::FacetJoint &joint : m.facet_joints)
    {
      const std::string name = m.segments.at(joint.segment).name;
      const double angle = expected_angle.at(joint.segment);
      EXPECT_NEAR(facets.joint_angle + joint.angle_offset, angle, 1e-9) << name;
      // The law's normal in the joint's own frame: posteromedial at the angle, tilted up.
      const dealii::Tensor<1, 3> n = mechanics::facet_joint_normal(joint, facets);
      const double medial = -(n * joint.frame.lateral), posterior = -(n * joint.frame.anterior),
                   up = n * joint.frame.superior;
      EXPECT_NEAR(n.norm(), 1.0, 1e-12);
      EXPECT_NEAR(std::atan2(posterior, medial) / degree, angle, 1e-9) << name;
      EXPECT_NEAR(std::asin(up) / degree, 40.0, 1e-9) << name;
    }
  // Left and right joints mirror each other: their normals point towards the midline.
  const dealii::Tensor<1, 3> left = mechanics::facet_joint_normal(m.facet_joints[0], facets),
                             right = mechanics::facet_joint_normal(m.facet_joints[1], facets);
  EXPECT_GT(left[0], 0.1);
  EXPECT_LT(right[0], -0.1);
  EXPECT_NEAR(left[0], -right[0], 1e-12);

  p.facet_orientation = "uniform";
  LumbarColumn same(p);
  model::Model uniform;
  same.add_to(uniform);
  ASSERT_EQ(uniform.facet_joints.size(), 10u);
  for (const model::FacetJoint &joint : uniform.facet_joints)
    EXPECT_EQ(joint.angle_offset, 0.0);
  p.facet_orientation = "sagittal";
  EXPECT_NE(check_error(p).find("Geometry/Facet orientation"), std::string::npos);
}

TEST(LumbarLevels, BadLevelsAndLordosisNameTheParameter)
{
  LumbarParameters p = lordotic_column("L3-S1");
  EXPECT_EQ(check_error(p), "no error");
  EXPECT_EQ(p.lordosis({"L3-L4", "L4-L5", "L5-S1"}), (std::vector<double>{9.1, 12.7, 21.6}));
  p.segmental_lordosis = " 8, 10 ,20";
  EXPECT_EQ(p.lordosis({"L3-L4", "L4-L5", "L5-S1"}), (std::vector<double>{8, 10, 20}));
  const std::vector<std::pair<std::string, std::string>> bad = {
    {"8, 10", "expected 3 angles"},
    {"8, ten, 20", "'ten' is not a finite number"},
    {"8, 10, 50", "between -40 and 40"},
    {"8, 10, 20x", "'20x' is not a finite number"}};
  for (const auto &[list, message] : bad)
    {
      p.segmental_lordosis = list;
      const std::string e = check_error(p);
      EXPECT_NE(e.find("Geometry/Segmental lordosis"), std::string::npos) << e;
      EXPECT_NE(e.find(message), std::string::npos) << e;
    }
  p = lordotic_column("L3-L1");
  EXPECT_NE(check_error(p).find("Geometry/Levels"), std::string::npos);
  p.levels.clear();
  p.level = "L4-L6";
  EXPECT_NE(check_error(p).find("Geometry/Level:"), std::string::npos);
  p = lordotic_column("L3-S1");
  p.alignment = "kyphotic";
  EXPECT_NE(check_error(p).find("Geometry/Sagittal alignment"), std::string::npos);
}

TEST(LumbarColumn, LordoticDiscsAreWedgesOfThePublishedAngle)
{
  // Flat endplates: the anatomical shapes' concave endplates add their domes (up to 2.2 mm at
  // the centre) to the wedge measured here.
  LumbarParameters p = lordotic_column("L3-S1");
  p.vertebra_shape = "blocks";
  LumbarColumn column(p);
  model::Model m;
  column.add_to(m);
  ASSERT_EQ(column.segments(), (std::vector<std::string>{"L3-L4", "L4-L5", "L5-S1"}));
  for (const std::string &name : column.segments())
    {
      const DiscLandmarks &disc = column.disc(name);
      const model::Frame &f = disc.frame;
      // Height of disc tissue along the disc's normal at y (anterior) in its frame.
      const auto thickness = [&](const double y) {
        double lo = 0, hi = 0;
        for (double z = -20; z <= 20; z += 0.01)
          if (is_disc(tissue_at(column, m, f.to_global(dealii::Point<3>(0, y, z)))))
            {
              lo = std::min(lo, z);
              hi = std::max(hi, z);
            }
        return hi - lo;
      };
      const double half_angle = published_segmental_lordosis(name) * degree / 2;
      const double b = 0.6 * disc.shape.lower_semi_depth;
      for (const double y : {-b, 0.0, b})
        EXPECT_NEAR(thickness(y), disc.shape.height + 2 * y * std::tan(half_angle), 0.03)
          << name << " at y = " << y;
      // The centre of the disc is its nucleus, and the segment's own.
      const auto centre = column.classify(f.to_global(dealii::Point<3>(0, -1, 0)));
      ASSERT_TRUE(centre);
      EXPECT_EQ(m.regions[*centre].name, name + " nucleus");
    }
}

TEST(LumbarColumn, EachVertebraIsTheStraightOnePlacedRigidly)
{
  const LordoticAndStraight built("L3-S1");
  const LumbarColumn &lordotic = built.lordotic, &straight = built.straight;
  const model::Model &ml = built.lordotic_model, &ms = built.straight_model;
  unsigned int compared = 0;
  for (const std::string &name : straight.vertebrae())
    {
      const VertebraLandmarks &a = lordotic.vertebra(name), &b = straight.vertebra(name);
      // Points of the body and of the pedicles, in the vertebra's own coordinates: the same
      // region in both columns.
      const double zm = (b.body_bottom + b.body_top) / 2;
      for (const dealii::Point<3> &q : {dealii::Point<3>(0, 0, zm), dealii::Point<3>(5, 8, zm + 4),
                                        dealii::Point<3>(b.pedicle_x, b.wall_y - 3, b.pedicle_z),
                                        dealii::Point<3>(-b.pedicle_x, b.wall_y - 3, b.pedicle_z)})
        {
          const auto ra = lordotic.classify(a.frame.to_global(q));
          const auto rb = straight.classify(b.frame.to_global(q));
          ASSERT_TRUE(ra && rb) << name;
          EXPECT_EQ(ml.regions[*ra].name, ms.regions[*rb].name) << name << " at " << q;
          ++compared;
        }
      EXPECT_TRUE(
        lordotic.inside_vertebral_body(name, a.frame.to_global(dealii::Point<3>(0, 0, zm)), 2.0));
    }
  EXPECT_EQ(compared, 16u);
}

TEST(LumbarColumn, NoBoneOfAVertebraCrossesTheMidSurfaceOfItsDiscs)
{
  for (const std::string shape : {"blocks", "anatomical"})
    {
      SCOPED_TRACE(shape);
      LumbarParameters p = lordotic_column("L2-S1");
      p.vertebra_shape = shape;
      // Pads: the curved joints' articular processes cross the mid-surface by design;
      // CurvedFacets.NoVoxelOfOneVertebraTouchesAnothersBone checks them.
      p.facet_surfaces = "pads";
      LumbarColumn column(p);
      model::Model m;
      column.add_to(m);
      const Box b = column.bounding_box();
      unsigned int bone = 0;
      for (double x = -30; x <= 30; x += 3)
        for (double y = b.lo[1]; y <= b.hi[1]; y += 1)
          for (double z = b.lo[2]; z <= b.hi[2]; z += 1)
            {
              const dealii::Point<3> p(x, y, z);
              const auto id = column.classify(p);
              if (!id || m.regions[*id].body == model::no_index)
                continue;
              ++bone;
              const model::Region &r = m.regions[*id];
              for (unsigned int s = 0; s < m.segments.size(); ++s)
                {
                  const double height = m.segments[s].disc_frame.height_of(p);
                  if (m.segments[s].upper == r.body)
                    {
                      EXPECT_GT(height, 0) << r.name << " at " << p;
                    }
                  if (m.segments[s].lower == r.body)
                    {
                      EXPECT_LT(height, 0) << r.name << " at " << p;
                    }
                }
            }
      EXPECT_GT(bone, 10000u);
    }
}

// Anatomical pedicles converge anteriorly at the published angle of their level (Dickman
// 1992: about 5 deg times the lumbar number), turning about the isthmus, where their medial
// wall stays at the canal's edge; block pedicles run straight back. Measured on the medial
// wall, which faces the empty canal, through classify().
TEST(VertebraShape, AnatomicalPediclesConvergeAtThePublishedAngle)
{
  for (const std::string shape : {"blocks", "anatomical"})
    {
      LumbarParameters p;
      p.levels = "L1-S1";
      const ShapedColumn built(p, shape);
      const LumbarColumn &column = built.column;
      const model::Model &m = built.model;
      for (const std::string &name : column.vertebrae())
        {
          SCOPED_TRACE(shape + " " + name);
          const VertebraLandmarks &v = column.vertebra(name);
          const double pivot = (v.wall_y + v.canal_back_y) / 2,
                       depth = v.wall_y - v.canal_back_y;
          // x of the left pedicle's medial wall at y: the last bone of the vertebra's
          // posterior elements walking from the pedicle's outside towards the midline.
          const auto medial_wall = [&](const double y) {
            double last = std::nan("");
            for (double x = -v.pedicle_x - v.pedicle_width; x < 0; x += 0.005)
              {
                const auto id = column.classify(v.frame.to_global(dealii::Point<3>(x, y, v.pedicle_z)));
                if (id && m.regions[*id].tissue == Tissue::posterior)
                  last = x;
                else if (!std::isnan(last))
                  break;
              }
            return last;
          };
          const double front = medial_wall(pivot + 0.35 * depth),
                       back = medial_wall(pivot - 0.35 * depth), middle = medial_wall(pivot);
          ASSERT_FALSE(std::isnan(front) || std::isnan(back) || std::isnan(middle));
          const double expected =
            shape == "anatomical" ? published_pedicle_transverse_angle(name) : 0.0;
          EXPECT_NEAR(std::atan2(front - back, 0.7 * depth) / degree, expected, 0.1);
          // At the isthmus the medial wall is where the straight pedicle's is: the canal keeps
          // its width there.
          EXPECT_NEAR(middle,
                      -v.pedicle_x + v.pedicle_width / 2 / std::cos(expected * degree), 0.01);
        }
    }
  EXPECT_DOUBLE_EQ(published_pedicle_transverse_angle("L1"), 5);
  EXPECT_DOUBLE_EQ(published_pedicle_transverse_angle("L5"), 25);
  EXPECT_THROW(published_pedicle_transverse_angle("T12"), std::invalid_argument);
}

namespace
{
  /** Free length [mm] of region `id` along the disc normal through the point (x, y) of the
   *  disc's mid-surface (0 where the band is absent), measured through classify(). */
  double band_length_at(const LumbarColumn &column, const model::Frame &frame,
                        const model::RegionId id, const double x, const double y)
  {
    constexpr double step = 0.02;
    unsigned int inside = 0;
    for (double h = -40 + step / 2; h < 40; h += step)
      if (column.classify(frame.to_global(dealii::Point<3>(x, y, h))) == id)
        ++inside;
    return inside * step;
  }
} // namespace

// A wedge disc brings the spinous processes and laminae of its vertebrae together behind it,
// so the interspinous and flavum bands of a lordotic column are shorter than the straight
// segment's (the L5-S1 interspinous band to about a third). Their modulus is scaled so that
// the axial stiffness per unit area, E times the mean of 1 / length over the band's depth,
// stays the straight segment's. The factor measures the lengths on a grid over each band's
// width and depth; this test measures them on its own lines (at the mid-plane and two thirds
// of the band's half-width to each side, across the depth where the straight band crosses the
// disc's mid-surface, with a finer step along the normal), for the block shapes and for the
// anatomical hatchet-shaped spinous processes, where a closed-form closure was 36 % off.
TEST(LumbarColumn, LordosisShortensThePosteriorBandsButKeepsTheirStiffness)
{
  for (const std::string shape : {"blocks", "anatomical"})
    {
      const LordoticAndStraight built("L3-S1", shape);
      const LumbarColumn &lordotic = built.lordotic, &straight = built.straight;
      const model::Model &ml = built.lordotic_model, &ms = built.straight_model;
      for (unsigned int s = 0; s < ml.segments.size(); ++s)
        for (const Tissue t : {Tissue::interspinous_ligament, Tissue::ligamentum_flavum})
          {
            SCOPED_TRACE(shape + " " + ml.segments[s].name + " " + model::tissue_name(t));
            const model::RegionId a = ml.region(t, model::no_index, s),
                                  b = ms.region(t, model::no_index, s);
            // Depth of the band: where it crosses the straight disc's mid-surface at x = 0;
            // its width there at mid-depth. The anatomical lamina's lower border rises
            // laterally, so the bands are sampled across their width too.
            const double z_mid = ms.segments[s].disc_frame.origin[2];
            std::vector<double> depth;
            for (double y = -120; y < 0; y += 0.25)
              if (straight.classify(dealii::Point<3>(0, y, z_mid)) == b)
                depth.push_back(y);
            ASSERT_GT(depth.size(), 8u);
            double half_width = 0;
            for (double x = 0; x < 40; x += 0.25)
              if (straight.classify(dealii::Point<3>(x, depth[depth.size() / 2], z_mid)) == b)
                half_width = x;
            ASSERT_GT(half_width, 2.0);
            std::vector<std::pair<double, double>> samples;
            for (const double x : {-2 * half_width / 3, 0.0, 2 * half_width / 3})
              for (const double y : depth)
                samples.emplace_back(x, y);
            double straight_inverse = 0, lordotic_inverse = 0, shortest = 1e9, longest = 0;
            for (const auto &[x, y] : samples)
              {
                const double l0 = band_length_at(straight, ms.segments[s].disc_frame, b, x, y);
                const double l = band_length_at(lordotic, ml.segments[s].disc_frame, a, x, y);
                ASSERT_GT(l0, 1.0) << "y = " << y;
                ASSERT_GT(l, 0.0) << "y = " << y;
                // Where the processes nearly touch, a band is taken as no shorter than the
                // cartilage gap that keeps the bones apart (as the factor takes it).
                const double least = lordotic.facet_cartilage_thickness_used();
                straight_inverse += 1 / std::max(l0, least) / samples.size();
                lordotic_inverse += 1 / std::max(l, least) / samples.size();
                shortest = std::min(shortest, l / l0);
                longest = std::max(longest, l / l0);
              }
            EXPECT_DOUBLE_EQ(straight.modulus_scale(ms.regions[b]), 1.0);
            const double factor = lordotic.modulus_scale(ml.regions[a]);
            // Every lordotic band is shorter than its straight twin, the more so the deeper
            // it lies behind the disc, and the factor makes up for it.
            EXPECT_LT(longest, 0.95);
            EXPECT_LT(shortest, longest);
            EXPECT_LT(factor, 0.95);
            EXPECT_NEAR(factor * lordotic_inverse / straight_inverse, 1.0, 0.05)
              << "straight: mean 1/L " << straight_inverse << ", lordotic " << lordotic_inverse
              << ", factor " << factor << ", shortest " << shortest;
          }
    }
}

namespace
{
  /** The instrumented L3-S1 column of cases/l4s1_tlif_ti.prm (screws L4-S1, rods, TLIF cages
   *  at L4-L5 and L5-S1), resolution 3 mm. */
  hardware::InstrumentationParameters two_level_tlif()
  {
    hardware::InstrumentationParameters p;
    p.screws.present = true;
    p.screws.levels = "L4, L5, S1";
    p.rods.present = true;
    p.cage.type = "TLIF";
    p.cage.levels = "L5-S1, L4-L5";
    p.cage.facetectomy = "approach side";
    return p;
  }

  /** The message of the exception building the model throws, or "no error". */
  std::string construct_error(const LumbarParameters &g,
                              const hardware::InstrumentationParameters &i)
  {
    try
      {
        const core::ParametricModel model(g, i, 3.0);
      }
    catch (const std::invalid_argument &e)
      {
        return e.what();
      }
    return "no error";
  }
} // namespace

// Requirement (issue 16): hardware and surgery at any levels of a column: screws at the listed
// vertebrae and sides, rods contoured through every seat on their side, a cage (with its
// discectomy and graft) at each listed disc, facetectomy per level and side; levels outside
// the model, a rod with one screw and a column without cage levels fail naming the parameter.
TEST(ColumnHardware, TwoLevelConstructIsPlacedAtItsLevels)
{
  const LumbarParameters g = lordotic_column("L3-S1");
  hardware::InstrumentationParameters p = two_level_tlif();
  p.facetectomy = "L3-L4 right";
  const core::ParametricModel built(g, p, 3.0);
  const model::Model &m = built.model();
  const auto *screws = built.construct().find<hardware::PedicleScrews>();
  const auto *rods = built.construct().find<hardware::Rods>();
  ASSERT_TRUE(screws && rods);
  EXPECT_EQ(screws->screws().size(), 6u);
  EXPECT_EQ(screws->screws().front().vertebra, "L4");
  // Each rod bends at L5: two straight pieces per side, every seat on the rod's axis.
  ASSERT_EQ(rods->cylinders().size(), 4u);
  for (unsigned int i = 0; i < screws->screws().size(); ++i)
    {
      const dealii::Point<3> seat = screws->rod_seat(i);
      double distance = 1e9;
      for (const anatomy::Cylinder &c : rods->cylinders())
        {
          const double t = (seat - c.start) * c.axis;
          if (t >= 0 && t <= c.length)
            distance = std::min(distance, (seat - c.start - t * c.axis).norm());
        }
      EXPECT_LT(distance, 1e-9) << i;
    }
  // In a lordotic column the seats do not lie on one line: the rod is contoured.
  EXPECT_LT(rods->cylinders()[0].axis * rods->cylinders()[1].axis, std::cos(5 * degree));
  // Cages and grafts at both discs, their own graft regions; the approach side's joints and
  // the extra right joint of L3-L4 are gone.
  for (const std::string segment : {"L4-L5", "L5-S1"})
    {
      EXPECT_NO_THROW(m.body(segment + " TLIF cage")) << segment;
      bool graft = false;
      for (const model::Region &r : m.regions.all())
        graft = graft || r.name == segment + " graft";
      EXPECT_TRUE(graft) << segment;
    }
  unsigned int resected = 0;
  for (const auto &step : built.construct().surgery)
    resected += step->description().find("facetectomy") != std::string::npos;
  EXPECT_EQ(resected, 3u);

  // Unilateral: one rod, three screws.
  p.screws.sides = "left";
  const core::ParametricModel left(g, p, 3.0);
  EXPECT_EQ(left.construct().find<hardware::PedicleScrews>()->screws().size(), 3u);
  EXPECT_EQ(left.construct().find<hardware::Rods>()->cylinders().size(), 2u);
}

TEST(ColumnHardware, LevelsOutsideTheModelFailNamingTheParameter)
{
  const LumbarParameters g = lordotic_column("L3-S1");
  const std::vector<
    std::pair<std::function<void(hardware::InstrumentationParameters &)>, std::vector<std::string>>>
    cases = {
      {[](auto &p) { p.screws.levels = "L2, L3"; },
       {"Instrumentation/Pedicle screws/Levels", "'L2' is not a vertebra", "L3, L4, L5, S1"}},
      {[](auto &p) { p.screws.levels = "L4"; },
       {"Instrumentation/Rods/Present", "at least two vertebrae", "(L4)"}},
      {[](auto &p) { p.cage.levels = ""; },
       {"Instrumentation/Cage/Levels", "name the disc", "L3-L4, L4-L5, L5-S1"}},
      {[](auto &p) { p.cage.levels = "L2-L3"; },
       {"Instrumentation/Cage/Levels", "'L2-L3' is not a disc"}},
      {[](auto &p) { p.cage.levels = "L4-L5, L4-L5"; },
       {"Instrumentation/Cage/Levels", "named twice"}},
      {[](auto &p) { p.facetectomy = "L4-L5 up"; }, {"Instrumentation/Facetectomy", "'L4-L5 up'"}},
      {[](auto &p) { p.facetectomy = "L1-L2 left"; },
       {"Instrumentation/Facetectomy", "'L1-L2' is not a segment"}},
      {[](auto &p) { p.resected_ligaments = "L4-L5 spinous"; },
       {"Instrumentation/Resected ligaments", "'L4-L5 spinous'", "interspinous ligament"}},
      {[](auto &p) { p.resected_ligaments = "L1-L2 ligamentum flavum"; },
       {"Instrumentation/Resected ligaments", "'L1-L2' is not a segment"}},
      {[](auto &p) { p.resected_ligaments = "L4-L5 ligamentum flavum,L4-L5 ligamentum flavum"; },
       {"Instrumentation/Resected ligaments", "named twice"}},
    };
  for (const auto &[change, expected] : cases)
    {
      hardware::InstrumentationParameters p = two_level_tlif();
      change(p);
      const std::string e = construct_error(g, p);
      for (const std::string &part : expected)
        EXPECT_NE(e.find(part), std::string::npos) << e;
    }
}

// Requirement (surgery steps): a resected ligament's band is left out of the model at its
// segment only; every point where it was is empty, every other region stays where it was.
TEST(ColumnSurgery, ResectedLigamentsLeaveTheirSpaceEmptyAtTheirSegmentOnly)
{
  const LumbarParameters g = lordotic_column("L3-L5");
  hardware::InstrumentationParameters none;
  none.screws.present = none.rods.present = false;
  none.cage.type = "none";
  hardware::InstrumentationParameters cut = none;
  cut.resected_ligaments = "L4-L5 interspinous ligament, L4-L5 ligamentum flavum, "
                           "L3-L4 anterior longitudinal ligament";
  const core::ParametricModel intact(g, none, 2.0), resected(g, cut, 2.0);
  unsigned int descriptions = 0;
  for (const auto &step : resected.construct().surgery)
    descriptions += step->description().find("resection of the") != std::string::npos;
  EXPECT_EQ(descriptions, 3u);

  const model::Model &m = intact.model();
  const std::vector<std::string> gone = {"L4-L5 interspinous ligament",
                                         "L4-L5 ligamentum flavum",
                                         "L3-L4 anterior longitudinal ligament"};
  std::map<std::string, unsigned int> emptied, kept;
  unsigned int changed_elsewhere = 0;
  const anatomy::Box box = intact.bounding_box();
  for (double x = box.lo[0]; x <= box.hi[0]; x += 1.3)
    for (double y = box.lo[1]; y <= box.hi[1]; y += 1.3)
      for (double z = box.lo[2]; z <= box.hi[2]; z += 1.3)
        {
          const dealii::Point<3> p(x, y, z);
          const auto before = intact.classify(p), after = resected.classify(p);
          if (!before)
            {
              changed_elsewhere += after.has_value();
              continue;
            }
          const std::string name = m.regions[*before].name;
          if (std::find(gone.begin(), gone.end(), name) != gone.end())
            emptied[name] += !after.has_value();
          else
            {
              changed_elsewhere += !after || *after != *before;
              if (model::is_ligament(m.regions[*before].tissue))
                ++kept[name];
            }
        }
  for (const std::string &name : gone)
    EXPECT_GT(emptied[name], 20u) << name;
  // The same ligaments of the other segment are still there.
  EXPECT_GT(kept["L3-L4 interspinous ligament"], 20u);
  EXPECT_GT(kept["L3-L4 ligamentum flavum"], 20u);
  EXPECT_GT(kept["L4-L5 anterior longitudinal ligament"], 20u);
  EXPECT_EQ(changed_elsewhere, 0u);

  // A model without ligaments has nothing to cut.
  LumbarParameters bare = g;
  bare.ligaments = false;
  EXPECT_THROW(core::ParametricModel(bare, cut, 2.0), std::invalid_argument);
}

// Requirement: Geometry/Column rotation turns the whole model (anatomy, implants, frames) a
// quarter turn about z: every point of the turned model is in the region its preimage is in,
// exactly, and every frame is the turned frame; other angles fail naming the parameter.
TEST(ColumnRotation, AQuarterTurnTurnsGeometryAndFrames)
{
  anatomy::LumbarParameters geometry;
  geometry.levels = "L4-S1";
  geometry.alignment = "lordotic";
  const hardware::InstrumentationParameters instrumentation = two_level_tlif();
  const core::ParametricModel straight(geometry, instrumentation, 2.0);
  geometry.column_rotation = 90;
  const core::ParametricModel turned(geometry, instrumentation, 2.0);
  const auto turn = [](const dealii::Point<3> &p) { return dealii::Point<3>(-p[1], p[0], p[2]); };

  unsigned int inside = 0;
  for (double x = -40; x <= 40; x += 1.7)
    for (double y = -60; y <= 40; y += 1.9)
      for (double z = -80; z <= 30; z += 2.3)
        {
          const dealii::Point<3> p(x, y, z);
          const auto a = straight.classify(p), b = turned.classify(turn(p));
          ASSERT_EQ(a.has_value(), b.has_value()) << p;
          if (a)
            {
              EXPECT_EQ(*a, *b) << p;
              ++inside;
            }
        }
  EXPECT_GT(inside, 10000u);

  const model::Model &m0 = straight.model(), &m1 = turned.model();
  ASSERT_EQ(m0.bodies.size(), m1.bodies.size());
  const auto same_frame = [&](const model::Frame &f, const model::Frame &g) {
    EXPECT_LT((turn(f.origin) - g.origin).norm(), 1e-12);
    EXPECT_LT((turn(dealii::Point<3>(f.lateral)) - dealii::Point<3>(g.lateral)).norm(), 1e-15);
    EXPECT_LT((turn(dealii::Point<3>(f.superior)) - dealii::Point<3>(g.superior)).norm(), 1e-15);
  };
  for (std::size_t b = 0; b < m0.bodies.size(); ++b)
    same_frame(m0.bodies[b].frame, m1.bodies[b].frame);
  for (std::size_t s = 0; s < m0.segments.size(); ++s)
    same_frame(m0.segments[s].disc_frame, m1.segments[s].disc_frame);
  for (std::size_t j = 0; j < m0.facet_joints.size(); ++j)
    same_frame(m0.facet_joints[j].frame, m1.facet_joints[j].frame);
  // The turned box holds the turned model.
  const anatomy::Box box = turned.bounding_box(), box0 = straight.bounding_box();
  EXPECT_NEAR(box.lo[0], -box0.hi[1], 1e-12);
  EXPECT_NEAR(box.hi[1], box0.hi[0], 1e-12);

  geometry.column_rotation = 45;
  try
    {
      core::ParametricModel bad(geometry, instrumentation, 2.0);
      ADD_FAILURE() << "45 degrees accepted";
    }
  catch (const std::invalid_argument &e)
    {
      EXPECT_NE(std::string(e.what()).find("Geometry/Column rotation"), std::string::npos);
    }
}

namespace
{
  /** A straight L3-L4 (frames = the global one) with the given vertebra shape. */
  struct ShapedSegment
  {
    explicit ShapedSegment(const std::string &shape)
      : column([&] {
        LumbarParameters p;
        p.level = "L3-L4";
        p.vertebra_shape = shape;
        p.facet_surfaces = "pads"; // the pads' area is compared below
        return p;
      }())
    {
      column.add_to(model);
    }
    std::optional<Tissue> at(const double x, const double y, const double z) const
    {
      return tissue_at(column, model, dealii::Point<3>(x, y, z));
    }
    /** Area [mm^2] of the left facet cartilage in the plane of the L3-L4 disc, counted on a
     *  0.05 mm grid. */
    double left_facet_area() const
    {
      const double h = 0.05;
      unsigned int n = 0;
      for (double x = -45; x < 0; x += h)
        for (double y = -60; y < 0; y += h)
          n += at(x, y, 0) == Tissue::facet_cartilage;
      return n * h * h;
    }
    LumbarColumn column;
    model::Model model;
  };

  bool is_bone(const std::optional<Tissue> t)
  {
    return t && (*t == Tissue::posterior || *t == Tissue::cortical || *t == Tissue::cancellous ||
                 *t == Tissue::endplate);
  }
} // namespace

// Requirement (issue 16, item 2): Vertebra shape = anatomical rounds what the blocks square off
// (waisted bodies, concave endplates, hatchet spinous processes, tapered transverse rods, round
// facets, leaning laminae with a lateral notch and rounded edges) while the facet pads keep the
// blocks' area, so the joints' stiffness is the same; other values fail naming the parameter.
TEST(VertebraShape, AnatomicalShapesRoundWhatTheBlocksSquareOff)
{
  const ShapedSegment blocks("blocks"), anatomical("anatomical");
  const VertebraDimensions d = read_vertebra_dimensions(default_dimension_table(), "L3");
  const VertebraLandmarks &v = blocks.column.vertebra("L3");
  const VertebraLandmarks &w = anatomical.column.vertebra("L3");
  ASSERT_DOUBLE_EQ(v.pedicle_z, w.pedicle_z);
  ASSERT_DOUBLE_EQ(v.canal_back_y, w.canal_back_y);

  // Body: 8 % narrower at mid-height, the endplates' outline kept at the rims.
  const double z_mid = (v.body_bottom + v.body_top) / 2;
  const double a_mid = (d.upper_endplate_width + d.lower_endplate_width) / 4;
  EXPECT_TRUE(is_bone(blocks.at(0.95 * a_mid, 0, z_mid)));
  EXPECT_FALSE(is_bone(anatomical.at(0.95 * a_mid, 0, z_mid)));
  EXPECT_TRUE(is_bone(anatomical.at(0.90 * a_mid, 0, z_mid)));
  const double a_top = d.upper_endplate_width / 2;
  EXPECT_TRUE(is_bone(blocks.at(0.98 * a_top, 0, v.body_top - 1.5)));
  EXPECT_TRUE(is_bone(anatomical.at(0.98 * a_top, 0, v.body_top - 1.5)));

  // Transverse process: the block's corner near the tip is gone, the rod's axis is bone up
  // to the span.
  const double x_tip = d.transverse_span / 2;
  const double y_axis = v.canal_back_y + (v.transverse_front - v.transverse_behind) / 2;
  const double y_corner = v.canal_back_y - v.transverse_behind + 0.3,
               z_corner = v.pedicle_z + v.transverse_height / 2 - 0.3;
  EXPECT_EQ(blocks.at(x_tip - 1, y_corner, z_corner), Tissue::posterior);
  EXPECT_FALSE(is_bone(anatomical.at(x_tip - 1, y_corner, z_corner)));
  EXPECT_EQ(anatomical.at(x_tip - 0.5, y_axis, v.pedicle_z), Tissue::posterior);
  EXPECT_FALSE(is_bone(anatomical.at(x_tip + 0.5, y_axis, v.pedicle_z)));
  // Near the root, lateral of the pedicle, the rod is almost as tall as the block (radius
  // 5 mm at the root).
  EXPECT_EQ(anatomical.at(-(v.pedicle_x + v.pedicle_width / 2 + 3), y_axis, v.pedicle_z + 4.2),
            Tissue::posterior);

  // Spinous process: the block's upper posterior corner is rounded off; the process hangs
  // lower at its tip than the block reached.
  const double H = v.body_top - v.body_bottom;
  const double b_mid = (d.upper_endplate_depth + d.lower_endplate_depth) / 4;
  const double y_tip = v.lamina_back_y - 0.85 * 2 * b_mid;
  const double z_top = v.pedicle_z + 0.15 * H, z_bottom = v.pedicle_z - 0.5 * H;
  EXPECT_EQ(blocks.at(0, y_tip + 0.5, z_top - 0.5), Tissue::posterior);
  EXPECT_FALSE(is_bone(anatomical.at(0, y_tip + 0.5, z_top - 0.5)));
  const double hanging = z_bottom - 0.1 * (z_top - z_bottom) / 2;
  EXPECT_FALSE(is_bone(blocks.at(0, y_tip + 12, hanging)));
  EXPECT_EQ(anatomical.at(0, y_tip + 12, hanging), Tissue::posterior);

  // Lamina: over the canal its lower border arches up by a quarter of its height (4 u (1 - u)
  // with u = |x| over the canal's half-width) and it leans back by 0.15 mm per mm below its
  // top edge (times 1 - u^2); lateral of the canal, where the inferior articular processes
  // hang from it, it keeps the block's full height; its upper back edge is rounded.
  const double z_lamina_top = v.pedicle_z + v.pedicle_height / 2,
               z_lamina_bottom = v.pedicle_z - 0.55 * H;
  const double height = z_lamina_top - z_lamina_bottom, half_canal = d.canal_width / 2;
  const double y_mid_block = (v.canal_back_y + v.lamina_back_y) / 2;
  // In the arch, half-way up it, the whole depth (lean included) is empty.
  const double z_in_arch = z_lamina_bottom + 0.5 * 0.25 * height;
  EXPECT_TRUE(is_bone(blocks.at(half_canal / 2, y_mid_block, z_in_arch)));
  for (double y = v.lamina_back_y - 4; y <= v.canal_back_y; y += 0.5)
    EXPECT_FALSE(is_bone(anatomical.at(half_canal / 2, y, z_in_arch))) << "y = " << y;
  // The ligamentum flavum fills the arch up to the lamina, so it stays tied to it.
  EXPECT_EQ(anatomical.at(half_canal / 2, y_mid_block, z_in_arch), Tissue::ligamentum_flavum);
  EXPECT_EQ(anatomical.at(half_canal / 2, y_mid_block, z_lamina_bottom + 0.25 * height - 0.5),
            Tissue::ligamentum_flavum);
  EXPECT_TRUE(is_bone(anatomical.at(half_canal + 1, y_mid_block, z_lamina_bottom + 1)));
  // Just beside the spinous process, 3 mm above the arch: shifted back by the lean.
  const double x = 3.5, u = x / half_canal;
  const double z = z_lamina_bottom + 0.25 * height * 4 * u * (1 - u) + 3;
  const double lean = 0.15 * (1 - u * u) * (z_lamina_top - z);
  ASSERT_GT(lean, 1.5);
  EXPECT_TRUE(is_bone(blocks.at(x, v.canal_back_y - 0.5, z)));
  EXPECT_FALSE(is_bone(anatomical.at(x, v.canal_back_y - 0.5, z)));
  EXPECT_FALSE(is_bone(blocks.at(x, v.lamina_back_y - 1, z)));
  EXPECT_TRUE(is_bone(anatomical.at(x, v.lamina_back_y - 1, z)));
  // Rounded upper back edge.
  EXPECT_TRUE(is_bone(blocks.at(6, v.lamina_back_y + 0.3, z_lamina_top - 0.3)));
  EXPECT_FALSE(is_bone(anatomical.at(6, v.lamina_back_y + 0.3, z_lamina_top - 0.3)));
  EXPECT_TRUE(is_bone(anatomical.at(6, v.lamina_back_y + 2.5, z_lamina_top - 2.5)));

  // Concave endplates: the disc fills a 1.5 mm dome in the endplate above it and a 0.7 mm
  // one below it (at the centre), none at the rim.
  const double half = anatomical.column.disc("L3-L4").shape.height / 2;
  EXPECT_EQ(blocks.at(0, 0, half + 1.0), Tissue::endplate);
  EXPECT_EQ(anatomical.at(0, 0, half + 1.0), Tissue::nucleus);
  EXPECT_EQ(anatomical.at(0, 0, half + 1.7), Tissue::endplate);
  EXPECT_EQ(anatomical.at(0, 0, -half - 0.5), Tissue::nucleus);
  EXPECT_EQ(anatomical.at(0, 0, -half - 0.9), Tissue::endplate);
  EXPECT_EQ(anatomical.at(0.8 * a_top, 0, half + 0.5), Tissue::endplate);
  const VertebraDimensions l4 = read_vertebra_dimensions(default_dimension_table(), "L4");
  EXPECT_EQ(anatomical.at(0, 0.8 * l4.upper_endplate_depth / 2, -half - 0.3), Tissue::endplate);

  // Round facet pads of the blocks' area (to the sampling's 1 %).
  const double block_area = blocks.left_facet_area(), round_area = anatomical.left_facet_area();
  EXPECT_GT(block_area, 50);
  EXPECT_NEAR(round_area / block_area, 1.0, 0.01);

  LumbarParameters p;
  p.vertebra_shape = "round";
  EXPECT_NE(check_error(p).find("Geometry/Vertebra shape"), std::string::npos) << check_error(p);
}

// Regression (found by the TLIF reference on 2026-12-04): where a discectomy removed the
// nucleus and nothing fills it, the space stays empty; no other region (the anterior
// longitudinal ligament's band test, for one) may claim it.
TEST(LumbarColumn, ARemovedNucleusWithoutFillStaysEmpty)
{
  for (const std::string shape : {"blocks", "anatomical"})
    {
      SCOPED_TRACE(shape);
      LumbarParameters p;
      p.level = "L3-L4";
      ShapedColumn built(p, shape);
      LumbarColumn &column = built.column;
      const model::Model &m = built.model;
      EXPECT_EQ(tissue_at(column, m, dealii::Point<3>(0, 5, 0)), Tissue::nucleus);
      column.remove_nucleus("L3-L4", std::nullopt);
      for (const double y : {-5., 0., 5.})
        EXPECT_EQ(column.classify(dealii::Point<3>(0, y, 0)), std::nullopt) << "y = " << y;
      const double half = column.disc("L3-L4").shape.height / 2;
      // In the anatomical shape the endplate's dome belongs to the emptied nucleus too.
      if (shape == "anatomical")
        {
          EXPECT_EQ(column.classify(dealii::Point<3>(0, 0, half + 1.0)), std::nullopt);
        }
    }
}
