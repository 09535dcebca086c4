#include "hardware/surgery.h"

#include <stdexcept>

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

  LigamentResection::LigamentResection(const std::string &segment_name, const model::Tissue t)
    : segment(segment_name)
    , ligament(t)
  {
  }

  std::string LigamentResection::description() const
  {
    return "resection of the " + model::tissue_name(ligament) + " at " + segment;
  }

  void LigamentResection::apply(anatomy::Anatomy &anatomy, const model::Model &) const
  {
    try
      {
        anatomy.resect_ligament(segment, ligament);
      }
    catch (const std::invalid_argument &e)
      {
        throw std::invalid_argument(std::string("Instrumentation/Resected ligaments: ") +
                                    e.what());
      }
  }
} // namespace bonefusion::hardware
