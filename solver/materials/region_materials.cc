#include "materials/region_materials.h"

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/utilities.h>

#include <stdexcept>

namespace bonefusion::materials
{
  using model::Tissue;

  namespace
  {
    /** Default material of each tissue kind (library names, material_library.cc). */
    const std::vector<std::pair<Tissue, const char *>> &defaults()
    {
      static const std::vector<std::pair<Tissue, const char *>> list = {
        {Tissue::cortical, "cortical bone"},
        {Tissue::cancellous, "cancellous bone"},
        {Tissue::endplate, "bony endplate"},
        {Tissue::annulus, "annulus"},
        {Tissue::nucleus, "nucleus"},
        {Tissue::posterior, "posterior elements"},
        {Tissue::facet_cartilage, "facet cartilage"},
        {Tissue::graft, "bone graft"},
        {Tissue::posterolateral_graft, "bone graft"},
        {Tissue::anterior_ligament, "anterior longitudinal ligament"},
        {Tissue::posterior_ligament, "posterior longitudinal ligament"},
        {Tissue::ligamentum_flavum, "ligamentum flavum"},
        {Tissue::interspinous_ligament, "interspinous ligament"},
        {Tissue::screw_halo, "fibrous tissue"},
      };
      return list;
    }
  } // namespace

  RegionMaterialParameters::RegionMaterialParameters()
  {
    for (const auto &[tissue, name] : defaults())
      by_tissue[tissue] = name;
  }

  void RegionMaterialParameters::declare_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Region materials");
    for (const auto &[tissue, name] : defaults())
      prm.declare_entry(model::tissue_name(tissue), name, dealii::Patterns::Anything(),
                        "Material of every " + model::tissue_name(tissue) +
                          " region of the parametric anatomy: a name from subsection "
                          "'Materials'. [-]");
    prm.declare_entry(
      "Overrides", "", dealii::Patterns::Anything(),
      "Materials of single regions, 'REGION: material; REGION: material', by the region names "
      "of regions.csv (e.g. 'L5 cancellous: E=60 nu=0.2; L4-L5 annulus: nucleus'); material "
      "is a name from 'Materials' or 'E=<MPa> nu=<->'. Applied after the tissue defaults "
      "above and the implants' own materials; layers drawn thicker than they are keep their "
      "stiffness scaling. [-]");
    prm.leave_subsection();
  }

  void RegionMaterialParameters::parse_parameters(dealii::ParameterHandler &prm,
                                                  const MaterialLibrary &library)
  {
    prm.enter_subsection("Region materials");
    for (const auto &[tissue, name] : defaults())
      by_tissue[tissue] = dealii::Utilities::trim(prm.get(model::tissue_name(tissue)));
    const std::string text = prm.get("Overrides");
    prm.leave_subsection();
    for (const auto &[tissue, name] : by_tissue)
      if (!library.has(name))
        throw std::invalid_argument("Region materials/" + model::tissue_name(tissue) +
                                    ": unknown material '" + name +
                                    "' (library: " + library.names_text() + ")");
    overrides.clear();
    for (const std::string &entry : dealii::Utilities::split_string_list(text, ';'))
      {
        const auto colon = entry.find(':');
        const std::string region =
          colon == std::string::npos ? "" : dealii::Utilities::trim(entry.substr(0, colon));
        const std::string material =
          colon == std::string::npos ? "" : dealii::Utilities::trim(entry.substr(colon + 1));
        if (region.empty() || material.empty())
          throw std::invalid_argument("Region materials/Overrides: '" + entry +
                                      "' should read 'REGION: material'");
        for (const auto &o : overrides)
          if (o.first == region)
            throw std::invalid_argument("Region materials/Overrides (" + region +
                                        "): the region is listed twice");
        // Checks the material now (name or constants); the region when the model is built.
        library.resolve(material, "Region materials/Overrides (" + region + ")");
        overrides.emplace_back(region, material);
      }
  }

  RegionMaterials RegionMaterials::assign(model::Model &model, const MaterialLibrary &library,
                                          const RegionMaterialParameters &parameters,
                                          const LockingSettings &locking,
                                          const std::function<double(const model::Region &)> &scale)
  {
    RegionMaterials m;
    m.entries.resize(model.regions.size() + 1);
    for (model::Region &r : model.regions.all())
      {
        if (r.material.empty())
          {
            const auto it = parameters.by_tissue.find(r.tissue);
            if (it == parameters.by_tissue.end())
              throw std::logic_error("region '" + r.name + "' has no material");
            r.material = it->second;
          }
        for (const auto &[region, material] : parameters.overrides)
          if (region == r.name)
            r.material = material;
      }
    for (const auto &[region, material] : parameters.overrides)
      if (!model.regions.has(region))
        {
          std::string names;
          for (const model::Region &r : model.regions.all())
            names += (names.empty() ? "" : ", ") + r.name;
          throw std::invalid_argument("Region materials/Overrides: this model has no region '" +
                                      region + "' (regions: " + names + ")");
        }
    for (const model::Region &r : model.regions.all())
      {
        Entry &e = m.entries[r.id];
        e.material = r.material;
        e.law = library.resolve(r.material, "Region materials (" + r.name + ")");
        // Layers drawn thicker than they are (shells, cartilage pads, ligament bands) keep
        // the real layer's stiffness.
        const double factor = scale ? scale(r) : 1.0;
        if (factor != 1.0)
          e.law.youngs_modulus *= factor;
        e.b_bar = locking.b_bar(e.law.poissons_ratio);
        e.curve = library.ligament_curve(r.material);
      }
    return m;
  }

  RegionMaterials RegionMaterials::assign_given(const model::Model &model,
                                                const std::vector<LinearIsotropic> &laws,
                                                const LockingSettings &locking)
  {
    RegionMaterials m;
    m.entries.resize(model.regions.size() + 1);
    for (const model::Region &r : model.regions.all())
      {
        Entry &e = m.entries[r.id];
        e.material = r.material;
        e.law = laws.at(r.id - 1);
        e.b_bar = locking.b_bar(e.law.poissons_ratio);
      }
    return m;
  }

  const RegionMaterials::Entry &RegionMaterials::operator[](const model::RegionId id) const
  {
    if (id == 0 || id > n_regions())
      throw std::runtime_error("cell with unknown material id " + std::to_string(id));
    return entries[id];
  }

  mechanics::CellElasticity RegionMaterials::elasticity(const model::RegionId id) const
  {
    const Entry &e = (*this)[id];
    mechanics::CellElasticity c{e.law.mu(), e.law.bulk_modulus(), e.b_bar};
    // Used only if the contact layers make the cell a tension-only band.
    c.joint.transition_strain = e.curve.transition_strain;
    c.joint.linear_region_ratio = e.curve.linear_region_ratio;
    return c;
  }
} // namespace bonefusion::materials
