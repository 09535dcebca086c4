#include "materials/nucleus_swelling.h"

#include <deal.II/base/parameter_handler.h>

namespace bonefusion::materials
{
  void NucleusSwelling::declare(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Nucleus swelling");
    prm.declare_entry(
      "Volume strain", "0", dealii::Patterns::Double(0, 0.2),
      "Free volumetric swelling strain of the nucleus pulposus, J_s - 1: the volume change the "
      "nucleus would take if nothing confined it (its osmotic swelling). Confined by the "
      "annulus and the endplates it becomes a pressure at rest that pre-tensions the annulus "
      "fibres; the rest pressure is printed in the log. Needs 'Mechanics/Formulation = finite "
      "strain'. 0: no swelling. [-]");
    prm.leave_subsection();
  }

  void NucleusSwelling::parse(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Nucleus swelling");
    volume_strain = prm.get_double("Volume strain");
    prm.leave_subsection();
  }
} // namespace bonefusion::materials
