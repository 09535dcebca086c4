#pragma once
// Parametric models and their voxel meshes shared by the anatomy, voxel and model tests:
// building one at h = 0.5 mm takes seconds, so each is built once.
#include <deal.II/grid/tria.h>
#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include "core/parametric_model.h"
#include "meshing/voxel_mesh.h"

#include <cmath>
#include <map>
#include <memory>
#include <utility>

namespace bonefusion::testing
{
  /** The TLIF construct of the regression cases plus posterolateral graft strips. */
  inline hardware::InstrumentationParameters tlif_construct()
  {
    hardware::InstrumentationParameters p;
    p.screws.present = true;
    p.rods.present = true;
    p.cage.type = "TLIF";
    p.posterolateral_graft.present = true;
    return p;
  }

  /** A parametric model at resolution h and its voxel mesh. */
  struct VoxelModel
  {
    std::unique_ptr<core::ParametricModel> parametric;
    std::unique_ptr<dealii::Triangulation<3>> tria;

    const model::Model &model() const { return parametric->model(); }
    model::Tissue tissue(const dealii::types::material_id id) const
    {
      return model().regions[id].tissue;
    }
  };

  /** The default L4-L5 segment (intact or with tlif_construct()) meshed at h [mm]. */
  inline const VoxelModel &voxel_model(const bool instrumented, const double h)
  {
    static std::map<std::pair<bool, double>, VoxelModel> cache;
    VoxelModel &m = cache[{instrumented, h}];
    if (!m.tria)
      {
        m.parametric = std::make_unique<core::ParametricModel>(
          anatomy::LumbarParameters(),
          instrumented ? tlif_construct() : hardware::InstrumentationParameters(), h);
        m.tria = std::make_unique<dealii::Triangulation<3>>();
        meshing::build_voxel_mesh(m.parametric->voxel_domain(), h, m.parametric->voxel_surfaces(),
                                  *m.tria);
      }
    return m;
  }

  /** Volume [mm^3] of each tissue in a voxel model. */
  inline std::map<model::Tissue, double> tissue_volumes(const VoxelModel &m)
  {
    std::map<model::Tissue, double> v;
    for (const auto &cell : m.tria->active_cell_iterators())
      v[m.tissue(cell->material_id())] += cell->measure();
    return v;
  }

  /** Area [mm^2] of the boundary faces with id b. */
  inline double face_area(const dealii::Triangulation<3> &tria, const model::Boundary b)
  {
    double area = 0;
    for (const auto &cell : tria.active_cell_iterators())
      for (const auto f : cell->face_indices())
        if (cell->face(f)->at_boundary() &&
            cell->face(f)->boundary_id() == static_cast<dealii::types::boundary_id>(b))
          area += cell->face(f)->measure();
    return area;
  }

  /** Area [mm^2] of the body/disc cross-section with semi-axes a, b: the superellipse of
   *  exponent n cut by the flat posterior wall at y = -0.9 b (midpoint rule over y,
   *  independent of the closed form superellipse_area_factor). */
  inline double outline_area(const double a, const double b,
                             const double n = anatomy::LumbarParameters().outline_exponent)
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
} // namespace bonefusion::testing
