// The fibrous halo of loosened pedicle screws (Instrumentation/Pedicle screws/Interface):
// where it is drawn, what it replaces, how its modulus is scaled, and its bad input.
#include <deal.II/base/parameter_handler.h>
#include <deal.II/grid/tria.h>
#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include "core/parametric_model.h"
#include "hardware/pedicle_screws.h"
#include "meshing/voxel_mesh.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

using namespace bonefusion;
using model::Tissue;

namespace
{
  hardware::InstrumentationParameters loosened_screws(const double halo)
  {
    hardware::InstrumentationParameters p;
    p.screws.present = true;
    p.rods.present = true;
    p.screws.interface = "loosened";
    p.screws.halo_thickness = halo;
    return p;
  }

  bool is_bone(const Tissue t)
  {
    return model::is_vertebral_body(t) || t == Tissue::posterior;
  }
} // namespace

TEST(ScrewHalo, WrapsEachShankInBoneOnlyAndKeepsItsStiffnessAcrossTheLayer)
{
  const double h = 1.5;
  const core::ParametricModel g(anatomy::LumbarParameters(), loosened_screws(1), h);
  const model::Model &m = g.model();
  const auto &screws = *g.construct().find<hardware::PedicleScrews>();
  ASSERT_EQ(screws.screws().size(), 4u);
  // One halo per screw, in the screw's vertebra, of fibrous tissue by default.
  for (const auto &s : screws.screws())
    {
      ASSERT_NE(s.halo, 0u);
      const model::Region &r = m.regions[s.halo];
      EXPECT_EQ(r.tissue, Tissue::screw_halo);
      EXPECT_EQ(r.body, m.body(s.vertebra));
      // Drawn sqrt(3) h thick (at least the real 1 mm), stiffened by drawn / real.
      EXPECT_NEAR(g.modulus_scale(r), std::sqrt(3.) * h, 1e-12);
      EXPECT_DOUBLE_EQ(g.modulus_scale(m.regions[s.region]), 1.0);

      // Across the shank at mid-length: screw on the axis, halo just outside the thread,
      // the anatomy's own tissue beyond the drawn halo.
      const double mid = s.shank.length / 2;
      const dealii::Point<3> axis = s.shank.start + mid * s.shank.axis;
      dealii::Tensor<1, 3> across({0, 0, 1}); // cranial: normal to the shank (no cranial tilt)
      const auto at = [&](const double d) {
        return *g.classify(s.frame.to_global(axis + d * across));
      };
      EXPECT_EQ(at(0), s.region);
      EXPECT_EQ(at(s.shank.radius + 1.0), s.halo);
      const Tissue beyond = m.regions[at(s.shank.radius + std::sqrt(3.) * h + 0.5)].tissue;
      EXPECT_TRUE(is_bone(beyond)) << model::tissue_name(beyond);
    }

  // Bonded screws draw no halo and the anatomy is unchanged there.
  hardware::InstrumentationParameters bonded = loosened_screws(1);
  bonded.screws.interface = "bonded";
  const core::ParametricModel b(anatomy::LumbarParameters(), bonded, h);
  for (const auto &s : b.construct().find<hardware::PedicleScrews>()->screws())
    EXPECT_EQ(s.halo, 0u);
  for (const model::Region &r : b.model().regions.all())
    EXPECT_NE(r.tissue, Tissue::screw_halo);
}

TEST(ScrewHalo, NoScrewVoxelTouchesBoneOrSoftTissueOtherThanItsHaloAndRod)
{
  // The halo must separate the screw from the bone at every node (edges and corners too),
  // or the loosened screw stays tied where a voxel of bone touches it diagonally.
  for (const double h : {3.0, 1.5})
    {
      const core::ParametricModel g(anatomy::LumbarParameters(), loosened_screws(1), h);
      dealii::Triangulation<3> tria;
      meshing::build_voxel_mesh(g.voxel_domain(), h, g.voxel_surfaces(), tria);
      const model::Model &m = g.model();
      std::map<unsigned int, std::set<dealii::types::material_id>> at_vertex;
      double halo_volume = 0;
      for (const auto &cell : tria.active_cell_iterators())
        {
          for (const unsigned int v : cell->vertex_indices())
            at_vertex[cell->vertex_index(v)].insert(cell->material_id());
          if (m.regions[cell->material_id()].tissue == Tissue::screw_halo)
            halo_volume += cell->measure();
        }
      EXPECT_GT(halo_volume, 0) << "h = " << h;
      unsigned int tied = 0;
      for (const auto &[vertex, regions] : at_vertex)
        {
          bool screw = false, other = false;
          for (const auto id : regions)
            {
              const Tissue t = m.regions[id].tissue;
              screw = screw || t == Tissue::screw;
              other = other || (t != Tissue::screw && t != Tissue::screw_halo && t != Tissue::rod);
            }
          tied += screw && other;
        }
      EXPECT_EQ(tied, 0u) << "h = " << h;
    }
}

TEST(ScrewHalo, BadInputNamesTheParameter)
{
  dealii::ParameterHandler prm;
  hardware::InstrumentationParameters::declare_parameters(prm);
  prm.enter_subsection("Instrumentation");
  prm.enter_subsection("Pedicle screws");
  EXPECT_THROW(prm.set("Interface", "glued"), std::exception); // not bonded | loosened
  prm.set("Interface", "loosened");
  prm.set("Halo thickness", "0");
  prm.leave_subsection();
  prm.leave_subsection();
  hardware::InstrumentationParameters p;
  try
    {
      p.parse_parameters(prm);
      FAIL() << "a loosened screw with a 0 mm halo was accepted";
    }
  catch (const std::invalid_argument &e)
    {
      EXPECT_NE(std::string(e.what()).find("Instrumentation/Pedicle screws/Halo thickness"),
                std::string::npos)
        << e.what();
    }
}
