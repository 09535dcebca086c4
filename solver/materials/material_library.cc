#include "materials/material_library.h"

#include <deal.II/base/parameter_handler.h>

#include <deal.II/base/utilities.h>

#include "io/number_text.h"
#include "loads/surface_load_case.h"

#include <stdexcept>

namespace bonefusion::materials
{
  namespace
  {
    /** One library entry: name, default E [MPa], nu, and where the numbers come from. */
    struct Entry
    {
      const char *name;
      double E;
      double nu;
      const char *source;
      bool implant;
      double area = 0; ///< real cross-section of a ligament [mm^2]; 0 for other materials
      double transition = 0;     ///< ligament: end of the toe region [-]
      double linear_modulus = 0; ///< ligament: modulus E2 beyond it [MPa]
    };

    // docs/sources.md, "Materials". Ranges quoted there as "approx." use the middle of the range.
    const std::vector<Entry> &entries()
    {
      static const std::vector<Entry> list = {
        {"cortical bone", 12000, 0.3, "Shirazi-Adl; Choi 2013 BMC MSK 14:220", false},
        {"bony endplate", 1000, 0.3, "BMC Surg 2024 PEEK-vs-Ti TLIF model", false},
        {"annulus", 4.2, 0.45, "ground substance, Choi 2013 (fibres not modelled)", false},
        {"nucleus", 1.0, 0.499, "Goel; BMC MSK 2013 (nearly incompressible)", false},
        {"posterior elements", 3500, 0.25, "Choi 2013", false},
        {"facet cartilage", 24, 0.4, "cartilage endplate/facet cartilage, BMC Surg 2024", false},
        {"bone graft", 100, 0.2, "morsellised graft as placed, BMC Surg 2024", false},
        {"granulation tissue", 0.2, 0.167, "Lacroix & Prendergast 2002", false},
        {"fibrous tissue", 2, 0.167, "Lacroix & Prendergast 2002", false},
        {"Ti-6Al-4V", 110000, 0.3, ">= 6 lumbar FE papers", true},
        {"CoCr", 220000, 0.3, "CoCrMo, approx. 210-240 GPa", true},
        {"316L", 195000, 0.3, "stainless steel, approx. 190-200 GPa", true},
        {"PEEK", 3600, 0.3, "BMC Surg 2024; BMC MSK 2013", true},
        {"CFR-PEEK", 17500, 0.35, "carbon-fibre PEEK, approx. 15-20 GPa", true},
        // Ligaments: the bilinear curves of the Goel-derived set (Choi 2013, Kuo 2010 BMC MSK
        // 11:151): toe-region modulus E1, transition strain, linear-region modulus E2, area.
        // The linear formulation uses E1 throughout. Interspinous and supraspinous are one
        // band: E1 A = 10 * 40 + 8 * 30 N, E2 A = 11.6 * 40 + 15 * 30 N, and the interspinous
        // transition (0.14; the supraspinous' is 0.20), the part that carries 75 % of the
        // pair's tension.
        {"anterior longitudinal ligament", 7.8, 0.3, "Goel set via Choi 2013", false, 63.7, 0.12,
         20},
        {"posterior longitudinal ligament", 10, 0.3, "Goel set via Choi 2013", false, 20, 0.11,
         20},
        {"ligamentum flavum", 15, 0.3, "Goel set via Choi 2013", false, 40, 0.062, 19.5},
        {"interspinous ligament", 9.14, 0.3, "interspinous + supraspinous, Goel set via Choi 2013",
         false, 70, 0.14, 13.06},
      };
      return list;
    }

    // Cancellous apparent density per bone quality [g/cm^3]. Healthy adult vertebrae 0.15-0.25
    // (Ohman-Magi review). Osteoporotic 0.10 gives E = 34 % of normal with the Morgan law,
    // matching the 34 vs 100 MPa of the osteoporotic model in Sci Rep 2025 (s41598-025-03377-x).
    double density_for_quality(const std::string &quality, const double custom)
    {
      if (quality == "normal")
        return 0.20;
      if (quality == "osteopenic")
        return 0.15;
      if (quality == "osteoporotic")
        return 0.10;
      return custom;
    }
  } // namespace

