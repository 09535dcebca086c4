#pragma once
/**
 * @file Posterolateral graft: a strip of bone graft on each side, laid over the transverse
 * processes of the two vertebrae of a segment, lateral of the pedicles. It fills space around
 * the processes (the bone wins where they overlap), so the graft wraps them.
 */
#include "anatomy/anatomy.h"
#include "hardware/implant.h"
#include "hardware/instrumentation_parameters.h"

#include <vector>

namespace bonefusion::hardware
{
  class PosterolateralGraft : public Implant
  {
  public:
    /** Strips between the transverse processes of the vertebrae of `segment`. */
    PosterolateralGraft(const InstrumentationParameters::PosterolateralGraft &parameters,
                        const anatomy::Anatomy &anatomy, const std::string &segment);

    std::string description() const override;
    Precedence precedence() const override { return Precedence::fills_soft_tissue; }
    void add_to(model::Model &model) override;
    Claim classify(const dealii::Point<3> &p) const override;
    anatomy::Box bounding_box() const override;

  private:
    InstrumentationParameters::PosterolateralGraft prm;
    std::string segment;
    model::Frame frame;               // of the vertebrae (the column's)
    std::vector<anatomy::Box> strips; // left, right, in `frame`
    model::RegionId region = 0;
  };
} // namespace bonefusion::hardware
