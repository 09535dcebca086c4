#pragma once
/**
 * @file Stacking vertebrae and wedge-shaped discs along the sagittal curve of the column.
 *
 * The parametric vertebrae are drawn in a straight reference column (each vertebra between
 * its own endplate heights on one axis, a disc of uniform height between neighbours). The
 * alignment gives every vertebra a rigid placement (a frame whose coordinates are the
 * straight ones) and every disc a frame at the centre of its mid-surface: the disc between
 * two vertebrae opens anteriorly by its segmental lordosis, half of it on each side of the
 * mid-surface, so each endplate tilts by half the angle against the disc's frame and the
 * disc is a wedge, taller in front than behind, of the straight height at its centre.
 *
 * The top vertebra keeps the global axes (its superior endplate is horizontal, as a specimen
 * potted for testing); the centre of the lowest disc is the origin. With no lordosis every
 * frame is the global one (the straight column, exactly).
 */
#include "model/frame.h"

#include <vector>

namespace bonefusion::anatomy
{
  /** One vertebra of the straight reference column: its endplate heights [mm]. */
  struct StraightVertebra
  {
    double inferior = 0, superior = 0;
  };

  /** One disc of the straight reference column. */
  struct StraightDisc
  {
    double mid_height = 0; ///< z of the mid-surface [mm]
    double height = 0;     ///< disc height at its centre [mm]
    double lordosis = 0;   ///< angle between its endplates, positive opening anteriorly [deg]
  };

  /** Frames of the placed column: vertebrae[k] maps vertebra k's straight coordinates to
   *  global ones; discs[k] has its origin at the centre of disc k's mid-surface. */
  struct AlignedColumn
  {
    std::vector<model::Frame> vertebrae;
    std::vector<model::Frame> discs;
  };

  /**
   * Places the column (vertebrae top to bottom, discs[k] between vertebrae k and k + 1).
   * Throws std::invalid_argument if the sizes do not match.
   */
  AlignedColumn align_column(const std::vector<StraightVertebra> &vertebrae,
                             const std::vector<StraightDisc> &discs);

  /** `frame` turned by `angle` [rad] about its own lateral axis (positive lifts anterior). */
  model::Frame rotated_about_lateral(const model::Frame &frame, double angle);
} // namespace bonefusion::anatomy
