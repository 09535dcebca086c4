#include "loads/applied_load.h"

#include <cmath>
#include <stdexcept>

namespace bonefusion::loads
{
  AppliedLoad resultant_load(const std::string &name, const PlaneSection &section,
                             const dealii::Tensor<1, 3> &force, const dealii::Tensor<1, 3> &moment,
                             const dealii::Tensor<1, 3> &primary_axis)
  {
    AppliedLoad load;
    load.name = name;
    load.force = force;
    load.moment = moment;
    load.primary_axis = primary_axis;
    const LinearTraction traction(section, force, moment);
    load.traction = [traction](const dealii::Point<3> &p, const dealii::Tensor<1, 3> &) {
      return traction.value(p);
    };
    return load;
  }

  AppliedLoad applied(const LoadCase &lc, const PlaneSection &section)
  {
    return resultant_load(lc.name, section, lc.force, lc.moment, lc.primary_axis);
  }

  AppliedLoad applied(const SurfaceLoadCase &lc, const PlaneSection &section,
                      const std::string &surface_name, const std::pair<double, double> z_range)
  {
    const bool plane_z = z_range.second - z_range.first <= 1e-6 * std::sqrt(section.area);
    if (lc.moment.norm() > 0 && !plane_z)
      throw std::runtime_error("Mesh model/Load cases (" + lc.name +
                               "): a moment is applied as a linear traction "
                               "over a plane z = const, but surface '" +
                               surface_name + "' spans z = " + std::to_string(z_range.first) +
                               " to " + std::to_string(z_range.second) +
                               " mm; use force/pressure or a flat top surface");
    AppliedLoad load;
    load.name = lc.name;
    load.force = lc.force;
    load.moment = lc.moment;
    load.pressure = lc.pressure;
    const LinearTraction bending(section, dealii::Tensor<1, 3>(), lc.moment);
    const dealii::Tensor<1, 3> uniform = lc.force / section.area;
    const double pressure = lc.pressure;
    const bool has_moment = lc.moment.norm() > 0;
    load.traction = [bending, uniform, pressure, has_moment](const dealii::Point<3> &p,
                                                             const dealii::Tensor<1, 3> &n) {
      dealii::Tensor<1, 3> t = uniform - pressure * n;
      if (has_moment)
        t += bending.value(p);
      return t;
    };
    return load;
  }
} // namespace bonefusion::loads
