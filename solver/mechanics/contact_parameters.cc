#include "mechanics/contact_parameters.h"

#include <deal.II/base/parameter_handler.h>

namespace bonefusion::mechanics
{
  using namespace dealii;

  void ContactParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Facet joints");
    prm.declare_entry(
      "Contact", "bonded", Patterns::Selection("compression only|sliding joint|bonded"),
      "How the facet cartilage pads (horizontal layers between the articular processes) "
      "transmit load. bonded: the pads are tied and also carry tension (one linear solve). "
      "compression only: a pad cell that would carry tension across the horizontal pad "
      "opens (its stiffness drops to 'Open stiffness fraction') and the load case is solved "
      "again until no cell changes (active set). sliding joint: each pad holds the real, "
      "near-vertical joint surface (facing posteromedially at 'Joint angle' to the sagittal "
      "plane): it resists only the relative motion of the articular processes along that "
      "surface's normal, and only while they are pressed together, and slides freely "
      "along it; the rest of the pad (the capsule) keeps 'Capsule stiffness fraction' of the "
      "cartilage's stiffness. The choice for range-of-motion questions. Measured on intact "
      "L4-L5 with ligaments and annulus fibres at 7.5 N m (docs/model.md). [-]");
    prm.declare_entry("Joint angle", "55", Patterns::Double(0, 90),
                      "sliding joint: angle between the facet joint surface and the sagittal "
                      "plane (0 = sagittal, the joint faces medially; 90 = coronal, it faces "
                      "posteriorly); 40-56 deg at L3-L5 (Masharawi 2004). The default is "
                      "calibrated with the two below (docs/model.md). [deg]");
    prm.declare_entry("Joint inclination", "40", Patterns::Double(0, 90),
                      "sliding joint: angle of the joint normal above the horizontal plane "
                      "(0 = a vertical joint surface that extension cannot press; 90 = the "
                      "horizontal pad, pressed by vertical compression only). An effective, "
                      "calibrated angle: it stands for the curved joint surface and the "
                      "inferior articular process' tip bearing on the lower vertebra in "
                      "extension and lateral bending. On cases/l4l5_intact_rom.prm (2.5 mm, "
                      "7.5 N m, joint angle 55 deg) extension / lateral bending are 2.24 / "
                      "4.40 deg at 40 and 1.69 / 4.13 at 50 (Niosi 2006: 3.3 +- 1.5 / 3.8 +- "
                      "1.4; docs/model.md). [deg]");
    prm.declare_entry("Capsule stiffness fraction", "8e-4", Patterns::Double(0, 1),
                      "sliding joint: stiffness of the pad apart from the joint's normal "
                      "contact (the capsule holding the joint together, in every direction), "
                      "as a fraction of the facet cartilage's. Calibrated on intact L4-L5 "
                      "(docs/model.md): flexion 2.4 deg at 8e-4 and 2.5 mm voxels (Niosi "
                      "2006: 3.7 +- 1.5); a stiffer capsule stiffens flexion about four "
                      "times more than lateral bending. [-]");
    prm.declare_entry("Open stiffness fraction", "1e-3", Patterns::Double(1e-8, 1),
                      "Stiffness of an open facet cartilage cell relative to a closed one. [-]");
    prm.declare_entry("Maximum contact iterations", "20", Patterns::Integer(1, 200),
                      "Active-set iterations per load case before the run fails (facet joints "
                      "and cage interface together). [-]");
    prm.leave_subsection();

