#pragma once
// Parameters of lumbar columns shared by the column and facet-surface tests.
#include "anatomy/lumbar_column.h"
#include "anatomy/lumbar_parameters.h"
#include "mechanics/contact_parameters.h"
#include "model/model.h"

#include <string>

namespace bonefusion::testing
{
  constexpr double degree = 3.14159265358979323846 / 180;

  /** The column of `levels` (e.g. "L3-S1") stacked along the published lordosis; every other
   *  parameter at its default. */
  inline anatomy::LumbarParameters lordotic_column(const std::string &levels)
  {
    anatomy::LumbarParameters p;
    p.levels = levels;
    p.alignment = "lordotic";
    return p;
  }

  /** A column built from its parameters and the model it fills. */
  struct BuiltColumn
  {
    explicit BuiltColumn(const anatomy::LumbarParameters &p)
      : column(p)
    {
      column.add_to(model);
    }
    anatomy::LumbarColumn column;
    model::Model model;
  };

  /** The sliding-joint law's orientation as calibrated on L4-L5 (docs/model.md). */
  inline mechanics::FacetParameters calibrated_facet_law()
  {
    mechanics::FacetParameters facets;
    facets.joint_angle = 55;
    facets.joint_inclination = 40;
    return facets;
  }
} // namespace bonefusion::testing
