#pragma once
/**
 * @file Load cases on a named surface of an imported mesh: a normal pressure, a resultant
 * force, a resultant moment, or a combination, written in one line of the case file:
 *
 *   set Load cases = press: pressure=2; shear: force=0,50,0; bend: moment=0,1.5,0 force=0,0,-100
 *
 * pressure [MPa] acts against the outward normal (positive pushes into the body, as CalculiX's
 * *DLOAD P); force [N] is spread as a uniform traction; moment [N m in the input, N mm inside]
 * acts about the surface's centroid as a linear traction (see surface_traction.h), so a pure
 * moment has zero net force.
 */
#include <deal.II/base/tensor.h>

#include <string>
#include <vector>

namespace bonefusion::loads
{
  /** One right-hand side on a named surface. */
  struct SurfaceLoadCase
  {
    std::string name;
    double pressure = 0;         ///< [MPa], positive = compressive (into the body)
    dealii::Tensor<1, 3> force;  ///< resultant of the uniform part [N]
    dealii::Tensor<1, 3> moment; ///< resultant moment about the surface centroid [N mm]
  };

  /**
   * The whole of `text` as a finite number; throws std::invalid_argument
   * "<where>: '<text>' is not a finite number" otherwise (shared by the case-file parsers).
   */
  double parse_finite_number(const std::string &text, const std::string &where);

  /**
   * Parses "name: key=value ...; name: ..." (keys pressure, force, moment). Throws
   * std::invalid_argument naming `parameter` and the offending text.
   */
  std::vector<SurfaceLoadCase> parse_surface_load_cases(const std::string &text,
                                                        const std::string &parameter);
} // namespace bonefusion::loads
