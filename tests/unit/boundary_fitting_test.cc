// Boundary fitting of voxel meshes (meshing/boundary_fitting): the quality measure, nodes that
// land on the surfaces, the quality bound on a feature thinner than a voxel, and the same mesh
// on every rank.
#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/tria.h>
#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include "meshing/boundary_fitting.h"
#include "meshing/voxel_mesh.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

namespace
{
  using namespace bonefusion;

  std::array<dealii::Point<3>, 8> unit_cube()
  {
    std::array<dealii::Point<3>, 8> x;
    for (unsigned int v = 0; v < 8; ++v)
      x[v] = dealii::Point<3>(v & 1, (v >> 1) & 1, (v >> 2) & 1);
    return x;
  }

  double smallest_cell_quality(const dealii::Triangulation<3> &tria)
  {
    double worst = 1;
    for (const auto &cell : tria.active_cell_iterators())
      {
        std::array<dealii::Point<3>, 8> x;
        for (unsigned int v = 0; v < 8; ++v)
          x[v] = cell->vertex(v);
        worst = std::min(worst, meshing::scaled_jacobian(x));
      }
    return worst;
  }

  /** A ball of radius 3 mm (region 2) inside an 8 mm cube (region 1). */
  meshing::VoxelDomain ball_in_cube()
  {
    meshing::VoxelDomain domain;
    domain.lower_corner = dealii::Point<3>(-5, -5, -5);
    domain.upper_corner = dealii::Point<3>(5, 5, 5);
    domain.classify = [](const dealii::Point<3> &p) -> std::optional<dealii::types::material_id> {
      // Off-centre, so that no symmetry of the grid helps.
      if ((p - dealii::Point<3>(0.13, -0.21, 0.07)).norm() < 3)
        return 2;
      if (std::abs(p[0]) < 4 && std::abs(p[1]) < 4 && std::abs(p[2]) < 4)
        return 1;
      return std::nullopt;
    };
    return domain;
  }
  /** What a mesh of ball_in_cube() shows of the sphere between ball and cube. */
  struct SphereMeasures
  {
    double ball_volume = 0;    ///< [mm^3]
    double interface_area = 0; ///< faces between ball and cube cells [mm^2]
    double top_area = 0;       ///< faces with boundary id 7 [mm^2]
    std::vector<double> node_distances; ///< |distance to the sphere| of interface nodes [mm]
  };

  SphereMeasures measure_sphere(const dealii::Triangulation<3> &tria)
  {
    const dealii::Point<3> centre(0.13, -0.21, 0.07);
    SphereMeasures m;
    std::set<unsigned int> interface_nodes;
    for (const auto &cell : tria.active_cell_iterators())
      {
        if (cell->material_id() == 2)
          m.ball_volume += cell->measure();
        for (const auto f : cell->face_indices())
          if (cell->at_boundary(f))
            {
              if (cell->face(f)->boundary_id() == 7)
                m.top_area += cell->face(f)->measure();
            }
          else if (cell->material_id() == 2 && cell->neighbor(f)->material_id() == 1)
            {
              m.interface_area += cell->face(f)->measure();
              for (const unsigned int v : cell->face(f)->vertex_indices())
                if (interface_nodes.insert(cell->face(f)->vertex_index(v)).second)
                  m.node_distances.push_back(
                    std::abs((cell->face(f)->vertex(v) - centre).norm() - 3.0));
            }
      }
    std::sort(m.node_distances.begin(), m.node_distances.end());
    return m;
  }
} // namespace

// Requirement: the quality measure is 1 for boxes, 1/sqrt(2) for a 45-degree shear, 0 for a
// flat corner and negative for an inverted cell.
TEST(BoundaryFitting, ScaledJacobianOfKnownShapes)
{
  auto x = unit_cube();
  EXPECT_NEAR(meshing::scaled_jacobian(x), 1.0, 1e-14);
  for (auto &p : x)
    p = dealii::Point<3>(2 * p[0], 0.5 * p[1], 3 * p[2]);
  EXPECT_NEAR(meshing::scaled_jacobian(x), 1.0, 1e-14);

  x = unit_cube();
  for (unsigned int v = 4; v < 8; ++v) // top face shifted by its height
    x[v][0] += 1;
  EXPECT_NEAR(meshing::scaled_jacobian(x), 1 / std::sqrt(2.0), 1e-14);

  x = unit_cube();
  x[7] = dealii::Point<3>(1, 1, 0); // corner pushed into the bottom plane
  EXPECT_NEAR(meshing::scaled_jacobian(x), 0.0, 1e-14);
  x[7] = dealii::Point<3>(0.2, 0.2, 0.2); // through the cell: inverted at its own corner
  EXPECT_LT(meshing::scaled_jacobian(x), 0.0);
}

