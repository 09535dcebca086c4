#pragma once
/**
 * @file Region-wise statistics of stress and strain that clinicians and device engineers ask
 * for: peak von Mises stress in screws and rods, graft strain, endplate stress under the
 * cage (subsidence risk) and nucleus pressure. Evaluated at quadrature points with the same
 * (B-bar) strain the stiffness uses.
 */
#include "mechanics/elastic_system.h"
#include "model/model.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace bonefusion::postprocess
{
  /** Volume-weighted mean and maximum of a quantity over a set of quadrature points. */
  struct MeanMax
  {
    double integral = 0, volume = 0, max = -std::numeric_limits<double>::infinity();
    void add(const double value, const double JxW)
    {
      integral += value * JxW;
      volume += JxW;
      max = std::max(max, value);
    }
    double mean() const { return volume > 0 ? integral / volume : std::nan(""); }
    double peak() const { return volume > 0 ? max : std::nan(""); }
  };

  /** Named values (column name with unit, value), in a fixed order. */
  using NamedValues = std::vector<std::pair<std::string, double>>;

  /** Computes the field statistics of one solution (screws, rods, cages, interbody graft,
   *  nucleus, endplate cells next to a cage: by tissue); NaN where a tissue is absent.
   *  `finite_strain`: the nucleus pressure is the hyperelastic one (hyperelastic_pressure),
   *  stresses are Cauchy stresses of the hyperelastic energy (hyperelastic_cauchy_stress)
   *  and strains Green-Lagrange strains, their components in the reference axes (the
   *  endplate's normal, the disc's normal of the graft's compression). */
  NamedValues field_statistics(const model::Model &model, const mechanics::ElasticSystem &system,
                               const mechanics::Vector &ghosted_solution,
                               bool finite_strain = false);

  /**
   * Volume-mean and peak von Mises stress [MPa] of every region (material id k + 1 =
   * region_names[k]): columns von_mises_mean_<name>_MPa and von_mises_peak_<name>_MPa.
   * `finite_strain`: of the Cauchy stress (mechanics::hyperelastic_cauchy_stress).
   */
  NamedValues region_von_mises(const mechanics::ElasticSystem &system,
                               const mechanics::Vector &ghosted_solution,
                               const std::vector<std::string> &region_names,
                               bool finite_strain = false);

  /** A name usable in a column header: blanks and separators become '_'. */
  std::string column_name(const std::string &name);
} // namespace bonefusion::postprocess
