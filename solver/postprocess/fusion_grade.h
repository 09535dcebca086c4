#pragma once
/**
 * @file How far a healing interbody graft bridges its disc space, as a CT reader grades it:
 * the graft cells of a motion segment form columns along the disc's normal (keyed by their
 * position in the disc's plane); a column is bridged when every cell in it is bone, attached
 * when its first or last cell is. The CT grade follows Mayfield (docs/sources.md, "Graft healing"):
 * I continuous bridging over more than the threshold, II bridging below it, III bone attached to
 * one endplate only, IV none.
 */
#include "adaptation/graft_tissue.h"
#include "model/model.h"

#include <deal.II/grid/tria.h>

#include <mpi.h>

namespace bonefusion::postprocess
{
  struct GraftBridging
  {
    double bridged = 0;  ///< fraction of the columns that are bone throughout [-]
    double attached = 0; ///< fraction with bone at one end at least [-]
    int grade = 4;       ///< CT grade I (1) .. IV (4)
    bool has_graft = false;
  };

  /**
   * Bridging of the interbody graft of motion segment s. A cell counts as bone when its
   * bridging bone fraction exceeds `bone_fraction` [-]; the segment is fused (grade I) when
   * the bridged fraction exceeds `threshold` [-]. Collective.
   */
  GraftBridging graft_bridging(const model::Model &model, const dealii::Triangulation<3> &tria,
                               const adaptation::GraftTissue &grafts, int s, double bone_fraction,
                               double threshold, MPI_Comm mpi);
} // namespace bonefusion::postprocess
