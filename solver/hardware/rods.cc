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
        if (seats.empty())
          continue;
        if (seats.size() < 2)
          throw std::invalid_argument("Instrumentation/Rods/Present: the " +
                                      model::side_name(side) + " rod needs screws in at least "
                                      "two vertebrae on that side, it has one (" +
                                      placed[seats.front()].vertebra + ")");
        const unsigned int rod = sides.size();
        // From the bottom seat up, one straight piece per pair of neighbouring seats; the
        // first and last reach the overhang beyond the end seats.
        for (unsigned int k = seats.size() - 1; k > 0; --k)
          {
            const dealii::Point<3> a = screws.rod_seat(seats[k]), b = screws.rod_seat(seats[k - 1]);
            anatomy::Cylinder piece;
            piece.axis = (b - a) / (b - a).norm();
            const double before = k + 1 == seats.size() ? prm.overhang : 0;
            const double after = k == 1 ? prm.overhang : 0;
            piece.start = a - before * piece.axis;
            piece.length = (b - a).norm() + (before + after);
            piece.radius = prm.diameter / 2;
            piece.finish();
            rods.push_back(piece);
            rod_of.push_back(rod);
            if (k > 1)
              bends.emplace_back(b, rod);
          }
        sides.push_back(side);
      }
    if (sides.empty())
      throw std::invalid_argument("Instrumentation/Rods/Present: rods need pedicle screws in at "
                                  "least two vertebrae on a side");
  }

  std::string Rods::description() const
  {
    return std::to_string(sides.size()) + " rods (" + prm.material + ")";
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
        return Claim::of(regions[rod_of[i]]);
    const double r = prm.diameter / 2;
    for (const auto &[centre, rod] : bends)
      if ((p - centre).norm_square() <= r * r)
        return Claim::of(regions[rod]);
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
