// Requirement: the voxel mesher turns the parametric model (anatomy, construct) into one
// connected hexahedral mesh whose implant volumes are within 3 % of the analytic ones at
// h = 0.5 mm, where only disc, cartilage, ligaments, implants and graft cross the disc's
// mid-plane, whose loaded/support faces match the endplate areas within 5 % and which a
// distributed triangulation holds unchanged; it takes any point classifier.
#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>

#include <gtest/gtest.h>

#include "hardware/interbody_cage.h"
#include "hardware/pedicle_screws.h"
#include "hardware/rods.h"
#include "parametric_fixtures.h"

#include <cmath>
#include <set>
#include <vector>

namespace
{
  using namespace bonefusion;
  using bonefusion::testing::face_area;
  using bonefusion::testing::outline_area;
  using bonefusion::testing::tissue_volumes;
  using bonefusion::testing::voxel_model;
  using dealii::Triangulation;
  using model::Tissue;
  constexpr double pi = 3.14159265358979323846;

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
} // namespace

TEST(GeometryVoxel, ImplantVolumesConvergeToTheAnalyticShapes)
{
  const core::ParametricModel g(anatomy::LumbarParameters(), bonefusion::testing::tlif_construct());
  const auto &cage = *g.construct().find<hardware::InterbodyCage>();
  const auto &rods = *g.construct().find<hardware::Rods>();
  const auto &screws = *g.construct().find<hardware::PedicleScrews>();
  // Independent numbers for the simple shapes: hollow 28 x 11 mm cage, 2 mm wall, disc height.
  EXPECT_NEAR(cage.wall_volume(), (28 * 11 - 24 * 7) * 13.91, 1e-9);
  EXPECT_NEAR(cage.window_volume(), 24 * 7 * 13.91, 1e-9);
  const double screw_volume = screws.analytic_volume(rods.cylinders());
  EXPECT_GT(screw_volume, 4 * pi * 3.25 * 3.25 * 45);
  double rod_volume = 0;
  for (const auto &rod : rods.cylinders())
    rod_volume += pi * rod.radius * rod.radius * rod.length;
  const std::map<Tissue, double> exact = {{Tissue::screw, screw_volume},
                                          {Tissue::rod, rod_volume},
                                          {Tissue::cage, cage.wall_volume()},
                                          {Tissue::graft, cage.window_volume()}};

  double total_error[2] = {0, 0};
  const double hs[2] = {1.0, 0.5};
  for (unsigned int i = 0; i < 2; ++i)
    {
      const auto volumes = tissue_volumes(voxel_model(true, hs[i]));
      for (const auto &[t, v] : exact)
        {
          const double error = std::abs(volumes.at(t) / v - 1);
          total_error[i] += error;
          if (hs[i] == 0.5)
            {
              EXPECT_LT(error, 0.03)
                << model::tissue_name(t) << ": " << volumes.at(t) << " vs " << v;
            }
        }
    }
  EXPECT_LT(total_error[1], total_error[0]);
}

TEST(GeometryVoxel, BodyVolumeMatchesTheTaperedCylinder)
{
  const auto &m = voxel_model(false, 1.0);
  const int l4 = m.model().body("L4");
  double upper_body = 0;
  for (const auto &cell : m.tria->active_cell_iterators())
    if (m.model().in_vertebral_body(cell->material_id(), l4))
      upper_body += cell->measure();
  // L4: mean width (43.86 + 46.80) / 2, mean depth (36.12 + 36.03) / 2, height 27 mm.
  const double expected = outline_area(45.33 / 2, 36.075 / 2) * 27.0;
  EXPECT_NEAR(upper_body / expected, 1.0, 0.10);
}

TEST(GeometryVoxel, OneConnectedBody)
{
  EXPECT_EQ(connected_components(*voxel_model(true, 1.0).tria), 1u);
  EXPECT_EQ(connected_components(*voxel_model(true, 2.0).tria), 1u);
  EXPECT_EQ(connected_components(*voxel_model(false, 2.0).tria), 1u);
}

