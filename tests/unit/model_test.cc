// Requirement: the model layer names regions, bodies and motion segments; frames convert
// between global and anatomical coordinates; a model of two motion segments (three vertebrae
// stacked straight, no hardware) is built by the anatomy alone and each segment's load paths
// carry the whole applied moment through its own mid-surface (np = 1 and 2).
#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>

#include <gtest/gtest.h>

#include "anatomy/lumbar_column.h"
#include "core/parametric_model.h"
#include "materials/cell_materials.h"
#include "mechanics/active_set_solver.h"
#include "mechanics/contact_layers.h"
#include "meshing/voxel_mesh.h"
#include "postprocess/load_sharing.h"
#include "postprocess/segment_motion.h"
#include "state/cell_state.h"

#include <cmath>

namespace
{
  using namespace bonefusion;
  using model::Tissue;
} // namespace

TEST(ModelLayer, RegionTableNamesAndFindsRegions)
{
  model::RegionTable table;
  model::Region r;
  r.name = "L4 cancellous";
  r.tissue = Tissue::cancellous;
  EXPECT_EQ(table.add(r), 1u);
  r.name = "left rod";
  r.tissue = Tissue::rod;
  r.preoperative = model::no_index;
  EXPECT_EQ(table.add(r), 2u);
  EXPECT_EQ(table.id("left rod"), 2u);
  EXPECT_EQ(table[1].preoperative, 1);               // tissue: unchanged by surgery
  EXPECT_EQ(table[2].preoperative, model::no_index); // a rod: nothing was there
  EXPECT_EQ(table.of_tissue(Tissue::rod), std::vector<model::RegionId>{2});
  EXPECT_THROW(table.add(r), std::logic_error);
  try
    {
      table.id("right rod");
      FAIL() << "no exception";
    }
  catch (const std::invalid_argument &e)
    {
      EXPECT_NE(std::string(e.what()).find("left rod"), std::string::npos) << e.what();
    }
  EXPECT_THROW(table[3], std::out_of_range);
  EXPECT_EQ(model::tissue_from_name("facet cartilage"), Tissue::facet_cartilage);
  EXPECT_THROW(model::tissue_from_name("bone"), std::invalid_argument);
}

TEST(ModelLayer, FramesConvertBothWays)
{
  model::Frame f;
  f.origin = dealii::Point<3>(1, 2, 3);
  // Tilted by 30 degrees about the lateral axis (a lordotic disc).
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  f.anterior = dealii::Tensor<1, 3>({0.0, c, s});
  f.superior = dealii::Tensor<1, 3>({0.0, -s, c});
  const dealii::Point<3> p(4, -1, 7);
  const dealii::Point<3> q = f.to_local(p);
  EXPECT_NEAR(f.to_global(q).distance(p), 0, 1e-12);
  EXPECT_NEAR(q[2], f.height_of(p), 1e-12);
  EXPECT_NEAR(q.norm(), (p - f.origin).norm(), 1e-12);
  // The identity frame at the origin changes nothing, to the last bit.
  const model::Frame identity;
  EXPECT_EQ(identity.to_local(p), p);
  EXPECT_EQ(identity.vector_to_global(p - dealii::Point<3>()), p - dealii::Point<3>());
}

TEST(ModelLayer, ParametricSegmentKnowsItsBodiesAndSegment)
{
  const core::ParametricModel m{anatomy::LumbarParameters(), hardware::InstrumentationParameters()};
  const model::Model &model = m.model();
  ASSERT_EQ(model.segments.size(), 1u);
  const model::MotionSegment &s = model.segments[0];
  EXPECT_EQ(s.name, "L4-L5");
  EXPECT_EQ(model.bodies[s.upper].name, "L4");
  EXPECT_EQ(model.bodies[s.lower].name, "L5");
  EXPECT_EQ(model.loaded_body, s.upper);
  EXPECT_EQ(model.supported_body, s.lower);
  EXPECT_NEAR(s.disc.height, 13.91, 1e-12);
  EXPECT_TRUE(model.in_vertebral_body(model.regions.id("L4 endplate"), s.upper));
  EXPECT_FALSE(model.in_vertebral_body(model.regions.id("L4 posterior"), s.upper));
  EXPECT_FALSE(model.in_vertebral_body(model.regions.id("L5 cortical"), s.upper));
  EXPECT_EQ(model.facet_joints.size(), 2u);
  EXPECT_EQ(model.segment_column(0, "rotation_x_deg"), "rotation_x_deg");
  EXPECT_EQ(model.regions[model.region(Tissue::nucleus, model::no_index, 0)].load_path, "disc");
}

