#pragma once
/**
 * @file Region-wise statistics of stress and strain that clinicians and device engineers ask
 * for: peak von Mises stress in screws and rods, graft strain, endplate stress under the
 * cage (subsidence risk) and nucleus pressure. Evaluated at quadrature points with the same
 * (B-bar) strain the stiffness uses.
 */
#include "mechanics/elastic_system.h"

#include <string>
#include <utility>
#include <vector>

namespace bonefusion::postprocess
{
  /** Named values (column name with unit, value), in a fixed order. */
  using NamedValues = std::vector<std::pair<std::string, double>>;

  /** Computes the field statistics of one solution; NaN where a region is absent. */
  NamedValues field_statistics(const mechanics::ElasticSystem &system,
                               const mechanics::Vector &ghosted_solution);
} // namespace bonefusion::postprocess
