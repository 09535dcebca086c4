#include "adaptation/differentiation_law.h"

#include <deal.II/base/parameter_handler.h>

#include "adaptation/claes_heigele.h"
#include "adaptation/prendergast_lacroix.h"

#include <stdexcept>

namespace bonefusion::adaptation
{
  namespace
  {
    std::unique_ptr<DifferentiationLaw> make_prendergast_lacroix(dealii::ParameterHandler &prm)
    {
      PrendergastLacroixParameters p;
      p.reference_shear_strain = prm.get_double("Reference octahedral shear strain");
      p.resorption_limit = prm.get_double("Resorption limit");
      p.mature_bone_limit = prm.get_double("Mature bone limit");
      p.immature_bone_limit = prm.get_double("Immature bone limit");
      p.cartilage_limit = prm.get_double("Cartilage limit");
      return std::make_unique<PrendergastLacroix>(p);
    }

    std::unique_ptr<DifferentiationLaw> make_claes_heigele(dealii::ParameterHandler &prm)
    {
      ClaesHeigeleParameters p;
      p.direct_strain_limit = prm.get_double("Direct ossification strain limit");
      p.direct_pressure_limit = prm.get_double("Direct ossification pressure limit");
      p.endochondral_strain_limit = prm.get_double("Endochondral strain limit");
      return std::make_unique<ClaesHeigele>(p);
    }

    /** The factory table: every differentiation law, by the name it is selected with. */
    struct Entry
    {
      const char *name;
      std::unique_ptr<DifferentiationLaw> (*create)(dealii::ParameterHandler &);
    };
    const Entry table[] = {
      {"Prendergast-Lacroix", &make_prendergast_lacroix},
      {"Claes-Heigele", &make_claes_heigele},
    };

    std::string joined_names(const char *separator)
    {
      std::string result;
      for (const Entry &e : table)
        result += (result.empty() ? "" : separator) + std::string(e.name);
      return result;
    }
  } // namespace

  std::vector<std::string> differentiation_law_names()
  {
    std::vector<std::string> names;
    for (const Entry &e : table)
      names.emplace_back(e.name);
    return names;
  }

  void declare_differentiation_parameters(dealii::ParameterHandler &prm)
  {
    using dealii::Patterns::Double;
    prm.declare_entry("Law", table[0].name, dealii::Patterns::Selection(joined_names("|")),
                      "Mechano-regulation law: 'Prendergast-Lacroix' (octahedral shear strain, "
                      "fluid term dropped: no poroelasticity; Lacroix & Prendergast 2002) or "
                      "'Claes-Heigele' (principal strain and hydrostatic pressure; Claes & "
                      "Heigele 1999). [-]");
    prm.declare_entry("Reference octahedral shear strain", "0.0375", Double(0),
                      "a of the Prendergast stimulus S = gamma_oct / a (Lacroix & Prendergast "
                      "2002). [-]");
    prm.declare_entry("Resorption limit", "0.01", Double(0),
                      "Prendergast-Lacroix: S below this -> resorption. [-]");
    prm.declare_entry("Mature bone limit", "0.267", Double(0),
                      "Prendergast-Lacroix: S below this (and above the resorption limit) -> "
                      "mature bone. [-]");
    prm.declare_entry("Immature bone limit", "1", Double(0),
                      "Prendergast-Lacroix: S below this -> immature (woven) bone. [-]");
    prm.declare_entry("Cartilage limit", "3", Double(0),
                      "Prendergast-Lacroix: S below this -> cartilage, above -> fibrous "
                      "tissue. [-]");
    prm.declare_entry("Direct ossification strain limit", "0.05", Double(0),
                      "Claes-Heigele: largest principal strain magnitude below which bone forms "
                      "directly (with the pressure limit; approx. 5 %). [-]");
    prm.declare_entry("Direct ossification pressure limit", "0.15", Double(0),
                      "Claes-Heigele: hydrostatic pressure magnitude below which bone forms "
                      "directly; compression above it with small strain -> cartilage "
                      "(approx.). [MPa]");
    prm.declare_entry("Endochondral strain limit", "0.15", Double(0),
                      "Claes-Heigele: largest principal strain magnitude below which compressed "
                      "tissue becomes cartilage (endochondral ossification; approx. 15 %). [-]");
  }

  std::unique_ptr<DifferentiationLaw> create_differentiation_law(const std::string &name,
                                                                 dealii::ParameterHandler &prm)
  {
    for (const Entry &e : table)
      if (name == e.name)
        {
          prm.enter_subsection("Graft healing");
          try
            {
              std::unique_ptr<DifferentiationLaw> law = e.create(prm);
              prm.leave_subsection();
              return law;
            }
          catch (...)
            {
              prm.leave_subsection();
              throw;
            }
        }
    throw std::invalid_argument("unknown differentiation law '" + name +
                                "' (known: " + joined_names(", ") + ")");
  }
} // namespace bonefusion::adaptation