TEST(ModelLayer, CellStateCheckpointsAndVisualizesByName)
{
  state::CellState state;
  state.add("bone_density", "g/cm^3", 3, 0.2, true, true);
  state.add("stimulus", "MPa", 3, 0.0, false, true);
  state.add("fraction", "-", 3, 1.0, true, false);
  EXPECT_EQ(state.checkpoint_names(), (std::vector<std::string>{"bone_density", "fraction"}));
  state["bone_density"].values[1] = 0.25;
  const auto saved = state.checkpoint_values();
  state["bone_density"].values[1] = 0;
  state.restore(saved);
  EXPECT_EQ(state["bone_density"].values[1], 0.25);
  const auto fields = state.visualization();
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[1].first, "stimulus");
  EXPECT_THROW(state.add("fraction", "-", 3, 0, true, true), std::logic_error);
  EXPECT_THROW(state["density"], std::invalid_argument);
}

namespace
{
  /** A parametric model meshed at h with its region materials, stiffness operator, contact
   *  layers and the section of its loaded surface. */
  struct MeshedModel
  {
    MeshedModel(const core::ParametricModel &parametric, const double h,
                const mechanics::ContactParameters &contact = mechanics::ContactParameters())
      : model(parametric.model()) // region materials are written into it
      , mesh(parametric, h)
      , regions(materials::RegionMaterials::assign(
          model, library, materials::RegionMaterialParameters(), locking,
          [&](const model::Region &r) { return parametric.anatomy().modulus_scale(r); }))
      , cells(model, regions, materials::AnnulusFibres(), locking)
      , system(mesh.tria, 1)
      , layers(model, (system.setup({support}), mesh.tria), contact) // after the DoFs
      , section(system.surface_section(loaded))
    {
    }

    /** Right-hand side of a pure moment [N mm] about the loaded surface's centroid. */
    loads::AppliedLoad moment(const std::string &name, const dealii::Tensor<1, 3> &m) const
    {
      return loads::resultant_load(name, section, {}, m, m / m.norm());
    }
    mechanics::Vector rhs(const loads::AppliedLoad &load) const
    {
      return system.traction_rhs(loaded, load.traction, true);
    }

    static constexpr auto support = static_cast<dealii::types::boundary_id>(model::Boundary::support);
    static constexpr auto loaded = static_cast<dealii::types::boundary_id>(model::Boundary::loaded);
    /** The voxel mesh, built before anything that needs it. */
    struct Mesh
    {
      Mesh(const core::ParametricModel &parametric, const double h)
        : tria(MPI_COMM_WORLD)
      {
        meshing::build_voxel_mesh(parametric.voxel_domain(), h, parametric.voxel_surfaces(), tria);
      }
      dealii::parallel::distributed::Triangulation<3> tria;
    };

    model::Model model;
    Mesh mesh;
    materials::MaterialLibrary library;
    const materials::LockingSettings locking;
    const materials::RegionMaterials regions;
    const materials::CellMaterials cells;
    mechanics::ElasticSystem system;
    const mechanics::ContactLayers layers;
    const loads::PlaneSection section;
  };