    prm.enter_subsection("Ligaments");
    prm.declare_entry(
      "Behaviour", "linear", Patterns::Selection("linear|tension only"),
      "How the ligament bands (Geometry/Ligaments) carry load. linear: isotropic solids, "
      "one linear solve, but they also carry compression, which real ligaments do not (in "
      "extension the flavum and interspinous bands then brace the segment). tension only: "
      "each band is a family of fibres along its axis (z) with the band's modulus while its "
      "mean axial strain is tensile, slack when compressed; solved as an active set together "
      "with the facet and cage contact. Parametric segment only. [-]");
    prm.declare_entry("Slack stiffness fraction", "1e-3", Patterns::Double(1e-8, 1),
                      "tension only: stiffness of a band apart from its fibres (all that is "
                      "left when it is slack), as a fraction of its isotropic stiffness. [-]");
    prm.declare_entry(
      "Finite-strain band strain", "axial strain", Patterns::Selection("axial strain|stretch"),
      "tension only, finite strain (Mechanics/Formulation): what engages and loads a band. "
      "axial strain: e . (F - I) e along the band's axis e as drawn, the small-strain "
      "measure, which reads a band that turns with the vertebrae as shortened (by 1 - cos of "
      "the turn). stretch: |F e| - 1, objective; the band pulls along its turned fibres. "
      "stretch needs 'Mechanics/Joint states = active set' (measured: with semi-smooth "
      "states the intact segment's first increment does not converge; docs/model.md). [-]");
    prm.leave_subsection();

    prm.enter_subsection("Cage interface");
    prm.declare_entry(
      "Contact", "bonded", Patterns::Selection("bonded|sliding"),
      "How the interbody cage rests on the endplates. bonded: tied to the bone (carries "
      "tension and shear; the cage as if grown on). sliding: the cage's cells next to an "
      "endplate carry compression only (they open in tension, solved as an active set like "
      "compression-only facets) and, while closed, almost no shear along the endplate "
      "(frictionless contact): the cage as placed at surgery, held only by the preload and "
      "the fixation. The graft in the window stays tied to the endplates (bone grows from "
      "them). Used by static load cases and in every step and activity of a healing run. "
      "In finite strain (Mechanics/Formulation) an interface cell resists only the approach "
      "of the cage to the endplate, with the cage's constrained modulus while pressed, and "
      "keeps 'Shear stiffness fraction' of the cage's stiffness otherwise; its state is "
      "decided inside the energy (docs/model.md). [-]");
    prm.declare_entry("Shear stiffness fraction", "1e-3", Patterns::Double(1e-8, 1),
                      "sliding: shear modulus across the endplate plane of a closed interface "
                      "cell relative to the cage material's. [-]");
    prm.declare_entry("Open stiffness fraction", "1e-3", Patterns::Double(1e-8, 1),
                      "sliding: stiffness of an open interface cell relative to a closed "
                      "one (linear formulation; in finite strain an open cell keeps the shear "
                      "stiffness fraction). [-]");
    prm.leave_subsection();
  }

  void ContactParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Facet joints");
    facets.sliding_joint = prm.get("Contact") == "sliding joint";
    facets.compression_only = facets.sliding_joint || prm.get("Contact") == "compression only";
    facets.joint_angle = prm.get_double("Joint angle");
    facets.joint_inclination = prm.get_double("Joint inclination");
    facets.capsule_fraction = prm.get_double("Capsule stiffness fraction");
    facets.open_stiffness_fraction = prm.get_double("Open stiffness fraction");
    facets.max_iterations = prm.get_integer("Maximum contact iterations");
    prm.leave_subsection();

    prm.enter_subsection("Ligaments");
    ligaments.tension_only = prm.get("Behaviour") == "tension only";
    ligaments.slack_fraction = prm.get_double("Slack stiffness fraction");
    ligaments.finite_strain_stretch = prm.get("Finite-strain band strain") == "stretch";
    prm.leave_subsection();

    prm.enter_subsection("Cage interface");
    cage_interface.sliding = prm.get("Contact") == "sliding";
    cage_interface.shear_fraction = prm.get_double("Shear stiffness fraction");
    cage_interface.open_stiffness_fraction = prm.get_double("Open stiffness fraction");
    prm.leave_subsection();
  }
} // namespace bonefusion::mechanics
