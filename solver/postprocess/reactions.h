#pragma once
/**
 * @file Support reactions and nodal output of a solved load case.
 *
 * The reaction at a clamped node is what the support must push with to hold it: the internal
 * nodal force K u (assembled without constraints) minus the external load at that node. Summed
 * over a support it balances the applied load up to the linear solver's residual, and it is
 * the quantity other codes print as RF (CalculiX *NODE PRINT ... RF), so it can be compared
 * node by node.
 */
#include "mechanics/elastic_system.h"

#include <deal.II/base/tensor.h>

#include <string>
#include <vector>

namespace bonefusion::postprocess
{
  /**
   * Total reaction force [N] on each of the boundary ids in `supports` (a DoF on two supports
   * counts for the first). `internal` and `external` are ghosted vectors of K u and of the
   * unconstrained load. Collective.
   */
  std::vector<dealii::Tensor<1, 3>>
  support_reactions(const mechanics::ElasticSystem &system, const mechanics::Vector &internal,
                    const mechanics::Vector &external,
                    const std::vector<dealii::types::boundary_id> &supports);

  /** Sum of each component of a (ghosted or owned) nodal vector [N]. Collective. */
  dealii::Tensor<1, 3> resultant(const mechanics::ElasticSystem &system,
                                 const mechanics::Vector &nodal_forces);

  /** Largest nodal displacement magnitude [mm]. Collective. */
  double max_displacement(const mechanics::ElasticSystem &system,
                          const mechanics::Vector &ghosted_solution);

  /**
   * Writes `file` (rank 0) with one row per displacement node, sorted by coordinates:
   * x_mm,y_mm,z_mm,ux_mm,uy_mm,uz_mm,rx_N,ry_N,rz_N (reaction zero where a node is free).
   * Collective.
   */
  void write_nodal_values(const mechanics::ElasticSystem &system,
                          const mechanics::Vector &ghosted_solution,
                          const mechanics::Vector &internal, const mechanics::Vector &external,
                          const std::string &file);
} // namespace bonefusion::postprocess
