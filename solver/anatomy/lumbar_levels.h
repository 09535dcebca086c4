#pragma once
/**
 * @file The lumbar levels a column is made of: their order, the ranges users write
 * ("L3-S1"), and the published segmental lordosis of each disc.
 */
#include <string>
#include <vector>

namespace bonefusion::anatomy
{
  /** L1, L2, L3, L4, L5, S1: the vertebrae a lumbar column can hold, top to bottom. */
  const std::vector<std::string> &lumbar_vertebra_order();

  /**
   * The vertebrae of a contiguous range written "upper-lower" ("L3-S1": L3, L4, L5, S1; a
   * single segment "L4-L5" is the shortest range). Throws std::invalid_argument starting
   * with `parameter` for an unknown vertebra, a range that runs upwards or holds one
   * vertebra, or text that is not a range.
   */
  std::vector<std::string> vertebra_range(const std::string &text, const std::string &parameter);

  /**
   * Mean segmental lordosis [deg] of a lumbar disc ("L4-L5"): the angle between the
   * endplates of its two vertebrae in standing radiographs, positive when the disc opens
   * anteriorly (docs/sources.md, "Segmental lordosis"). Throws std::invalid_argument for an
   * unknown level.
   */
  double published_segmental_lordosis(const std::string &segment);

  /**
   * Mean angle [deg] between a lumbar facet joint ("L4-L5") and the midsagittal plane in the
   * transverse plane: small where the joints face medially (upper lumbar), large where they
   * turn towards the coronal plane (lower lumbar). Masharawi et al. 2004, measured on the
   * caudal vertebra's superior facets (docs/sources.md, "Facet orientation"); L5-S1, which
   * that study did not measure, is given the L4-L5 value. Throws std::invalid_argument for
   * an unknown level.
   */
  double published_facet_angle(const std::string &segment);

  /**
   * Medial (transverse) angle of the pedicles of a vertebra (L1 .. S1) [deg]: the angle of the
   * pedicle's axis to the sagittal plane, converging anteriorly. Throws std::invalid_argument
   * for an unknown vertebra.
   */
  double published_pedicle_transverse_angle(const std::string &vertebra);
} // namespace bonefusion::anatomy
