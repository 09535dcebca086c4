#pragma once
/**
 * @file A follower load along the column: a compressive preload whose path follows the curve
 * of the spine, as the cable of a follower-load rig (Patwardhan et al. 1999) runs through a
 * guide on every vertebra. Between two guides the cable is straight; where it bends at a guide
 * it pushes that vertebra with the difference of the two cable directions. With the guides at
 * the centroids of the vertebral bodies, the chord between two of them crosses the disc
 * between them near its centre, so each disc is compressed along that chord (the force above
 * any disc sums to P times the chord's direction) and the preload bends the column only by
 * P times the chord's distance from the disc centre, where the same preload applied at the top
 * along the top vertebra's axis bends a lordotic column by P times the column's sagittal
 * offset.
 */
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include <vector>

namespace bonefusion::loads
{
  /** A force on one vertebra, spread uniformly over the bone of its vertebral body (a body
   *  force), so that its line of action passes through the body's centroid `point`. */
  struct VertebraForce
  {
    int body = -1;             ///< model body index of the vertebra
    dealii::Point<3> point;    ///< guide point: centroid of the vertebral body's bone [mm]
    dealii::Tensor<1, 3> force; ///< [N]
    double volume = 0;          ///< volume of the bone it is spread over [mm^3]
  };

  /**
   * The forces of a cable under tension `preload` [N] (> 0 compresses the column) through
   * `guides`, ordered from the loaded top vertebra to the supported bottom one. The top
   * vertebra is pulled towards the next guide; every vertebra in between gets the kink force;
   * the bottom one is held, so it gets none (the support takes the cable's end). Throws
   * std::invalid_argument for fewer than two guides or two guides at one point.
   */
  std::vector<VertebraForce> follower_path_forces(const std::vector<VertebraForce> &guides,
                                                  double preload);
} // namespace bonefusion::loads
