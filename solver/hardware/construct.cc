#include "hardware/construct.h"

#include "hardware/interbody_cage.h"
#include "hardware/pedicle_screws.h"
#include "hardware/posterolateral_graft.h"
#include "hardware/rods.h"

#include <functional>
#include <stdexcept>

namespace bonefusion::hardware
{
  namespace
  {
    /** One implant type: when the parameters ask for it, and how it is placed. */
    struct Entry
    {
      const char *name;
      std::function<bool(const InstrumentationParameters &)> wanted;
      std::function<std::unique_ptr<Implant>(const InstrumentationParameters &,
                                             const anatomy::Anatomy &, const Construct &,
                                             const std::string &segment)>
        place;
    };

    // Placement order: an implant may use the ones before it (rods join the screw heads).
    const std::vector<Entry> &table()
    {
      static const std::vector<Entry> entries = {
        {"pedicle screws", [](const auto &p) { return p.screws.present; },
         [](const auto &p, const auto &a, const Construct &, const std::string &) {
           return std::make_unique<PedicleScrews>(p.screws, a);
         }},
        {"rods", [](const auto &p) { return p.rods.present; },
         [](const auto &p, const auto &, const Construct &c, const std::string &) {
           return std::make_unique<Rods>(p.rods, *c.find<PedicleScrews>());
         }},
        {"interbody cage", [](const auto &p) { return p.cage.type != "none"; },
         [](const auto &p, const auto &a, const Construct &, const std::string &segment) {
           return std::make_unique<InterbodyCage>(p.cage, a, segment);
         }},
        {"posterolateral graft", [](const auto &p) { return p.posterolateral_graft.present; },
         [](const auto &p, const auto &a, const Construct &, const std::string &segment) {
           return std::make_unique<PosterolateralGraft>(p.posterolateral_graft, a, segment);
         }},
      };
      return entries;
    }
  } // namespace

  std::vector<std::string> implant_types()
  {
    std::vector<std::string> names;
    for (const Entry &e : table())
      names.push_back(e.name);
    return names;
  }

  Construct build_construct(const InstrumentationParameters &p, const anatomy::Anatomy &anatomy)
  {
    p.check();
    Construct construct;
    bool any = p.cage.facetectomy != "none";
    for (const Entry &e : table())
      any = any || e.wanted(p);
    if (!any)
      return construct;
    const std::vector<std::string> segments = anatomy.segments();
    if (segments.size() != 1)
      throw std::invalid_argument("Instrumentation: implants are placed on models of one motion "
                                  "segment; this anatomy has " +
                                  std::to_string(segments.size()));
    const std::string &segment = segments.front();
    for (const Entry &e : table())
      if (e.wanted(p))
        construct.implants.push_back(e.place(p, anatomy, construct, segment));

    // The surgery the construct needs: a cage goes in after a discectomy; the approach may
    // take one or both facet joints (a positive TLIF angle is an approach from the left).
    if (p.cage.type != "none")
      construct.surgery.push_back(std::make_unique<Discectomy>(
        segment, p.cage.nucleus_after_discectomy == "graft" ? segment + " graft" : ""));
    const model::Side approach = p.cage.tlif_angle >= 0 ? model::Side::left : model::Side::right;
    for (const model::Side side : {model::Side::left, model::Side::right})
      if (p.cage.facetectomy == "bilateral" ||
          (p.cage.facetectomy == "approach side" && side == approach))
        construct.surgery.push_back(std::make_unique<Facetectomy>(segment, side));
    return construct;
  }
} // namespace bonefusion::hardware