  MaterialLibrary::MaterialLibrary()
  {
    for (const Entry &e : entries())
      {
        linear[e.name] = LinearIsotropic{e.E, e.nu};
        if (e.area > 0)
          {
            areas[e.name] = e.area;
            curves[e.name] = LigamentCurve{e.transition, e.linear_modulus / e.E};
          }
      }
  }

  LigamentCurve MaterialLibrary::ligament_curve(const std::string &name) const
  {
    const auto it = curves.find(name);
    return it == curves.end() ? LigamentCurve{} : it->second;
  }

  double MaterialLibrary::cross_section_area(const std::string &name) const
  {
    const auto it = areas.find(name);
    if (it == areas.end())
      throw std::invalid_argument("material '" + name + "' has no cross-section area");
    return it->second;
  }

  void MaterialLibrary::declare_parameters(dealii::ParameterHandler &prm)
  {
    using dealii::Patterns::Double;
    prm.enter_subsection("Materials");
    for (const Entry &e : entries())
      {
        prm.enter_subsection(e.name);
        prm.declare_entry("Young's modulus", std::to_string(e.E), Double(0),
                          std::string("Young's modulus of ") + e.name + " (default: " + e.source +
                            "). [MPa]");
        prm.declare_entry("Poisson's ratio", std::to_string(e.nu), Double(-1, 0.5),
                          std::string("Poisson's ratio of ") + e.name + "; must be below 0.5. [-]");
        if (e.area > 0)
          prm.declare_entry("Cross-section area", std::to_string(e.area), Double(0),
                            std::string("Real cross-section of the ") + e.name +
                              "; the model scales the modulus of the drawn band so that its "
                              "axial stiffness E*A equals E times this area. [mm^2]");
        if (e.area > 0)
          {
            prm.declare_entry("Transition strain", io::number_text(e.transition), Double(0),
                              std::string("End of the toe region of the ") + e.name +
                                "'s bilinear tension curve; the Young's modulus above is its "
                                "toe-region modulus E1 (" +
                                e.source + "). Finite strain only. [-]");
            prm.declare_entry("Linear-region modulus", io::number_text(e.linear_modulus),
                              Double(0),
                              std::string("Modulus E2 of the ") + e.name +
                                " beyond the transition strain (" + e.source +
                                "). Finite strain only: the linear formulation keeps E1. [MPa]");
          }
        prm.leave_subsection();
      }
    prm.enter_subsection("cancellous bone");
    prm.declare_entry("Density-modulus coefficient", "4730", Double(0),
                      "Coefficient a of E = a rho^b for vertebral cancellous bone, on-axis "
                      "(Morgan, Bayraktar & Keaveny 2003 J Biomech 36:897). [MPa/(g/cm^3)^b]");
    prm.declare_entry("Density-modulus exponent", "1.56", Double(0),
                      "Exponent b of E = a rho^b (Morgan et al. 2003). [-]");
    prm.declare_entry("Poisson's ratio", "0.2", Double(-1, 0.5),
                      "Poisson's ratio of cancellous bone (Choi 2013). [-]");
    prm.leave_subsection();
    prm.leave_subsection();

    prm.enter_subsection("Patient");
    prm.declare_entry("Bone quality", "normal",
                      dealii::Patterns::Selection("normal|osteopenic|osteoporotic|custom"),
                      "Cancellous bone density class: normal 0.20, osteopenic 0.15, osteoporotic "
                      "0.10 g/cm^3 (osteoporotic also lowers cortical bone to 67 %, Sci Rep 2025); "
                      "custom uses 'Cancellous density'. [-]");
    prm.declare_entry("Cancellous density", "0.2", Double(0.01, 2.0),
                      "Apparent density of the vertebral cancellous bone, used when Bone quality "
                      "= custom; healthy adults 0.15-0.25 (Ohman-Magi review). [g/cm^3]");
    prm.leave_subsection();
  }

