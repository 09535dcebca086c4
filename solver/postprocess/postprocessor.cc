#include "postprocess/postprocessor.h"

#include "postprocess/bone_density_statistics.h"
#include "postprocess/follow_ups.h"
#include "postprocess/graft_healing_statistics.h"
#include "postprocess/facet_contact.h"
#include "postprocess/implant_stresses.h"
#include "postprocess/load_sharing.h"
#include "postprocess/mesh_reactions.h"
#include "postprocess/mesh_sections.h"
#include "postprocess/region_stresses.h"
#include "postprocess/segment_motion.h"
#include "postprocess/solver_statistics.h"

#include <functional>
#include <stdexcept>

namespace bonefusion::postprocess
{
  dealii::Point<3> Context::segment_reference(const int s) const
  {
    const model::Frame &frame = model.segments.at(s).disc_frame;
    // A disc parallel to the loaded surface (a straight column): the point of its
    // mid-surface below the loaded centroid. A tilted disc: its centre (the projection of a
    // centroid far above would land off the disc).
    if (model.loaded_body != model::no_index &&
        (frame.superior - model.bodies.at(model.loaded_body).frame.superior).norm() > 1e-12)
      return frame.origin;
    const dealii::Point<3> centroid(loaded_section.cx, loaded_section.cy, loaded_section.z);
    return centroid - frame.height_of(centroid) * frame.superior;
  }

  namespace
  {
    struct Entry
    {
      const char *name;
      std::function<std::unique_ptr<Postprocessor>(const Context &)> create;
    };

    const std::vector<Entry> &table()
    {
      static const std::vector<Entry> entries = {
        {"segment motion", [](const Context &c) { return std::make_unique<SegmentMotion>(c); }},
        {"load sharing", [](const Context &c) { return std::make_unique<LoadSharing>(c); }},
        {"implant stresses", [](const Context &c) { return std::make_unique<ImplantStresses>(c); }},
        {"facet contact", [](const Context &c) { return std::make_unique<FacetContact>(c); }},
        {"contact statistics",
         [](const Context &) { return std::make_unique<ContactStatistics>(); }},
        {"solver statistics", [](const Context &c) { return std::make_unique<SolverStatistics>(c.finite_strain); }},
        {"mesh reactions",
         [](const Context &c) { return std::make_unique<MeshReactions>(c, false); }},
        {"mesh reactions and nodal values",
         [](const Context &c) { return std::make_unique<MeshReactions>(c, true); }},
        {"region stresses", [](const Context &c) { return std::make_unique<RegionStresses>(c); }},
        {"section resultants", [](const Context &c) { return std::make_unique<MeshSections>(c); }},
        {"graft healing",
         [](const Context &c) { return std::make_unique<GraftHealingStatistics>(c); }},
        {"bone density",
         [](const Context &c) { return std::make_unique<BoneDensityStatistics>(c); }},
        {"follow ups", [](const Context &c) { return std::make_unique<FollowUps>(c); }},
      };
      return entries;
    }
  } // namespace

  std::unique_ptr<Postprocessor> create_postprocessor(const std::string &name,
                                                      const Context &context)
  {
    std::string valid;
    for (const Entry &e : table())
      {
        if (name == e.name)
          return e.create(context);
        valid += (valid.empty() ? "" : ", ") + std::string(e.name);
      }
    throw std::invalid_argument("unknown postprocessor '" + name + "' (valid: " + valid + ")");
  }

  std::vector<std::string> postprocessor_names()
  {
    std::vector<std::string> names;
    for (const Entry &e : table())
      names.push_back(e.name);
    return names;
  }

  std::vector<std::string> default_postprocessors(const bool imported_mesh, const bool over_time)
  {
    if (over_time)
      return {"graft healing",  "load sharing",      "implant stresses", "bone density",
              "segment motion", "solver statistics", "follow ups"};
    if (imported_mesh)
      return {"mesh reactions", "region stresses", "section resultants", "solver statistics"};
    return {"segment motion", "load sharing",       "implant stresses",
            "facet contact",  "contact statistics", "solver statistics"};
  }
} // namespace bonefusion::postprocess
