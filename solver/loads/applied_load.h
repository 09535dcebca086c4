#pragma once
/**
 * @file A load as the solver applies it: a traction field on the loaded surface (depending on
 * the point and the outward normal) with the resultant it was built from. Load cases of the
 * parametric model (pure moments, compression, follower preload), daily activities and the
 * surface load cases of imported meshes all become one, so that one loop solves them all.
 */
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>

#include "loads/follower_path.h"
#include "loads/load_case.h"
#include "loads/surface_load_case.h"
#include "loads/surface_traction.h"

#include <functional>
#include <string>

namespace bonefusion::loads
{
  struct AppliedLoad
  {
    std::string name;
    dealii::Tensor<1, 3> force;        ///< resultant force [N]
    dealii::Tensor<1, 3> moment;       ///< resultant moment about the surface centroid [N mm]
    dealii::Tensor<1, 3> primary_axis; ///< rotation it is meant to produce (unit; 0 = none)
    double pressure = 0;               ///< surface loads: normal pressure [MPa]
    /** Forces on vertebrae below the loaded surface (a follower load along the column);
     *  not part of `force` and `moment`. */
    std::vector<VertebraForce> vertebra_forces;
    /** Traction [MPa] at point p of the loaded surface with outward unit normal n. */
    std::function<dealii::Tensor<1, 3>(const dealii::Point<3> &p, const dealii::Tensor<1, 3> &n)>
      traction;
  };

  /** A resultant force and moment as a linear traction over `section` (surface_traction.h). */
  AppliedLoad resultant_load(const std::string &name, const PlaneSection &section,
                             const dealii::Tensor<1, 3> &force, const dealii::Tensor<1, 3> &moment,
                             const dealii::Tensor<1, 3> &primary_axis = {});

  /** A load case of the parametric model on its loaded surface. */
  AppliedLoad applied(const LoadCase &load_case, const PlaneSection &section);

  /**
   * A surface load case of an imported mesh: pressure against the outward normal, the force as
   * a uniform traction and the moment as a linear traction over `section`. A moment needs a
   * plane surface z = const: throws std::runtime_error naming the case otherwise
   * (`plane_z_range`: lowest and highest z of the surface [mm]).
   */
  AppliedLoad applied(const SurfaceLoadCase &load_case, const PlaneSection &section,
                      const std::string &surface_name, std::pair<double, double> plane_z_range);
} // namespace bonefusion::loads
