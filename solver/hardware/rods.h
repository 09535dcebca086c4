#pragma once
/**
 * @file Longitudinal rods: one per side, a straight cylinder through the rod seats of the
 * top and bottom screw heads on that side, reaching `Overhang` beyond each.
 */
#include "hardware/implant.h"
#include "hardware/instrumentation_parameters.h"
#include "hardware/pedicle_screws.h"

#include <vector>

namespace bonefusion::hardware
{
  class Rods : public Implant
  {
  public:
    /** Rods through the seats of `screws` (which must hold at least two vertebrae). */
    Rods(const InstrumentationParameters::Rods &parameters, const PedicleScrews &screws);

    std::string description() const override;
    Precedence precedence() const override { return Precedence::rod; }
    void add_to(model::Model &model) override;
    Claim classify(const dealii::Point<3> &p) const override;
    anatomy::Box bounding_box() const override;

    /** The rods (global coordinates), left then right. */
    const std::vector<anatomy::Cylinder> &cylinders() const { return rods; }

  private:
    InstrumentationParameters::Rods prm;
    std::vector<anatomy::Cylinder> rods;
    std::vector<model::Side> sides;
    std::vector<model::RegionId> regions;
  };
} // namespace bonefusion::hardware
