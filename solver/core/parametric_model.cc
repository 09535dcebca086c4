#include "core/parametric_model.h"

#include "anatomy/anatomy_factory.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

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

    // Quarter turns only, exactly (cos 90 deg is not 0 in floating point): they map the voxel
    // grid onto itself, so the turned model's mesh is the turned mesh.
    const double quarters = geometry.column_rotation / 90;
    if (quarters != std::round(quarters))
      throw std::invalid_argument("Geometry/Column rotation: only quarter turns (0, 90, 180, "
                                  "270) are supported, got " +
                                  std::to_string(geometry.column_rotation));
    const long q = ((std::lround(quarters) % 4) + 4) % 4;
    turn_cos = q == 0 ? 1 : q == 2 ? -1 : 0;
    turn_sin = q == 1 ? 1 : q == 3 ? -1 : 0;
    if (turn_sin != 0 || turn_cos != 1)
      {
        const auto turn_vector = [this](const dealii::Tensor<1, 3> &v) {
          return turned(dealii::Point<3>(v), 1.0) - dealii::Point<3>();
        };
        const auto turn_frame = [&](model::Frame &f) {
          f.origin = turned(f.origin, 1.0);
          f.lateral = turn_vector(f.lateral);
          f.anterior = turn_vector(f.anterior);
          f.superior = turn_vector(f.superior);
        };
        for (model::Body &b : the_model.bodies)
          turn_frame(b.frame);
        for (model::MotionSegment &m : the_model.segments)
          turn_frame(m.disc_frame);
        for (model::FacetJoint &j : the_model.facet_joints)
          {
            turn_frame(j.frame);
            j.surface_axis = turned(j.surface_axis, 1.0);
          }
      }
  }

  dealii::Point<3> ParametricModel::turned(const dealii::Point<3> &p, const double sign) const
  {
    const double s = sign * turn_sin;
    return dealii::Point<3>(turn_cos * p[0] - s * p[1], s * p[0] + turn_cos * p[1], p[2]);
  }

  std::optional<model::RegionId> ParametricModel::classify(const dealii::Point<3> &turned_p) const
  {
    const dealii::Point<3> p = turned(turned_p, -1.0);
    for (const hardware::Implant *implant : replacing)
      {
        const hardware::Claim claim = implant->classify(p);
        if (claim.claimed)
          return claim.region;
      }
    const std::optional<model::RegionId> tissue = the_anatomy->classify(p);
    if (tissue)
      {
        const model::Tissue t = the_model.regions[*tissue].tissue;
        if (model::is_vertebral_body(t) || t == model::Tissue::posterior)
          for (const hardware::Implant *implant : replacing)
            {
              const hardware::Claim claim = implant->classify_bone_lining(p);
              if (claim.claimed)
                return claim.region;
            }
        if (!model::is_ligament(t))
          return tissue;
      }
    for (const hardware::Implant *implant : filling)
      {
        const hardware::Claim claim = implant->classify(p);
        if (claim.claimed)
          return claim.region;
      }
    return tissue;
  }

  double ParametricModel::modulus_scale(const model::Region &region) const
  {
    double factor = the_anatomy->modulus_scale(region);
    for (const auto &implant : the_construct.implants)
      factor *= implant->modulus_scale(region);
    return factor;
  }

  anatomy::Box ParametricModel::bounding_box() const
  {
    anatomy::Box b = the_anatomy->bounding_box();
    for (const auto &implant : the_construct.implants)
      b.extend(implant->bounding_box());
    if (turn_sin == 0 && turn_cos == 1)
      return b;
    anatomy::Box box{turned(b.lo, 1.0), turned(b.lo, 1.0)};
    for (unsigned int corner = 0; corner < 8; ++corner)
      {
        const dealii::Point<3> c =
          turned(dealii::Point<3>(corner & 1 ? b.hi[0] : b.lo[0], corner & 2 ? b.hi[1] : b.lo[1],
                                  corner & 4 ? b.hi[2] : b.lo[2]),
                 1.0);
        box.extend(anatomy::Box{c, c});
      }
    return box;
  }

  meshing::VoxelDomain ParametricModel::voxel_domain() const
  {
    const anatomy::Box b = bounding_box();
    return {[this](const dealii::Point<3> &p) { return classify(p); }, b.lo, b.hi};
  }

  std::function<unsigned int(unsigned int)> ParametricModel::fitting_groups() const
  {
    std::vector<unsigned int> group(the_model.regions.size() + 1, 0);
    std::map<int, unsigned int> first_of_body;
    for (const model::Region &r : the_model.regions.all())
      {
        group[r.id] = r.id;
        if (r.body != model::no_index)
          group[r.id] = first_of_body.emplace(r.body, r.id).first->second;
      }
    return [group](const unsigned int id) { return id < group.size() ? group[id] : id; };
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
          s.plane_point =
            m.bodies.at(body).frame.to_global(dealii::Point<3>(0, 0, endplate_height));
        }
      return s;
    };
    const anatomy::VertebraLandmarks &lowest = the_anatomy->vertebra(bottom.name),
                                     &highest = the_anatomy->vertebra(top.name);
    return {surface(model::Boundary::support, m.supported_body, -bottom.frame.superior,
                    lowest.body_bottom),
            surface(model::Boundary::loaded, m.loaded_body, top.frame.superior, highest.body_top)};
  }
} // namespace bonefusion::core
