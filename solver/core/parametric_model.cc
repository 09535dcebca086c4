#include "core/parametric_model.h"

#include "anatomy/anatomy_factory.h"

#include <algorithm>

namespace bonefusion::core
{
  ParametricModel::ParametricModel(const anatomy::LumbarParameters &geometry,
                                   const hardware::InstrumentationParameters &instrumentation,
                                   const double resolution,
                                   const std::vector<std::string> &vertebrae)
  {
    the_anatomy = anatomy::create_anatomy("lumbar column", geometry, vertebrae);
    the_anatomy->set_resolution(resolution);
    this->resolution = resolution;
    the_anatomy->add_to(the_model);
    the_construct = hardware::build_construct(instrumentation, *the_anatomy);
    for (const auto &implant : the_construct.implants)
      implant->add_to(the_model);
    for (const auto &step : the_construct.surgery)
      step->apply(*the_anatomy, the_model);

    for (const auto &implant : the_construct.implants)
      (implant->precedence() == hardware::Precedence::fills_soft_tissue ? filling : replacing)
        .push_back(implant.get());
    std::stable_sort(replacing.begin(), replacing.end(), [](const auto *a, const auto *b) {
      return a->precedence() < b->precedence();
    });
  }

  std::optional<model::RegionId> ParametricModel::classify(const dealii::Point<3> &p) const
  {
    for (const hardware::Implant *implant : replacing)
      {
        const hardware::Claim claim = implant->classify(p);
        if (claim.claimed)
          return claim.region;
      }
    const std::optional<model::RegionId> tissue = the_anatomy->classify(p);
    if (tissue && !model::is_ligament(the_model.regions[*tissue].tissue))
      return tissue;
    for (const hardware::Implant *implant : filling)
      {
        const hardware::Claim claim = implant->classify(p);
        if (claim.claimed)
          return claim.region;
      }
    return tissue;
  }

  anatomy::Box ParametricModel::bounding_box() const
  {
    anatomy::Box b = the_anatomy->bounding_box();
    for (const auto &implant : the_construct.implants)
      b.extend(implant->bounding_box());
    return b;
  }

  meshing::VoxelDomain ParametricModel::voxel_domain() const
  {
    const anatomy::Box b = bounding_box();
    return {[this](const dealii::Point<3> &p) { return classify(p); }, b.lo, b.hi};
  }

  std::vector<meshing::VoxelSurface> ParametricModel::voxel_surfaces() const
  {
    const model::Model &m = the_model;
    const auto body_regions = [&m](const int body) {
      std::set<dealii::types::material_id> ids;
      for (const model::Region &r : m.regions.all())
        if (m.in_vertebral_body(r.id, body))
          ids.insert(r.id);
      return ids;
    };
    const model::Body &top = m.bodies.at(m.loaded_body), &bottom = m.bodies.at(m.supported_body);
    const auto surface = [&](const model::Boundary id, const int body,
                             const dealii::Tensor<1, 3> &outward, const double endplate_height) {
      meshing::VoxelSurface s{static_cast<dealii::types::boundary_id>(id), body_regions(body),
                              outward};
      // A face that is not normal to a grid axis (a tilted vertebra of a lordotic column):
      // all of its stair-cased voxel faces within two voxels of the endplate's plane.
      const dealii::Tensor<1, 3> &f = m.bodies.at(body).frame.superior;
      if (std::abs(std::abs(f[0]) + std::abs(f[1]) + std::abs(f[2]) - 1) > 1e-12)
        {
          s.depth = 2 * (resolution > 0 ? resolution : 1.5);
          s.plane_point = m.bodies.at(body).frame.to_global(dealii::Point<3>(0, 0, endplate_height));
        }
      return s;
    };
    const anatomy::VertebraLandmarks &lowest = the_anatomy->vertebra(bottom.name),
                                     &highest = the_anatomy->vertebra(top.name);
    return {surface(model::Boundary::support, m.supported_body, -bottom.frame.superior,
                    lowest.body_bottom),
            surface(model::Boundary::loaded, m.loaded_body, top.frame.superior,
                    highest.body_top)};
  }
} // namespace bonefusion::core
