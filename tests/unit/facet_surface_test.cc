// Requirement (issue 16, item 2): with Geometry/Facet surfaces = curved the facet joints are
// drawn as the real, near-vertical joints: a curved cartilage layer facing the midline at its
// level's published angle to the sagittal plane, the upper vertebra's inferior articular
// process behind it and the lower one's superior process in front, and no voxel of one
// vertebra's bone touching the other's (they would share a node and weld the joint shut).
// The joint law's normal at the joint's centre is the pad's; it turns with the surface.
#include <deal.II/grid/tria.h>
#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include <gtest/gtest.h>

#include "anatomy/facet_surface.h"
#include "anatomy/lumbar_column.h"
#include "anatomy/lumbar_levels.h"
#include "core/parametric_model.h"
#include "meshing/voxel_mesh.h"
#include "mechanics/contact_layers.h"
#include "column_fixtures.h"

#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{
  using namespace bonefusion;
  using namespace bonefusion::anatomy;
  using model::Tissue;
  using dealii::Point;
  using dealii::Tensor;
  using bonefusion::testing::degree;

  LumbarParameters curved_column(const std::string &levels)
  {
    LumbarParameters p = bonefusion::testing::lordotic_column(levels);
    p.vertebra_shape = "anatomical";
    p.facet_orientation = "per level";
    p.facet_surfaces = "curved";
    return p;
  }

  /** The vertebra (index in the model's bodies) whose bone holds p, or -1. */
  int bone_owner(const LumbarColumn &column, const model::Model &m, const Point<3> &p)
  {
    const std::optional<model::RegionId> id = column.classify(p);
    if (!id)
      return -1;
    const model::Region &r = m.regions[*id];
    return r.tissue == Tissue::facet_cartilage ? -1 : r.body;
  }
} // namespace

TEST(FacetSurface, LocalCoordinatesFollowTheCylinder)
{
  FacetSurface f;
  f.centre = Point<3>(-20, -30, 0);
  f.normal = Tensor<1, 3>({std::cos(40 * degree), -std::sin(40 * degree), 0.});
  f.radius = 15;
  f.half_width = 5;
  f.half_height = 6.5;
  const FacetSurface::Local c = f.local(f.centre + Tensor<1, 3>({0., 0., 2.}));
  EXPECT_NEAR(c.s, 0, 1e-12);
  EXPECT_NEAR(c.u, 0, 1e-12);
  EXPECT_NEAR(c.w, 2, 1e-12);
  // Along the normal, towards the axis: the upper process' side.
  EXPECT_NEAR(f.local(f.centre + 3 * f.normal).s, 3, 1e-12);
  EXPECT_NEAR(f.local(f.centre - 3 * f.normal).s, -3, 1e-12);
  // On the cylinder, a quarter radian round: s = 0, |u| = R / 4, the normal towards the axis.
  const Point<3> axis = f.centre + f.radius * f.normal;
  const Tensor<1, 3> tangent({-f.normal[1], f.normal[0], 0.});
  const Point<3> q =
    axis + f.radius * (-std::cos(0.25) * f.normal + std::sin(0.25) * tangent);
  const FacetSurface::Local l = f.local(q);
  EXPECT_NEAR(l.s, 0, 1e-12);
  EXPECT_NEAR(std::abs(l.u), 15 * 0.25, 1e-12);
  EXPECT_TRUE(f.in_patch(l));
  EXPECT_FALSE(f.in_patch({0, 0, 7}));
  EXPECT_TRUE(f.in_patch({0, 0, 6.4}));
  const Tensor<1, 3> n = f.normal_at(q);
  EXPECT_NEAR((n - (axis - q) / f.radius).norm(), 0, 1e-12);
  EXPECT_NEAR((f.normal_at(f.centre) - f.normal).norm(), 0, 1e-12);
}