  void MaterialLibrary::parse_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Materials");
    for (const Entry &e : entries())
      {
        prm.enter_subsection(e.name);
        LinearIsotropic m{prm.get_double("Young's modulus"), prm.get_double("Poisson's ratio")};
        if (e.area > 0)
          {
            areas[e.name] = prm.get_double("Cross-section area");
            const double E2 = prm.get_double("Linear-region modulus");
            if (!(E2 > 0))
              throw std::invalid_argument(std::string("Materials/") + e.name +
                                          "/Linear-region modulus must be positive [MPa]");
            curves[e.name] = LigamentCurve{prm.get_double("Transition strain"),
                                           E2 / prm.get_double("Young's modulus")};
          }
        prm.leave_subsection();
        m.validate(std::string("Materials/") + e.name);
        linear[e.name] = m;
      }
    prm.enter_subsection("cancellous bone");
    density_law.coefficient = prm.get_double("Density-modulus coefficient");
    density_law.exponent = prm.get_double("Density-modulus exponent");
    cancellous_poissons_ratio = prm.get_double("Poisson's ratio");
    prm.leave_subsection();
    prm.leave_subsection();
    density_law.validate("Materials/cancellous bone");

    prm.enter_subsection("Patient");
    quality = prm.get("Bone quality");
    density = density_for_quality(quality, prm.get_double("Cancellous density"));
    prm.leave_subsection();
    if (quality == "osteoporotic")
      linear["cortical bone"].youngs_modulus *= 8040.0 / 12000.0; // Sci Rep 2025 ratio
    LinearIsotropic{density_law.modulus(density), cancellous_poissons_ratio}.validate(
      "Materials/cancellous bone");
  }

  LinearIsotropic MaterialLibrary::get(const std::string &name) const
  {
    if (name == "cancellous bone")
      return LinearIsotropic{density_law.modulus(density), cancellous_poissons_ratio};
    const auto it = linear.find(name);
    if (it == linear.end())
      {
        std::string valid;
        for (const std::string &n : names())
          valid += (valid.empty() ? "" : ", ") + n;
        throw std::invalid_argument("unknown material '" + name + "' (library: " + valid + ")");
      }
    return it->second;
  }

  LinearIsotropic MaterialLibrary::resolve(const std::string &spec, const std::string &where) const
  {
    if (has(spec))
      return get(spec);
    std::string t = spec;
    for (char &c : t)
      if (c == ',' || c == '\t')
        c = ' ';
    LinearIsotropic law;
    bool has_e = false, has_nu = false;
    for (const std::string &token : dealii::Utilities::split_string_list(t, ' '))
      {
        if (token.empty())
          continue;
        const auto eq = token.find('=');
        if (eq == std::string::npos)
          throw std::invalid_argument(where + ": unknown material '" + spec +
                                      "' (library: " + names_text() + "; or E=<MPa> nu=<->)");
        const std::string key = token.substr(0, eq), value = token.substr(eq + 1);
        const double v = loads::parse_finite_number(value, where);
        if (key == "E")
          law.youngs_modulus = v, has_e = true;
        else if (key == "nu")
          law.poissons_ratio = v, has_nu = true;
        else
          throw std::invalid_argument(where + ": unknown key '" + key + "' (E [MPa] and nu [-])");
      }
    if (!has_e || !has_nu)
      throw std::invalid_argument(where + ": give both E=<MPa> and nu=<->, or a material name");
    law.validate(where);
    return law;
  }

  std::string MaterialLibrary::names_text() const
  {
    std::string text;
    for (const std::string &n : names())
      text += (text.empty() ? "" : ", ") + n;
    return text;
  }

  bool MaterialLibrary::has(const std::string &name) const
  {
    return name == "cancellous bone" || linear.count(name) > 0;
  }

  std::vector<std::string> MaterialLibrary::names() const
  {
    std::vector<std::string> result;
    for (const Entry &e : entries())
      result.push_back(e.name);
    result.push_back("cancellous bone");
    return result;
  }

  std::vector<std::string> MaterialLibrary::implant_material_names()
  {
    std::vector<std::string> result;
    for (const Entry &e : entries())
      if (e.implant)
        result.push_back(e.name);
    return result;
  }
} // namespace bonefusion::materials
