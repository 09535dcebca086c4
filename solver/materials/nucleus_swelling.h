#pragma once
/**
 * @file The osmotic swelling of the nucleus pulposus (finite strain only).
 *
 * Why: the proteoglycans of the nucleus draw water into it, so an unloaded disc is already
 * pressurized (in vivo about 0.1 MPa lying, Wilke 1999) and its annulus fibres are already
 * in tension. Without that pre-stress, tension-only fibres make the annulus stiffer in
 * tension than in compression; the bending axis then lies behind the nucleus and flexion
 * opens it (a negative nucleus pressure in flexion, where disc-alone specimens measure
 * +0.38 MPa at 7.5 N m: docs/model.md, "Finite strain").
 *
 * How: nucleus cells get a free volumetric swelling strain (CellElasticity::swelling); the
 * volumetric energy is at rest at that volume ratio (mechanics/hyperelastic_cell.h). The
 * Newton solver first finds the swollen rest state without external load (the swelling
 * ramped in load increments), and every load case starts from it; motions are measured
 * from it, as a specimen's are measured from its unloaded position. The strain is the
 * parameter, not the pressure: the pressure it gives depends on how stiffly the annulus and
 * the endplates confine the nucleus, and is reported (log, moment_rotation.csv at load
 * fraction 0).
 */
namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::materials
{
  /** Settings of subsection "Nucleus swelling". */
  struct NucleusSwelling
  {
    double volume_strain = 0; ///< free volumetric swelling strain J_s - 1 [-]; 0 = none

    bool present() const { return volume_strain > 0; }

    static void declare(dealii::ParameterHandler &prm);
    /** Reads subsection "Nucleus swelling". */
    void parse(dealii::ParameterHandler &prm);
  };
} // namespace bonefusion::materials