TEST(CurvedFacets, EachJointFacesTheMidlineAtItsLevelsPublishedAngle)
{
  const bonefusion::testing::BuiltColumn built(curved_column("L1-S1"));
  const LumbarColumn &column = built.column;
  const model::Model &m = built.model;
  ASSERT_EQ(m.facet_joints.size(), 10u);
  const mechanics::FacetParameters facets = bonefusion::testing::calibrated_facet_law();
  for (const model::FacetJoint &joint : m.facet_joints)
    {
      const std::string name = m.segments.at(joint.segment).name;
      SCOPED_TRACE(name + " " + model::side_name(joint.side));
      ASSERT_GT(joint.surface_radius, 0);
      EXPECT_NEAR(joint.surface_angle, published_facet_angle(name), 1e-12);
      // The drawn layer at the centre: horizontal in the disc's frame, medial and posterior
      // at the published angle.
      const Tensor<1, 3> e = joint.layer_normal(joint.frame.origin);
      const double medial = -(e * joint.frame.lateral), posterior = -(e * joint.frame.anterior);
      EXPECT_NEAR(e.norm(), 1, 1e-12);
      EXPECT_NEAR(e * joint.frame.superior, 0, 1e-12);
      EXPECT_NEAR(std::atan2(posterior, medial) / degree, published_facet_angle(name), 1e-9);
      // The centre is cartilage of this joint.
      EXPECT_EQ(column.classify(joint.frame.origin), joint.region);
      // The law's normal at the centre is the pad's: the calibrated angle plus the level's
      // offset, tilted up by the inclination.
      model::FacetJoint pad = joint;
      pad.surface_radius = 0;
      const Tensor<1, 3> n = mechanics::facet_joint_normal(joint, facets);
      EXPECT_NEAR((n - mechanics::facet_joint_normal(pad, facets)).norm(), 0, 1e-12);
      // Along the arc the law's normal turns with the surface: the same angle to it.
      const Point<3> axis = joint.surface_axis;
      const Tensor<1, 3> up = joint.frame.superior;
      Tensor<1, 3> to_centre = joint.frame.origin - axis;
      const Tensor<1, 3> side = cross_product_3d(up, to_centre) / to_centre.norm();
      const Point<3> along = axis + std::cos(0.2) * to_centre + std::sin(0.2) * side * 15.;
      const Tensor<1, 3> e_along = joint.layer_normal(along),
                         n_along = mechanics::facet_joint_normal(joint, facets, along);
      EXPECT_NEAR(std::acos(e_along * e), 0.2, 1e-9);
      EXPECT_NEAR(n_along * e_along, n * e, 1e-9);
      EXPECT_NEAR(n_along * up, n * up, 1e-12);
    }
  // The joints of a level mirror each other.
  const Tensor<1, 3> left = m.facet_joints[0].layer_normal(m.facet_joints[0].frame.origin),
                     right = m.facet_joints[1].layer_normal(m.facet_joints[1].frame.origin);
  EXPECT_GT(left[0], 0.1);
  EXPECT_NEAR(left[0], -right[0], 1e-9);
  EXPECT_NEAR(left[1], right[1], 1e-9);
}

TEST(CurvedFacets, ProcessesFlankTheCartilageOfTheirVertebrae)
{
  bonefusion::testing::BuiltColumn built(curved_column("L3-S1"));
  LumbarColumn &column = built.column;
  const model::Model &m = built.model;
  column.set_resolution(1.0);
  for (const model::FacetJoint &joint : m.facet_joints)
    {
      const model::MotionSegment &s = m.segments.at(joint.segment);
      SCOPED_TRACE(s.name + " " + model::side_name(joint.side));
      const Tensor<1, 3> e = joint.layer_normal(joint.frame.origin), up = joint.frame.superior;
      // t_facet = 2 mm at 1 mm voxels: the processes begin a millimetre either side.
      EXPECT_EQ(column.classify(joint.frame.origin + 0.5 * e), joint.region);
      EXPECT_EQ(column.classify(joint.frame.origin - 0.5 * e), joint.region);
      // Behind the cartilage the upper vertebra's inferior process, from the middle of the
      // joint upwards; in front the lower one's superior process, from the middle down.
      EXPECT_EQ(bone_owner(column, m, joint.frame.origin + 4 * e + 3 * up), s.upper);
      EXPECT_EQ(bone_owner(column, m, joint.frame.origin - 4 * e - 3 * up), s.lower);
      EXPECT_EQ(bone_owner(column, m, joint.frame.origin + 4 * e + 12 * up), s.upper);
      EXPECT_EQ(bone_owner(column, m, joint.frame.origin - 4 * e - 12 * up), s.lower);
    }
}

TEST(CurvedFacets, NoVoxelOfOneVertebraTouchesAnothersBone)
{
  // Sampled at the voxel size around every joint: cells whose centres are 26-neighbours
  // share a node, so bone of two vertebrae there would weld the joint.
  bonefusion::testing::BuiltColumn built(curved_column("L3-S1"));
  LumbarColumn &column = built.column;
  const model::Model &m = built.model;
  const double h = 2.0;
  column.set_resolution(h);
  const int n = 14; // +-28 mm around each joint's centre
  unsigned int bone = 0;
  for (const model::FacetJoint &joint : m.facet_joints)
    {
      const model::MotionSegment &s = m.segments.at(joint.segment);
      SCOPED_TRACE(s.name + " " + model::side_name(joint.side));
      const auto index = [n](int i, int j, int k) {
        return ((i + n) * (2 * n + 1) + (j + n)) * (2 * n + 1) + (k + n);
      };
      std::vector<int> owner(std::pow(2 * n + 1, 3), -1);
      unsigned int cartilage = 0;
      for (int i = -n; i <= n; ++i)
        for (int j = -n; j <= n; ++j)
          for (int k = -n; k <= n; ++k)
            {
              const Point<3> p = joint.frame.origin + Tensor<1, 3>({i * h, j * h, k * h});
              owner[index(i, j, k)] = bone_owner(column, m, p);
              cartilage += column.classify(p) == joint.region;
            }
      unsigned int touching = 0;
      for (int i = -n + 1; i < n; ++i)
        for (int j = -n + 1; j < n; ++j)
          for (int k = -n + 1; k < n; ++k)
            {
              const int o = owner[index(i, j, k)];
              if (o != s.upper && o != s.lower)
                continue;
              ++bone;
              for (int a = -1; a <= 1; ++a)
                for (int b = -1; b <= 1; ++b)
                  for (int c = -1; c <= 1; ++c)
                    {
                      const int other = owner[index(i + a, j + b, k + c)];
                      touching += other >= 0 && other != o;
                    }
            }
      EXPECT_EQ(touching, 0u);
      // The cartilage: a layer two voxels thick over the joint's 95 mm^2.
      EXPECT_GT(cartilage, 20u);
    }
  EXPECT_GT(bone, 20000u);
}

