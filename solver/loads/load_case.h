#pragma once
/**
 * @file Load cases of a motion-segment test: pure moments in the three anatomical planes,
 * axial compression, and a follower-type preload, applied to the upper vertebra while the
 * lower one is supported.
 *
 * Sign convention (x left->right, y posterior->anterior, z inferior->superior, right-handed):
 * flexion turns the upper body anteriorly = negative rotation about x; extension positive.
 * Left lateral bending = negative about y; right = positive. Left axial rotation (anterior
 * face turns to the left) = positive about z; right = negative. A load case's "primary
 * rotation" is reported positive when the segment moves in the named direction.
 */
#include <deal.II/base/tensor.h>

#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::loads
{
  /** One right-hand side: resultant force and moment on the loaded surface. */
  struct LoadCase
  {
    std::string name;            ///< e.g. "flexion"
    dealii::Tensor<1, 3> force;  ///< resultant force [N]
    dealii::Tensor<1, 3> moment; ///< resultant moment about the surface centroid [N mm]
    /** Unit vector of the rotation this case is meant to produce (zero for compression). */
    dealii::Tensor<1, 3> primary_axis;
  };

  /** Names accepted in "Loads/Load cases". */
  std::vector<std::string> known_load_case_names();

  /** Load parameters: which cases and their magnitudes. */
  struct LoadParameters
  {
    std::vector<std::string> cases{"flexion",
                                   "extension",
                                   "left lateral bending",
                                   "right lateral bending",
                                   "left axial rotation",
                                   "right axial rotation",
                                   "compression"};
    double moment = 7.5;         ///< pure moment magnitude [N m] (input); Niosi 2006 used 7.5
    double compression = 400;    ///< axial compressive force of the compression case [N]
    double follower_preload = 0; ///< compressive preload added to the moment cases [N]
    double follower_offset = 0;  ///< y (anterior) offset of the preload's line of action [mm]
    std::string follower_path = "auto"; ///< "auto", "loaded surface" or "vertebral bodies"

    static void declare_parameters(dealii::ParameterHandler &prm);
    /** Throws std::invalid_argument naming "Loads/<key>" for unknown names or bad values. */
    void parse_parameters(dealii::ParameterHandler &prm);

    /** True if the preload is a cable through the vertebral bodies (follower_path.h) in a
     *  model of n_segments motion segments, false if it acts on the loaded surface. */
    bool follower_through_bodies(std::size_t n_segments) const;

    /** The load cases, moments converted to N mm; the follower preload is part of each moment
     *  case's surface resultant only if preload_on_surface. */
    std::vector<LoadCase> load_cases(bool preload_on_surface = true) const;
  };
} // namespace bonefusion::loads