  /** Meshes `parametric` at h, loads its top vertebra by a 7.5 N m flexion moment with bonded
   *  joints and linear ligaments, and returns the segment motion and load sharing table. */
  io::StatisticsTable solve_flexion(const core::ParametricModel &parametric, const double h)
  {
    MeshedModel m(parametric, h);
    mechanics::ActiveSetSolver solver(m.system, m.layers, mechanics::LinearSolverSettings());
    const loads::AppliedLoad flexion = m.moment("flexion", dealii::Tensor<1, 3>({-7500.0, 0.0, 0.0}));
    mechanics::Vector u = m.system.make_ghosted_vector();
    std::vector<unsigned char> open;
    const mechanics::ContactSolve solve =
      solver.solve(m.cells.function(), m.rhs(flexion), u, open, false);
    EXPECT_EQ(solve.iterations, 0u); // bonded joints, linear ligaments: no active set

    postprocess::Context context(m.model, m.system, m.section);
    context.loaded_boundary = MeshedModel::loaded;
    io::StatisticsTable table;
    table.start_row("flexion", 0);
    postprocess::SegmentMotion(context).evaluate({flexion, u, solve}, table);
    postprocess::LoadSharing(context).evaluate({flexion, u, solve}, table);
    return table;
  }

  /** Every segment's load paths carry the whole moment through its own mid-surface. */
  void expect_moment_through_each_segment(const model::Model &model,
                                          const io::StatisticsTable &table)
  {
    for (unsigned int s = 0; s < model.segments.size(); ++s)
      {
        const std::string segment = model.segment_column(s, "");
        double moment = 0;
        for (const std::string &path : postprocess::load_paths(model))
          moment += table.value(0, segment + "share_" + path + "_moment_x_Nmm");
        EXPECT_NEAR(moment, -7500.0, 1e-5 * 7500) << segment;
        EXPECT_LT(table.value(0, segment + "load_sharing_relative_error"), 1e-6) << segment;
        // Bonded facet pads and linear ligaments carry most of it (single L4-L5 at 3 mm: disc
        // 9.6 %, posterior 85.5 %, ligaments 4.9 %; about the centre of the wedge-shaped
        // L5-S1 disc, whose wedge puts the joints close above its posterior edge, the disc's
        // own moment is near 0); each path's fraction is a fraction.
        EXPECT_GT(table.value(0, segment + "share_disc_fraction"), -0.05) << segment;
        EXPECT_GT(table.value(0, segment + "share_posterior_fraction"), 0.3) << segment;
        for (const std::string &path : postprocess::load_paths(model))
          {
            const double f = table.value(0, segment + "share_" + path + "_fraction");
            EXPECT_TRUE(f > -0.05 && f < 1.05) << segment << path << ": " << f;
          }
        EXPECT_GT(table.value(0, segment + "primary_rotation_deg"), 0.1) << segment;
        EXPECT_LT(table.value(0, segment + "primary_rotation_deg"), 10) << segment;
      }
  }
} // namespace

// Requirement: adding a vertebra is a matter of the anatomy alone. Three vertebrae stacked
// straight (L3-L4-L5, two motion segments, no hardware) are meshed, loaded at L3 by a pure
// flexion moment and held at L5; at each segment's own mid-surface the load paths carry the
// whole moment, each segment flexes, and the columns are named per segment.
TEST(ModelLayer, TwoSegmentColumnCarriesTheMomentThroughEachSegment)
{
  const double h = 3.0;
  const core::ParametricModel parametric(
    anatomy::LumbarParameters(), hardware::InstrumentationParameters(), h, {"L3", "L4", "L5"});
  const model::Model &model = parametric.model();
  ASSERT_EQ(model.segments.size(), 2u);
  EXPECT_EQ(model.segments[0].name, "L3-L4");
  EXPECT_EQ(model.segments[1].name, "L4-L5");
  EXPECT_EQ(model.bodies[model.loaded_body].name, "L3");
  EXPECT_EQ(model.bodies[model.supported_body].name, "L5");
  // The upper disc lies above the lower one, by a vertebral body and two half discs.
  const double gap =
    model.segments[0].disc_frame.origin[2] - model.segments[1].disc_frame.origin[2];
  EXPECT_NEAR(gap, 27.0 + (model.segments[0].disc.height + model.segments[1].disc.height) / 2,
              1e-9);
  const io::StatisticsTable table = solve_flexion(parametric, h);
  EXPECT_EQ(model.segment_column(0, "rotation_x_deg"), "L3_L4_rotation_x_deg");
  expect_moment_through_each_segment(model, table);
}

