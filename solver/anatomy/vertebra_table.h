#pragma once
/**
 * @file Published dimensions of the lumbar vertebrae and discs: the per-level table
 * (meshes/lumbar_dimensions.csv, sources in docs/sources.md, "Vertebra dimensions") and the disc
 * height regression.
 */
#include <string>

namespace bonefusion::anatomy
{
  /** Dimensions of one vertebra as read from meshes/lumbar_dimensions.csv (mm). */
  struct VertebraDimensions
  {
    std::string name;            ///< "L4"
    double body_height;          ///< posterior-anterior mean body height [mm]
    double upper_endplate_width; ///< [mm] (lateral)
    double upper_endplate_depth; ///< [mm] (anteroposterior)
    double lower_endplate_width; ///< [mm]
    double lower_endplate_depth; ///< [mm]
    double pedicle_height;       ///< [mm] (superior-inferior)
    double pedicle_width;        ///< [mm] (lateral)
    double canal_depth;          ///< [mm] (anteroposterior)
    double canal_width;          ///< [mm] (lateral)
    double transverse_span;      ///< tip-to-tip transverse-process span [mm] (lateral)
  };

  /** The shipped table, meshes/lumbar_dimensions.csv. */
  std::string default_dimension_table();

  /**
   * Reads the per-level table (CSV with a header line; '#' comments) and returns the row of
   * `vertebra` ("L1".."L5", "S1"). Throws std::runtime_error naming the file and the level.
   */
  VertebraDimensions read_vertebra_dimensions(const std::string &csv_file,
                                              const std::string &vertebra);

  /**
   * Disc height [mm] of a lumbar level pair ("L4-L5") at an age [years], from the linear
   * regression on age of docs/sources.md, "Disc height" (men; cm in the source). Throws
   * std::invalid_argument for an unknown level.
   */
  double disc_height_from_age(const std::string &level, double age_years);
} // namespace bonefusion::anatomy
