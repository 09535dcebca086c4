#include "hardware/construct.h"

#include "hardware/interbody_cage.h"
#include "hardware/pedicle_screws.h"
#include "hardware/posterolateral_graft.h"
#include "hardware/rods.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace bonefusion::hardware
{
  namespace
  {
    /** Where the implants go, from the Levels parameters resolved against the anatomy. */
    struct Plan
    {
      std::vector<std::string> screw_vertebrae; ///< top to bottom
      std::vector<std::string> cage_segments, graft_segments;
      std::vector<std::pair<std::string, model::Side>> facetectomies;
      std::vector<std::pair<std::string, model::Tissue>> resected_ligaments;
    };

    /** Items of a comma-separated list, trimmed; empty items are dropped. */
    std::vector<std::string> items(const std::string &text)
    {
      std::vector<std::string> result;
      std::size_t begin = 0;
      while (begin <= text.size())
        {
          const std::size_t end = std::min(text.find(',', begin), text.size());
          const std::string item = text.substr(begin, end - begin);
          const auto first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
          if (first != std::string::npos)
            result.push_back(item.substr(first, last - first + 1));
          begin = end + 1;
        }
      return result;
    }

    std::string joined(const std::vector<std::string> &names)
    {
      std::string text;
      for (const std::string &n : names)
        text += (text.empty() ? "" : ", ") + n;
      return text;
    }

    /**
     * The names of `text` (empty: all of `available` if `empty_means_all`, else the only one
     * of `available` or an error), each checked against `available`, in the model's order.
     */
    std::vector<std::string> resolve(const std::string &parameter, const std::string &text,
                                     const std::vector<std::string> &available,
                                     const bool empty_means_all, const std::string &what)
    {
      const std::vector<std::string> wanted = items(text);
      if (wanted.empty())
        {
          if (empty_means_all || available.size() == 1)
            return available;
          throw std::invalid_argument(parameter + ": name the " + what + " (this model has " +
                                      joined(available) + ")");
        }
      for (const std::string &w : wanted)
        if (std::find(available.begin(), available.end(), w) == available.end())
          throw std::invalid_argument(parameter + ": '" + w + "' is not a " + what +
                                      " of the model (" + joined(available) + ")");
      std::vector<std::string> ordered;
      for (const std::string &a : available)
        if (std::find(wanted.begin(), wanted.end(), a) != wanted.end())
          ordered.push_back(a);
      if (ordered.size() != wanted.size())
        throw std::invalid_argument(parameter + ": a " + what + " is named twice in '" + text +
                                    "'");
      return ordered;
    }

    Plan plan(const InstrumentationParameters &p, const anatomy::Anatomy &anatomy)
    {
      Plan plan;
      const std::vector<std::string> vertebrae = anatomy.vertebrae(), segments = anatomy.segments();
      if (p.screws.present)
        plan.screw_vertebrae = resolve("Instrumentation/Pedicle screws/Levels", p.screws.levels,
                                       vertebrae, true, "vertebra");
      if (p.cage.type != "none")
        plan.cage_segments =
          resolve("Instrumentation/Cage/Levels", p.cage.levels, segments, false, "disc");
      if (p.posterolateral_graft.present)
        plan.graft_segments = resolve("Instrumentation/Posterolateral graft/Levels",
                                      p.posterolateral_graft.levels, segments, false, "segment");
      // The cage's approach: one or both joints of each cage level (a positive TLIF angle is
      // an approach from the left).
      const model::Side approach = p.cage.tlif_angle >= 0 ? model::Side::left : model::Side::right;
      for (const std::string &segment : plan.cage_segments)
        for (const model::Side side : {model::Side::left, model::Side::right})
          if (p.cage.facetectomy == "bilateral" ||
              (p.cage.facetectomy == "approach side" && side == approach))
            plan.facetectomies.emplace_back(segment, side);
      for (const std::string &item : items(p.facetectomy))
        {
          const auto space = item.find_last_of(' ');
          const std::string segment = space == std::string::npos ? item : item.substr(0, space);
          const std::string side = space == std::string::npos ? "" : item.substr(space + 1);
          if (side != "left" && side != "right" && side != "both")
            throw std::invalid_argument("Instrumentation/Facetectomy: '" + item +
                                        "' must be '<segment> left|right|both'");
          resolve("Instrumentation/Facetectomy", segment, segments, false, "segment");
          for (const model::Side sd : {model::Side::left, model::Side::right})
            if (side == "both" || side == model::side_name(sd))
              if (std::find(plan.facetectomies.begin(), plan.facetectomies.end(),
                            std::make_pair(segment, sd)) == plan.facetectomies.end())
                plan.facetectomies.emplace_back(segment, sd);
        }
      const std::string ligament_parameter = "Instrumentation/Resected ligaments";
      std::vector<std::string> ligament_names;
      for (const model::Tissue t : model::all_tissues())
        if (model::is_ligament(t))
          ligament_names.push_back(model::tissue_name(t));
      for (const std::string &item : items(p.resected_ligaments))
        {
          // Segment names have no spaces ("L4-L5"); the ligament's name follows the first.
          const auto space = item.find(' ');
          const std::string segment = item.substr(0, space);
          const std::string name = space == std::string::npos ? "" : item.substr(space + 1);
          const auto known = std::find(ligament_names.begin(), ligament_names.end(), name);
          if (known == ligament_names.end())
            throw std::invalid_argument(ligament_parameter + ": '" + item +
                                        "' must be '<segment> <ligament>' with the ligament one "
                                        "of " +
                                        joined(ligament_names));
          resolve(ligament_parameter, segment, segments, false, "segment");
          const auto cut = std::make_pair(segment, model::tissue_from_name(name));
          if (std::find(plan.resected_ligaments.begin(), plan.resected_ligaments.end(), cut) !=
              plan.resected_ligaments.end())
            throw std::invalid_argument(ligament_parameter + ": '" + item + "' is named twice");
          plan.resected_ligaments.push_back(cut);
        }
      return plan;
    }

    /** One implant type: when the parameters ask for it, and how it is placed. */
    struct Entry
    {
      const char *name;
      std::function<bool(const InstrumentationParameters &)> wanted;
      std::function<std::vector<std::unique_ptr<Implant>>(
        const InstrumentationParameters &, const anatomy::Anatomy &, const Construct &,
        const Plan &)>
        place;
    };

    template <typename T, typename... Arguments>
    std::vector<std::unique_ptr<Implant>> one(Arguments &&...arguments)
    {
      std::vector<std::unique_ptr<Implant>> v;
      v.push_back(std::make_unique<T>(std::forward<Arguments>(arguments)...));
      return v;
    }

    // Placement order: an implant may use the ones before it (rods join the screw heads).
    const std::vector<Entry> &table()
    {
      static const std::vector<Entry> entries = {
        {"pedicle screws", [](const auto &p) { return p.screws.present; },
         [](const auto &p, const auto &a, const Construct &, const Plan &plan) {
           return one<PedicleScrews>(p.screws, a, plan.screw_vertebrae);
         }},
        {"rods", [](const auto &p) { return p.rods.present; },
         [](const auto &p, const auto &, const Construct &c, const Plan &) {
           return one<Rods>(p.rods, *c.find<PedicleScrews>());
         }},
        {"interbody cage", [](const auto &p) { return p.cage.type != "none"; },
         [](const auto &p, const auto &a, const Construct &, const Plan &plan) {
           std::vector<std::unique_ptr<Implant>> cages;
           for (const std::string &segment : plan.cage_segments)
             cages.push_back(std::make_unique<InterbodyCage>(p.cage, a, segment));
           return cages;
         }},
        {"posterolateral graft", [](const auto &p) { return p.posterolateral_graft.present; },
         [](const auto &p, const auto &a, const Construct &, const Plan &plan) {
           std::vector<std::unique_ptr<Implant>> grafts;
           for (const std::string &segment : plan.graft_segments)
             grafts.push_back(
               std::make_unique<PosterolateralGraft>(p.posterolateral_graft, a, segment));
           return grafts;
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
    const Plan where = plan(p, anatomy);
    for (const Entry &e : table())
      if (e.wanted(p))
        for (auto &implant : e.place(p, anatomy, construct, where))
          construct.implants.push_back(std::move(implant));

    // The surgery the construct needs: a cage goes in after a discectomy; the approach and
    // any further decompression take facet joints.
    for (const std::string &segment : where.cage_segments)
      construct.surgery.push_back(std::make_unique<Discectomy>(
        segment, p.cage.nucleus_after_discectomy == "graft" ? segment + " graft" : ""));
    for (const auto &[segment, side] : where.facetectomies)
      construct.surgery.push_back(std::make_unique<Facetectomy>(segment, side));
    for (const auto &[segment, ligament] : where.resected_ligaments)
      construct.surgery.push_back(std::make_unique<LigamentResection>(segment, ligament));
    return construct;
  }
} // namespace bonefusion::hardware