// Requirement: the sphere between two regions converges with h when fitted, where the
// staircase's area does not converge at all: volume at second order, area within 1 %, every
// interface node on the sphere (measured: none held back at the default bound 0.2, radius 6
// and 12 voxels); the boundary ids stay where they were.
TEST(BoundaryFitting, CurvedInterfaceConverges)
{
  const meshing::VoxelDomain domain = ball_in_cube();
  const double radius = 3, volume = 4. / 3. * M_PI * std::pow(radius, 3),
               area = 4 * M_PI * radius * radius, bound = 0.2;
  const meshing::VoxelSurface top{7, {1}, dealii::Tensor<1, 3>({0.0, 0.0, 1.0})};

  std::vector<double> volume_error, area_error;
  for (const double h : {0.5, 0.25})
    {
      dealii::Triangulation<3> staircase, fitted;
      meshing::build_voxel_mesh(domain, h, {top}, staircase, {false, bound});
      const meshing::FittingReport report =
        meshing::build_voxel_mesh(domain, h, {top}, fitted, {true, bound});
      const SphereMeasures s = measure_sphere(staircase), f = measure_sphere(fitted);

      // The staircase's area is that of the voxel faces: about 3/2 of the sphere's, at any h.
      EXPECT_GT(s.interface_area / area, 1.35) << "h " << h;
      volume_error.push_back(std::abs(f.ball_volume / volume - 1));
      area_error.push_back(std::abs(f.interface_area / area - 1));
      EXPECT_LT(area_error.back(), 0.01) << "h " << h; // measured 0.50 %, 0.12 %

      EXPECT_GE(report.minimum_quality, bound);
      EXPECT_NEAR(smallest_cell_quality(fitted), report.minimum_quality, 1e-12);
      EXPECT_GT(report.moved_nodes, 0.9 * report.boundary_nodes);
      EXPECT_LT(report.held_back, 0.01 * report.boundary_nodes);
      // Interface nodes lie on the sphere to the tolerance of the bisection (h / 1024).
      const auto &d = f.node_distances;
      ASSERT_FALSE(d.empty());
      EXPECT_LT(d.back(), 0.002 * h) << "h " << h;

      // The top faces are still those of the cube's top layer; fitting moves none of them
      // off the plane z = 4 (the cube's flat side), so their area stays 8 x 8.
      EXPECT_NEAR(s.top_area, 64, 1e-9);
      EXPECT_NEAR(f.top_area, 64, 0.5 * 8 * h);
    }
  // Halving h divides the volume error by more than 3: second order (measured 4.8).
  EXPECT_LT(volume_error[1], volume_error[0] / 3);
  EXPECT_LT(volume_error[1], 0.005);
}

// Requirement: no cell inverts or degrades past the bound, even where a feature is thinner
// than a voxel (an oblique plate 0.4 h thick: fitting would flatten its cells).
TEST(BoundaryFitting, QualityBoundHoldsOnAThinObliquePlate)
{
  const double h = 1.0;
  meshing::VoxelDomain domain;
  domain.lower_corner = dealii::Point<3>(-6, -6, -6);
  domain.upper_corner = dealii::Point<3>(6, 6, 6);
  const dealii::Tensor<1, 3> normal =
    dealii::Tensor<1, 3>({0.3, 0.5, 1.0}) / std::sqrt(0.09 + 0.25 + 1.0);
  domain.classify = [&](const dealii::Point<3> &p) -> std::optional<dealii::types::material_id> {
    if (std::abs(p[0]) > 5 || std::abs(p[1]) > 5 || std::abs(p[2]) > 5)
      return std::nullopt;
    const double d = p * normal;
    if (std::abs(d) < 0.2 * h)
      return 3; // the plate
    return d > 0 ? 1 : 2;
  };
  for (const double bound : {0.2, 0.5})
    {
      dealii::Triangulation<3> tria;
      const meshing::FittingReport report = meshing::build_voxel_mesh(domain, h, {}, tria,
                                                                      {true, bound});
      EXPECT_GT(report.held_back, 0u) << "bound " << bound;
      EXPECT_GE(report.minimum_quality, bound);
      EXPECT_NEAR(smallest_cell_quality(tria), report.minimum_quality, 1e-12);
    }
  dealii::Triangulation<3> tria;
  EXPECT_THROW(meshing::build_voxel_mesh(domain, h, {}, tria, {true, 1.5}),
               std::invalid_argument);
}

// Requirement: every rank builds the same fitted mesh (distributed triangulation, np 2).
TEST(BoundaryFitting, DistributedMeshHasTheSameNodes)
{
  const meshing::VoxelDomain domain = ball_in_cube();
  const double h = 1.0;
  dealii::Triangulation<3> serial;
  meshing::build_voxel_mesh(domain, h, {}, serial, {true, 0.3});
  dealii::parallel::distributed::Triangulation<3> distributed(MPI_COMM_WORLD);
  meshing::build_voxel_mesh(domain, h, {}, distributed, {true, 0.3});
  ASSERT_EQ(serial.n_vertices(), distributed.n_vertices());
  double volume = 0;
  for (const auto &cell : distributed.active_cell_iterators())
    if (cell->is_locally_owned())
      volume += cell->measure();
  double serial_volume = 0;
  for (const auto &cell : serial.active_cell_iterators())
    serial_volume += cell->measure();
  EXPECT_NEAR(dealii::Utilities::MPI::sum(volume, MPI_COMM_WORLD), serial_volume, 1e-9);
  for (unsigned int i = 0; i < serial.n_vertices(); ++i)
    EXPECT_EQ(serial.get_vertices()[i], distributed.get_vertices()[i]);
}
