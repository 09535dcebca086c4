#pragma once
/**
 * @file Pedicle screws: two per instrumented vertebra (left and right), each a threaded shank
 * (cylinder) on a trajectory through the pedicle's isthmus with the given medial and cranial
 * angles, and a head (tulip) going straight back to the rod's axis. Placed in each vertebra's
 * own frame; checked against the anatomy (fits the pedicle, stays inside the body, the two
 * tips do not meet).
 *
 * Bonded by default. With `Interface = loosened` each shank is wrapped, where it is in bone,
 * by a halo of fibrous tissue (its own region per screw, tissue `screw halo`): the
 * radiolucent zone of a loosened screw, and the compliance of a weak screw-bone interface.
 */
#include "anatomy/anatomy.h"
#include "hardware/implant.h"
#include "hardware/instrumentation_parameters.h"

#include <vector>

namespace bonefusion::hardware
{
  class PedicleScrews : public Implant
  {
  public:
    /** One screw. Coordinates in the vertebra's frame (anatomy::VertebraLandmarks). */
    struct Screw
    {
      std::string vertebra;
      model::Side side;
      model::Frame frame;              ///< the vertebra's frame
      anatomy::Cylinder shank;         ///< local
      anatomy::EllipticCylinderY head; ///< local, circular (ax = az)
      dealii::Point<3> head_end; ///< local centre of the head's posterior face, on the rod axis
      anatomy::Box bounds;       ///< local
      model::RegionId region = 0;
      model::RegionId halo = 0; ///< fibrous halo's region (loosened screws), else 0
    };

    /**
     * Places screws in every vertebra of `vertebrae` (top to bottom; empty = all of the
     * anatomy's). Throws std::invalid_argument naming "Instrumentation/Pedicle screws/..."
     * when a screw does not fit its pedicle, leaves the body or meets its partner.
     */
    PedicleScrews(const InstrumentationParameters::Screws &parameters,
                  const anatomy::Anatomy &anatomy, std::vector<std::string> vertebrae = {});

    std::string description() const override;
    Precedence precedence() const override { return Precedence::screw; }
    void add_to(model::Model &model) override;
    Claim classify(const dealii::Point<3> &p) const override;
    anatomy::Box bounding_box() const override;
    /** Loosened screws: the halo of the nearest screw within the drawn halo thickness of
     *  its shank (or tip). */
    Claim classify_bone_lining(const dealii::Point<3> &p) const override;
    /** The halo's modulus factor, drawn / real thickness; 1 for the screws. */
    double modulus_scale(const model::Region &region) const override;
    /** Thickness of the halo as drawn [mm]: the real one, at least one voxel. */
    double drawn_halo_thickness() const;

    const std::vector<Screw> &screws() const { return placed; }
    /** The point on the rod axis above screw `i`'s head, in global coordinates [mm]. */
    dealii::Point<3> rod_seat(unsigned int i) const;
    /** Volume [mm^3] of the screws as drawn, less the part of each head the rods (which win
     *  there) take: for checking the voxel mesh against the shapes. */
    double analytic_volume(const std::vector<anatomy::Cylinder> &rods) const;
    /** Head radius [mm]. */
    double head_radius() const;
    const InstrumentationParameters::Screws &parameters() const { return prm; }

  private:
    InstrumentationParameters::Screws prm;
    double resolution;         ///< voxel size [mm] the halo must survive (0: physical thickness)
    std::vector<Screw> placed; // per vertebra top to bottom: left, right
  };
} // namespace bonefusion::hardware
