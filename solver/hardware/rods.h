#pragma once
/**
 * @file Longitudinal rods: one per side that has screws in at least two vertebrae, contoured
 * through the rod seat of every screw head on that side (straight pieces from seat to seat,
 * bent at each inner seat, where a ball of the rod's radius keeps it whole), reaching
 * `Overhang` beyond the top and bottom seats. Through two seats it is one straight cylinder.
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
    /** Rods through the seats of `screws`. Throws std::invalid_argument naming
     *  Instrumentation/Rods/Present if a side has one screw, or no side has two. */
    Rods(const InstrumentationParameters::Rods &parameters, const PedicleScrews &screws);

    std::string description() const override;
    Precedence precedence() const override { return Precedence::rod; }
    void add_to(model::Model &model) override;
    Claim classify(const dealii::Point<3> &p) const override;
    anatomy::Box bounding_box() const override;

    /** The straight pieces of the rods (global coordinates), left rod then right rod, each
     *  from its bottom to its top seat: one per rod for a rod through two seats. */
    const std::vector<anatomy::Cylinder> &cylinders() const { return rods; }

  private:
    InstrumentationParameters::Rods prm;
    std::vector<anatomy::Cylinder> rods;
    std::vector<unsigned int> rod_of;           ///< rods[i] belongs to rod rod_of[i]
    std::vector<std::pair<dealii::Point<3>, unsigned int>> bends; ///< inner seats and their rod
    std::vector<model::Side> sides;
    std::vector<model::RegionId> regions;
  };
} // namespace bonefusion::hardware
