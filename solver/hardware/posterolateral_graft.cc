#include "hardware/posterolateral_graft.h"

#include <algorithm>

namespace bonefusion::hardware
{
  namespace
  {
    constexpr double graft_gap = 3.; // mm between the lateral pedicle wall and the graft strip
  }

  PosterolateralGraft::PosterolateralGraft(
    const InstrumentationParameters::PosterolateralGraft &parameters,
    const anatomy::Anatomy &anatomy, const std::string &segment_name)
    : prm(parameters)
    , segment(segment_name)
  {
    const auto names = anatomy.vertebrae();
    const auto segments = anatomy.segments();
    const auto k = std::find(segments.begin(), segments.end(), segment) - segments.begin();
    const anatomy::VertebraLandmarks &u = anatomy.vertebra(names.at(k));
    const anatomy::VertebraLandmarks &l = anatomy.vertebra(names.at(k + 1));
    // Drawn in the disc's frame (the vertebrae are tilted against it in a lordotic column).
    frame = anatomy.disc(segment).frame;
    const double pw = (u.pedicle_width + l.pedicle_width) / 2;
    const double xg = (u.pedicle_x + l.pedicle_x) / 2 + pw / 2 + graft_gap + prm.width / 2;
    const double y_back = (u.canal_back_y + l.canal_back_y) / 2 - u.transverse_behind;
    const double y_front = std::max(u.canal_back_y, l.canal_back_y) + u.transverse_front;
    // From the bottom of the lower to the top of the upper transverse process, each in the
    // disc's frame where the strip's centre line crosses it.
    const double yc = (y_back + y_front) / 2;
    const auto height = [&](const anatomy::VertebraLandmarks &v, const double z) {
      return frame.to_local(v.frame.to_global(dealii::Point<3>(xg, yc, z)))[2];
    };
    const double bottom = height(l, l.pedicle_z - l.transverse_height / 2),
                 top = height(u, u.pedicle_z + u.transverse_height / 2);
    for (const int s : {-1, 1})
      strips.push_back(anatomy::box(s * (xg - prm.width / 2), s * (xg + prm.width / 2),
                                    y_back - prm.thickness, y_front, bottom, top));
  }

  std::string PosterolateralGraft::description() const
  {
    return "posterolateral graft strips at " + segment;
  }

  void PosterolateralGraft::add_to(model::Model &m)
  {
    model::Region r;
    r.name = segment + " posterolateral graft";
    r.tissue = model::Tissue::posterolateral_graft;
    r.segment = m.segment(segment);
    r.material = "bone graft";
    r.load_path = "posterolateral_graft";
    r.preoperative = model::no_index; // laid on the bone, outside the anatomy
    region = m.regions.add(r);
  }

  Claim PosterolateralGraft::classify(const dealii::Point<3> &p) const
  {
    const dealii::Point<3> q = frame.to_local(p);
    for (const auto &s : strips)
      if (s.contains(q))
        return Claim::of(region);
    return Claim::none();
  }

  anatomy::Box PosterolateralGraft::bounding_box() const
  {
    anatomy::Box b = anatomy::to_global(strips.front(), frame);
    for (const auto &s : strips)
      b.extend(anatomy::to_global(s, frame));
    return b;
  }
} // namespace bonefusion::hardware
