#include "hardware/surgery.h"

namespace bonefusion::hardware
{
  Discectomy::Discectomy(const std::string &segment_name, const std::string &fill_region)
    : segment(segment_name)
    , fill(fill_region)
  {
  }

  std::string Discectomy::description() const
  {
    return "discectomy at " + segment +
           (fill.empty() ? ", nucleus space left empty" : ", nucleus space packed with " + fill);
  }

  void Discectomy::apply(anatomy::Anatomy &anatomy, const model::Model &model) const
  {
    anatomy.remove_nucleus(segment, fill.empty() ?
                                      std::nullopt :
                                      std::optional<model::RegionId>(model.regions.id(fill)));
  }

  Facetectomy::Facetectomy(const std::string &segment_name, const model::Side s)
    : segment(segment_name)
    , side(s)
  {
  }

  std::string Facetectomy::description() const
  {
    return model::side_name(side) + " facetectomy at " + segment;
  }

  void Facetectomy::apply(anatomy::Anatomy &anatomy, const model::Model &) const
  {
    anatomy.resect_facet_joint(segment, side);
  }
} // namespace bonefusion::hardware