// The two vertebrae meet only through the disc, the facet cartilage, the ligaments and the
// implants. The default curved facet joints' articular processes reach across the disc's
// mid-plane (the inferior process of the upper vertebra hangs down behind the joint, the
// superior one of the lower vertebra rises in front of it), so bone crosses it; but no face
// of the mesh joins bone of one vertebra to bone of the other.
TEST(GeometryVoxel, OnlyDiscCartilageImplantsAndGraftCrossTheMidPlane)
{
  const std::set<Tissue> allowed = {Tissue::posterior,
                                    Tissue::annulus,
                                    Tissue::nucleus,
                                    Tissue::cage,
                                    Tissue::graft,
                                    Tissue::facet_cartilage,
                                    Tissue::rod,
                                    Tissue::posterolateral_graft,
                                    Tissue::anterior_ligament,
                                    Tissue::posterior_ligament,
                                    Tissue::ligamentum_flavum,
                                    Tissue::interspinous_ligament};
  for (const bool instrumented : {false, true})
    {
      const auto &m = voxel_model(instrumented, 1.0);
      std::set<Tissue> crossing;
      for (const auto &cell : m.tria->active_cell_iterators())
        for (const auto f : cell->face_indices())
          if (std::abs(cell->face(f)->center()[2]) < 1e-9 && !cell->at_boundary(f))
            {
              const Tissue t = m.tissue(cell->material_id());
              EXPECT_TRUE(allowed.count(t)) << model::tissue_name(t) << " crosses z = 0";
              crossing.insert(t);
              const model::Region &here = m.model().regions[cell->material_id()],
                                  &there = m.model().regions[cell->neighbor(f)->material_id()];
              if (here.body != model::no_index && there.body != model::no_index)
                {
                  EXPECT_EQ(here.body, there.body)
                    << here.name << " touches " << there.name << " at " << cell->face(f)->center();
                }
            }
      // The posterior column is continuous only through the facet cartilage.
      EXPECT_TRUE(crossing.count(Tissue::facet_cartilage));
      EXPECT_TRUE(crossing.count(Tissue::annulus));
      if (instrumented)
        for (const Tissue t :
             {Tissue::rod, Tissue::cage, Tissue::graft, Tissue::posterolateral_graft})
          {
            EXPECT_TRUE(crossing.count(t)) << model::tissue_name(t);
          }
    }
  // The same on the exact plane, point by point.
  const core::ParametricModel g(anatomy::LumbarParameters(), bonefusion::testing::tlif_construct());
  const auto bb = g.bounding_box();
  for (double x = bb.lo[0]; x <= bb.hi[0]; x += 0.25)
    for (double y = bb.lo[1]; y <= bb.hi[1]; y += 0.25)
      {
        const auto r = g.classify(dealii::Point<3>(x, y, 0));
        ASSERT_TRUE(!r || allowed.count(g.model().regions[*r].tissue))
          << g.model().regions[*r].name << " at " << x << ", " << y;
      }
}

TEST(GeometryVoxel, LoadedAndSupportedFacesCoverTheEndplates)
{
  const auto &m = voxel_model(false, 1.0);
  const auto &tria = *m.tria;
  // Upper endplate of L4 (43.86 x 36.12 mm) and lower endplate of L5 (47.68 x 36.60 mm).
  EXPECT_NEAR(face_area(tria, model::Boundary::loaded) / outline_area(43.86 / 2, 36.12 / 2), 1.0,
              0.03);
  EXPECT_NEAR(face_area(tria, model::Boundary::support) / outline_area(47.68 / 2, 36.60 / 2), 1.0,
              0.03);
  const double top = m.parametric->anatomy().vertebra("L4").body_top;
  const double bottom = m.parametric->anatomy().vertebra("L5").body_bottom;
  for (const auto &cell : tria.active_cell_iterators())
    for (const auto f : cell->face_indices())
      if (cell->at_boundary(f) && cell->face(f)->boundary_id() != 0)
        {
          const bool upper = cell->face(f)->boundary_id() ==
                             static_cast<dealii::types::boundary_id>(model::Boundary::loaded);
          EXPECT_NEAR(cell->face(f)->center()[2], upper ? top : bottom, 1.0);
        }
}

TEST(GeometryVoxel, DistributedTriangulationHoldsTheSameMesh)
{
  const double h = 2.0;
  const core::ParametricModel g(anatomy::LumbarParameters(), bonefusion::testing::tlif_construct(),
                                h);
  dealii::parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
  meshing::build_voxel_mesh(g.voxel_domain(), h, g.voxel_surfaces(), tria);
  EXPECT_EQ(tria.n_global_active_cells(), meshing::count_voxels(g.voxel_domain(), h));
  EXPECT_EQ(tria.n_global_active_cells(), voxel_model(true, h).tria->n_active_cells());

  double loaded = 0;
  for (const auto &cell : tria.active_cell_iterators())
    if (cell->is_locally_owned())
      for (const auto f : cell->face_indices())
        if (cell->at_boundary(f) &&
            cell->face(f)->boundary_id() ==
              static_cast<dealii::types::boundary_id>(model::Boundary::loaded))
          loaded += cell->face(f)->measure();
  EXPECT_NEAR(dealii::Utilities::MPI::sum(loaded, MPI_COMM_WORLD),
              face_area(*voxel_model(true, h).tria, model::Boundary::loaded), 1e-6);
}

