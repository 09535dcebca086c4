#pragma once
/**
 * @file For imported meshes: the applied load as assembled (applied_force_{x,y,z}_N from the
 * load vector, applied_moment_{x,y,z}_Nmm, applied_pressure_MPa), the reaction force on each
 * clamped boundary (reaction_<name>_force_{x,y,z}_N, reactions.h), the relative equilibrium
 * error of load plus reactions, the largest displacement, and with Output/Write nodal values
 * a nodal_values_<load case>.csv for node-by-node comparisons with other codes.
 */
#include "postprocess/postprocessor.h"

namespace bonefusion::postprocess
{
  class MeshReactions : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    MeshReactions(const Context &context, bool write_nodal_values);
    void evaluate(const SolvedLoad &load, io::StatisticsTable &table) override;

  private:
    const Context &context;
    bool nodal_values;
  };
} // namespace bonefusion::postprocess