// Requirement (issue 16): in a lordotic column L3-S1 every disc is tilted, and the load
// sharing is measured on a cut of cell faces that follows each disc's mid-surface and
// crosses no other level: at every disc the load paths carry the whole applied moment
// (discrete equilibrium; np = 1 and 2), about the disc's own lateral axis.
TEST(ModelLayer, LordoticColumnCarriesTheMomentThroughEveryTiltedDisc)
{
  const double h = 3.0;
  anatomy::LumbarParameters geometry;
  geometry.levels = "L3-S1";
  geometry.alignment = "lordotic";
  const core::ParametricModel parametric(geometry, hardware::InstrumentationParameters(), h);
  const model::Model &model = parametric.model();
  ASSERT_EQ(model.segments.size(), 3u);
  EXPECT_EQ(model.bodies[model.supported_body].name, "S1");
  // L5-S1 tilts most: its normal leans forward of the loaded (level) L3 by the lordosis of
  // L3-L4 and L4-L5 and half of its own (9.1 + 12.7 + 10.8 deg).
  const double tilt = std::acos(model.segments[2].disc_frame.superior[2]) * 180 / M_PI;
  EXPECT_NEAR(tilt, 9.1 + 12.7 + 21.6 / 2, 1e-9);
  expect_moment_through_each_segment(model, solve_flexion(parametric, h));
}

// Requirement: the contact active set may be iterated with inexact solves (Solver/Contact
// iteration tolerance) without changing the answer: on L4-L5 at 4 mm with sliding facet joints
// and tension-only ligaments under 7.5 N m of axial rotation (the load case with the most
// active-set iterations), solving the intermediate sets to 1e-2 ends on the same set of open
// and slack cells and the same displacements (to the CG tolerance) as solving every set to
// 1e-8, with fewer CG iterations in all (np = 1 and 2).
TEST(ModelLayer, InexactContactIterationsGiveTheExactAnswer)
{
  const double h = 4.0;
  const core::ParametricModel parametric(anatomy::LumbarParameters(),
                                         hardware::InstrumentationParameters(), h);
  mechanics::ContactParameters contact;
  contact.facets.compression_only = contact.facets.sliding_joint = true;
  contact.ligaments.tension_only = true;
  MeshedModel m(parametric, h, contact);
  const mechanics::Vector rhs =
    m.rhs(m.moment("left axial rotation", dealii::Tensor<1, 3>({0.0, 0.0, 7500.0})));

  struct Answer
  {
    mechanics::Vector u;
    std::vector<unsigned char> open;
    mechanics::ContactSolve solve;
  };
  const auto solve_with = [&](const double contact_tolerance) {
    mechanics::LinearSolverSettings settings;
    settings.contact_tolerance = contact_tolerance;
    mechanics::ActiveSetSolver solver(m.system, m.layers, settings);
    Answer a{m.system.make_ghosted_vector(), {}, {}};
    a.solve = solver.solve(m.cells.function(), rhs, a.u, a.open, false);
    return a;
  };
  const Answer exact = solve_with(1e-8), inexact = solve_with(1e-2);
  EXPECT_GE(exact.solve.iterations, 3u) << "the load case should need an active set";
  EXPECT_FALSE(exact.solve.cycled);
  EXPECT_EQ(inexact.solve.open_facet_cells, exact.solve.open_facet_cells);
  EXPECT_EQ(inexact.solve.slack_ligament_cells, exact.solve.slack_ligament_cells);
  unsigned long different = 0;
  for (const auto &cell : m.system.dofs().active_cell_iterators())
    if (cell->is_locally_owned())
      different += exact.open[cell->active_cell_index()] != inexact.open[cell->active_cell_index()];
  EXPECT_EQ(dealii::Utilities::MPI::sum(different, MPI_COMM_WORLD), 0ul);
  mechanics::Vector difference = m.system.make_owned_vector();
  difference = exact.u;
  mechanics::Vector inexact_owned = m.system.make_owned_vector();
  inexact_owned = inexact.u;
  difference -= inexact_owned;
  EXPECT_LT(difference.linfty_norm(), 1e-6 * exact.u.linfty_norm());
  EXPECT_GT(exact.u.linfty_norm(), 0.1); // mm: the segment turned
  EXPECT_LT(inexact.solve.report.iterations, exact.solve.report.iterations);
}
