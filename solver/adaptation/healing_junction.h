#pragma once
/**
 * @file The junction where a graft meets the host bone: a thin healing gap whose tissue sees
 * the relative motion between bone and graft concentrated over its own width.
 *
 * Why: bone has to bridge from the prepared host bone (endplate, transverse process) into the
 * graft. At surgery the two only touch across a thin layer of haematoma; its strain is the
 * relative motion across it divided by its width (Perren's interfragmentary strain: the same
 * micromotion strains a narrow gap far more than the graft's bulk). A voxel of the model is
 * 1.5-3 mm thick, wider than such a gap, so a graft cell next to bone would spread the motion
 * over its whole thickness and under-state the strain by h/g. The junction cell therefore
 * stands for the gap (width g, its own tissue state) in series with graft (the rest of the
 * cell, h - g, the graft's tissue state):
 *
 *   gap fraction          phi = min(1, g / h)
 *   effective modulus     1 / E = phi / E_gap + (1 - phi) / E_graft   (Reuss, layers in series)
 *   gap strain            eps_gap = eps_cell E / E_gap                (same stress in both)
 *
 * so a soft gap (E_gap << E_graft) strains by (relative motion across the cell) / g, whatever
 * the voxel size. The series (Reuss) modulus is used in every direction: exact for the normal
 * and shear stresses across the junction, which carry the motion; it under-states the cell's
 * in-plane stiffness, which the graft column hardly uses. Poisson's ratio is the volume mean.
 * The gap differentiates with the graft's mechano-regulation law, applied to its own strain.
 */
#include "adaptation/differentiation_law.h"

namespace bonefusion::adaptation
{
  /** The healing gap between a graft and the host bone. */
  class HealingJunction
  {
  public:
    /** @param gap_width g [mm]; 0 = no gap (graft tied to bone as a continuum). */
    explicit HealingJunction(double gap_width = 0);

    /** True when a gap is modelled (g > 0). */
    bool active() const { return g > 0; }
    /** g [mm]. */
    double gap_width() const { return g; }

    /** Fraction phi of a cell of thickness h [mm] across the junction that is gap [-]. */
    double gap_fraction(double cell_thickness) const;

    /** Effective modulus [MPa] of the gap (E_gap, fraction phi) in series with the graft. */
    static double series_modulus(double gap_modulus, double graft_modulus, double phi);

    /**
     * Mechanics of one layer of the cell (the gap, or the graft part) from the cell's mean
     * mechanics: strains scaled by E_cell / E_layer, pressure unchanged (stress continuity).
     */
    static TissueMechanics layer_mechanics(const TissueMechanics &cell, double cell_modulus,
                                           double layer_modulus);

  private:
    double g;
  };
} // namespace bonefusion::adaptation