namespace
{
  /** The fitted mesh of the curved-facet column `levels` at voxel size h (mm). */
  meshing::FittingReport fitted_column(const core::ParametricModel &parametric, const double h,
                                       dealii::Triangulation<3> &tria)
  {
    meshing::BoundaryFitting fitting(true);
    fitting.group_of = parametric.fitting_groups();
    return meshing::build_voxel_mesh(parametric.voxel_domain(), h, parametric.voxel_surfaces(),
                                     tria, fitting);
  }

  /** Nodes used by the bones of two vertebrae. */
  unsigned int nodes_shared_by_two_vertebrae(const model::Model &m,
                                             const dealii::Triangulation<3> &tria)
  {
    // The vertebra whose bone uses each node (-1: none yet, -2: two).
    std::vector<int> vertebra(tria.n_vertices(), -1);
    unsigned int shared = 0;
    for (const auto &cell : tria.active_cell_iterators())
      {
        const model::Region &r = m.regions[cell->material_id()];
        if (r.body == model::no_index || m.bodies.at(r.body).kind != model::BodyKind::vertebra)
          continue;
        for (const unsigned int v : cell->vertex_indices())
          {
            int &owner = vertebra[cell->vertex_index(v)];
            if (owner == -1)
              owner = r.body;
            else if (owner >= 0 && owner != r.body)
              owner = -2, ++shared;
          }
      }
    return shared;
  }
} // namespace

// Requirement: boundary fitting may relabel voxels (it fills the notches of thin oblique
// layers) but never so that the bones of two vertebrae share a node. Until 2026-12-07 it did
// on the L3-S1 column (at 2 mm across L5-S1, at 1.5 mm across L3-L4 and L4-L5), and those
// facet joints locked in flexion: 0.55-0.92 deg instead of about 3 deg at 7.5 N m.
TEST(CurvedFacets, FittedMeshGluesNoTwoVertebrae)
{
  for (const double h : {2.0, 1.5})
    {
      SCOPED_TRACE("voxel " + std::to_string(h) + " mm");
      const core::ParametricModel parametric(curved_column("L3-S1"),
                                             hardware::InstrumentationParameters(), h);
      dealii::Triangulation<3> tria;
      const meshing::FittingReport report = fitted_column(parametric, h, tria);
      EXPECT_GT(report.relabelled_voxels, 100u); // the relabelling had work to do
      EXPECT_EQ(nodes_shared_by_two_vertebrae(parametric.model(), tria), 0u)
        << "nodes shared by the bones of two vertebrae";
    }
}

// Requirement: the longer columns can be fitted too. Until 2026-12-07 the fitting of L2-S1
// and L1-S1 stopped ("2 cells stay below the quality bound even unfitted") at 2 mm: where
// nucleus, annulus and the concave endplate meet in a checkerboard of voxels, the fill and
// erosion passes of the relabelling ran out of moves and left a twisted node, whose pillows
// are flat. The local repair after them mends it.
TEST(CurvedFacets, FittedL2S1ColumnMeetsTheQualityBound)
{
  const double h = 2.0;
  const core::ParametricModel parametric(curved_column("L2-S1"),
                                         hardware::InstrumentationParameters(), h);
  dealii::Triangulation<3> tria;
  meshing::FittingReport report;
  ASSERT_NO_THROW(report = fitted_column(parametric, h, tria));
  EXPECT_GE(report.minimum_quality, 0.2);
  EXPECT_GT(report.moved_nodes, report.boundary_nodes / 2); // fitted, not left on the grid
  EXPECT_EQ(nodes_shared_by_two_vertebrae(parametric.model(), tria), 0u);
}

TEST(CurvedFacets, AnUnknownSurfaceNamesTheParameter)
{
  LumbarParameters p = curved_column("L3-S1");
  EXPECT_NO_THROW(p.check());
  p.facet_surfaces = "round";
  try
    {
      p.check();
      FAIL() << "no error for Facet surfaces = round";
    }
  catch (const std::invalid_argument &e)
    {
      EXPECT_NE(std::string(e.what()).find("Geometry/Facet surfaces"), std::string::npos)
        << e.what();
      EXPECT_NE(std::string(e.what()).find("'round'"), std::string::npos) << e.what();
    }
}
