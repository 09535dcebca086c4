#pragma once
/**
 * @file How the unilateral layers of a model carry load (subsections "Facet joints",
 * "Ligaments", "Cage interface"): bonded and linear by default; as contact (compression
 * only, sliding joints, sliding cage) and tension-only ligaments on request, solved as an
 * active set (active_set_solver.h).
 */
namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::mechanics
{
  /** How the facet joints transmit load. */
  struct FacetParameters
  {
    bool compression_only = false; ///< the pads open in tension (false = bonded pads)
    /** The joint surface is oriented as in the spine (near-vertical) inside the pad: it closes
     *  along its own normal only and slides freely (implies compression_only). */
    bool sliding_joint = false;
    double joint_angle = 55;               ///< joint surface to the sagittal plane [deg]
    double joint_inclination = 40;         ///< joint normal above the transverse plane [deg]
    double capsule_fraction = 8e-4;        ///< pad stiffness besides the joint / cartilage [-]
    double open_stiffness_fraction = 1e-3; ///< stiffness of an open joint cell / closed
    unsigned int max_iterations = 20;      ///< active-set iterations per load case
  };

  /**
   * How the interbody cage rests on the endplates. Bonded: tied (force and shear pass as if
   * the cage had grown onto the bone). Sliding: the cage's layer of cells next to an endplate
   * transmits compression only (it opens in tension, like the facet joints) and, while
   * closed, almost no shear across the endplate plane (a frictionless contact): the state on
   * the day of surgery, before bone has grown onto the cage.
   */
  struct CageInterfaceParameters
  {
    bool sliding = false;
    double shear_fraction = 1e-3;          ///< transverse shear modulus of the layer / mu
    double open_stiffness_fraction = 1e-3; ///< stiffness of an open layer cell / closed
  };

  /**
   * How the ligament bands carry load. Linear: isotropic solids (they also carry compression).
   * Tension only: each band is a family of fibres along its segment's axis (all four bands run
   * between the vertebrae) that carries its modulus while the band's mean axial strain is
   * tensile and goes slack when compressed, solved in the same active set as the contact
   * layers; the rest of the band keeps slack_fraction of its isotropic stiffness.
   */
  struct LigamentParameters
  {
    bool tension_only = false;
    double slack_fraction = 1e-3; ///< isotropic stiffness besides the fibres / the band's [-]
    /** Finite strain: a band's closure is its stretch |F e| - 1 (JointPlane::measures_stretch)
     *  instead of the axial strain e . (F - I) e. */
    bool finite_strain_stretch = false;
  };

  /** The three together, as the model's contact layers need them. */
  struct ContactParameters
  {
    FacetParameters facets;
    CageInterfaceParameters cage_interface;
    LigamentParameters ligaments;

    /** True if any layer is unilateral (an active set is solved). */
    bool any() const
    {
      return facets.compression_only || cage_interface.sliding || ligaments.tension_only;
    }
    static void declare_parameters(dealii::ParameterHandler &prm);
    void parse_parameters(dealii::ParameterHandler &prm);
  };
} // namespace bonefusion::mechanics