// Requirement: the mesher takes any point classifier (here a sphere of one region inside a
// cube of another) and marks the outermost layer of a surface's regions along its direction.
TEST(VoxelMesh, AnyClassifierAndItsSurfaces)
{
  meshing::VoxelDomain domain;
  domain.lower_corner = dealii::Point<3>(-5, -5, -5);
  domain.upper_corner = dealii::Point<3>(5, 5, 5);
  domain.classify = [](const dealii::Point<3> &p) -> std::optional<dealii::types::material_id> {
    if (p.norm() < 3)
      return 2;
    if (std::abs(p[0]) < 4 && std::abs(p[1]) < 4 && std::abs(p[2]) < 4)
      return 1;
    return std::nullopt;
  };
  const double h = 0.5;
  dealii::Triangulation<3> tria;
  meshing::build_voxel_mesh(domain, h, {{7, {1}, dealii::Tensor<1, 3>({0.1, 0.2, 1.0})}}, tria);
  double ball = 0, cube = 0, top = 0;
  for (const auto &cell : tria.active_cell_iterators())
    {
      (cell->material_id() == 2 ? ball : cube) += cell->measure();
      for (const auto f : cell->face_indices())
        if (cell->at_boundary(f) && cell->face(f)->boundary_id() == 7)
          {
            top += cell->face(f)->measure();
            EXPECT_NEAR(cell->face(f)->center()[2], 4.0, 1e-12);
          }
    }
  EXPECT_NEAR(ball, 4. / 3. * pi * 27, 0.05 * 4. / 3. * pi * 27);
  EXPECT_NEAR(ball + cube, 8 * 8 * 8, 1e-9);
  EXPECT_NEAR(top, 8 * 8, 1e-9);
  EXPECT_EQ(meshing::count_voxels(domain, h), tria.n_active_cells());
  EXPECT_THROW(meshing::count_voxels(domain, 0), std::runtime_error);
}

// The sampling's debris (pieces that share no face with the rest and are tiny) is removed and
// reported; a separate part of real size stays.
TEST(VoxelMesh, RemovesTheSamplingsDebrisAndKeepsSeparateParts)
{
  meshing::VoxelDomain domain;
  domain.lower_corner = dealii::Point<3>(-12, -12, -12);
  domain.upper_corner = dealii::Point<3>(32, 12, 12);
  domain.classify = [](const dealii::Point<3> &p) -> std::optional<dealii::types::material_id> {
    if (std::abs(p[0]) < 10 && std::abs(p[1]) < 10 && std::abs(p[2]) < 10)
      return 1; // the body: 20^3 voxels of 1 mm
    if (std::abs(p[0] - 10.5) < 0.5 && std::abs(p[1] - 10.5) < 0.5 && std::abs(p[2] - 0.5) < 0.5)
      return 2; // one voxel joined to the body only along an edge
    if (std::abs(p[0] - 14.5) < 0.5 && std::abs(p[1]) < 1 && std::abs(p[2] - 0.5) < 0.5)
      return 3; // two voxels touching nothing
    if (p[0] > 20 && p[0] < 30 && std::abs(p[1]) < 5 && std::abs(p[2]) < 5)
      return 4; // a separate part of 1000 voxels
    return std::nullopt;
  };
  const double h = 1;
  dealii::Triangulation<3> tria;
  meshing::LoosePieces loose;
  meshing::build_voxel_mesh(domain, h, {}, tria, {}, &loose);
  EXPECT_EQ(tria.n_active_cells(), 8000u + 1000u);
  EXPECT_EQ(loose.pieces, 2u);
  EXPECT_EQ(loose.voxels, 3u);
  EXPECT_EQ(loose.regions, (std::set<dealii::types::material_id>{2, 3}));
  EXPECT_EQ(loose.separate_parts, (std::vector<std::size_t>{1000}));
  for (const auto &cell : tria.active_cell_iterators())
    EXPECT_TRUE(cell->material_id() == 1 || cell->material_id() == 4);
  EXPECT_EQ(meshing::count_voxels(domain, h), tria.n_active_cells());
}
