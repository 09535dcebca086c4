#pragma once
/**
 * @file Interbody cages: one oblique TLIF cage or two parallel PLIF cages in a disc, each a
 * hollow rectangular footprint (wall around a window) through the disc's height, placed in
 * the disc's frame. The window holds bone graft (or is left empty). The cage registers the
 * segment's graft region, which the discectomy may also pack into the nucleus' space.
 */
#include "anatomy/anatomy.h"
#include "hardware/implant.h"
#include "hardware/instrumentation_parameters.h"

#include <optional>
#include <vector>

namespace bonefusion::hardware
{
  class InterbodyCage : public Implant
  {
  public:
    /** Cages of `parameters.type` (TLIF or PLIF) in the disc of `segment`. Throws
     *  std::invalid_argument naming "Instrumentation/Cage/Length" if a footprint does not
     *  fit the disc outline. */
    InterbodyCage(const InstrumentationParameters::Cage &parameters,
                  const anatomy::Anatomy &anatomy, const std::string &segment);

    std::string description() const override;
    Precedence precedence() const override { return Precedence::cage; }
    void add_to(model::Model &model) override;
    Claim classify(const dealii::Point<3> &p) const override;
    anatomy::Box bounding_box() const override;

    /** The segment's graft region (after add_to()). */
    model::RegionId graft_region() const { return graft; }
    /** Volume [mm^3] of the cage walls and of the graft in the windows. */
    double wall_volume() const;
    double window_volume() const;

  private:
    InstrumentationParameters::Cage prm;
    std::string segment;
    anatomy::DiscLandmarks disc;
    std::vector<anatomy::Footprint> footprints; // in the disc's frame
    std::vector<model::Side> sides;             // PLIF: left, right
    std::vector<model::RegionId> walls;
    model::RegionId graft = 0;
  };
} // namespace bonefusion::hardware
