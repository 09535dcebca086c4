#include "hardware/rods.h"

#include <stdexcept>

namespace bonefusion::hardware
{
  Rods::Rods(const InstrumentationParameters::Rods &parameters, const PedicleScrews &screws)
    : prm(parameters)
  {
    const auto &placed = screws.screws();
    for (const model::Side side : {model::Side::left, model::Side::right})
      {
        // The seats on this side from the top vertebra to the bottom one.
        std::vector<unsigned int> seats;
        for (unsigned int i = 0; i < placed.size(); ++i)
          if (placed[i].side == side)
            seats.push_back(i);
        if (seats.size() < 2)
          throw std::invalid_argument("Instrumentation/Rods/Present: a rod needs screws in at "
                                      "least two vertebrae on each side");
        const dealii::Point<3> a = screws.rod_seat(seats.back()),
                               b = screws.rod_seat(seats.front());
        anatomy::Cylinder rod;
        rod.axis = (b - a) / (b - a).norm();
        rod.start = a - prm.overhang * rod.axis;
        rod.length = (b - a).norm() + 2 * prm.overhang;
        rod.radius = prm.diameter / 2;
        rod.finish();
        rods.push_back(rod);
        sides.push_back(side);
      }
  }

  std::string Rods::description() const
  {
    return std::to_string(rods.size()) + " rods (" + prm.material + ")";
  }

  void Rods::add_to(model::Model &m)
  {
    for (const model::Side side : sides)
      {
        const std::string name = model::side_name(side) + " rod";
        model::Region r;
        r.name = name;
        r.tissue = model::Tissue::rod;
        r.body = m.add_body({name, model::BodyKind::implant, "", {}});
        r.material = prm.material;
        r.load_path = "rods_screws";
        r.preoperative = model::no_index; // outside the anatomy
        regions.push_back(m.regions.add(r));
      }
  }

  Claim Rods::classify(const dealii::Point<3> &p) const
  {
    for (unsigned int i = 0; i < rods.size(); ++i)
      if (rods[i].contains(p))
        return Claim::of(regions[i]);
    return Claim::none();
  }

  anatomy::Box Rods::bounding_box() const
  {
    anatomy::Box b = rods.front().bounds;
    for (const auto &r : rods)
      b.extend(r.bounds);
    return b;
  }
} // namespace bonefusion::hardware
