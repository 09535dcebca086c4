#include "core/region_materials.h"

#include "core/parameters.h"

#include <algorithm>
#include <stdexcept>

namespace bonefusion::core
{
  using geometry::Region;

  RegionMaterials RegionMaterials::build(const Parameters &p,
                                         const geometry::SegmentGeometry &geometry,
                                         const std::map<Region, double> &ligament_areas)
  {
    const double cortical_drawn = geometry.cortical_thickness_used();
    const double endplate_drawn = geometry.endplate_thickness_used();
    const double facet_drawn = geometry.facet_cartilage_thickness_used();
    const auto &lib = p.materials;
    const auto &seg = p.segment;
    RegionMaterials m;
    m.resize(geometry::max_region_id);
    for (const Region r : geometry::all_regions())
      m.region_name[static_cast<unsigned int>(r)] = geometry::region_name(r);
    const auto assign = [&](const Region r, const std::string &name) {
      const unsigned int id = static_cast<unsigned int>(r);
      m.material_name[id] = name;
      m.law[id] = lib.get(name);
    };
    assign(Region::cortical, "cortical bone");
    assign(Region::cancellous, "cancellous bone");
    assign(Region::endplate, "bony endplate");
    assign(Region::annulus, "annulus");
    assign(Region::nucleus, "nucleus");
    assign(Region::posterior, "posterior elements");
    assign(Region::facet_cartilage, "facet cartilage");
    assign(Region::screw, seg.screws.material);
    assign(Region::rod, seg.rods.material);
    assign(Region::cage, seg.cage.material);
    assign(Region::graft, "bone graft");
    assign(Region::posterolateral_graft, "bone graft");
    for (const Region r : geometry::all_regions())
      if (geometry::is_ligament(r))
        {
          const std::string name = geometry::region_name(r);
          assign(r, name);
          // Same axial stiffness E*A as the real ligament, whatever the meshed band's size.
          const auto meshed = ligament_areas.find(r);
          if (meshed != ligament_areas.end() && meshed->second > 0)
            m.law[static_cast<unsigned int>(r)].youngs_modulus *=
              lib.cross_section_area(name) / meshed->second;
        }

    // Membrane-equivalent modulus of layers drawn thicker than they are.
    m.law[static_cast<unsigned int>(Region::cortical)].youngs_modulus *=
      std::min(1.0, seg.cortical_thickness / cortical_drawn);
    m.law[static_cast<unsigned int>(Region::endplate)].youngs_modulus *=
      std::min(1.0, seg.endplate_thickness / endplate_drawn);
    m.law[static_cast<unsigned int>(Region::facet_cartilage)].youngs_modulus *=
      std::max(1.0, facet_drawn / seg.facet_cartilage_thickness);

    m.choose_locking_treatment(p);
    return m;
  }

  RegionMaterials RegionMaterials::build(const Parameters &p,
                                         const std::vector<RegionMaterial> &regions)
  {
    RegionMaterials m;
    m.resize(regions.size());
    for (unsigned int k = 0; k < regions.size(); ++k)
      {
        m.region_name[k + 1] = regions[k].region;
        m.material_name[k + 1] = regions[k].material;
        m.law[k + 1] = regions[k].law;
      }
    m.choose_locking_treatment(p);
    return m;
  }

  void RegionMaterials::resize(const unsigned int n)
  {
    region_name.assign(n + 1, "");
    law.assign(n + 1, materials::LinearIsotropic());
    material_name.assign(n + 1, "");
    b_bar.assign(n + 1, false);
  }

  void RegionMaterials::choose_locking_treatment(const Parameters &p)
  {
    const std::string &locking = p.discretization.locking;
    for (unsigned int id = 1; id <= n_regions(); ++id)
      b_bar[id] = locking == "B-bar" ||
                  (locking == "auto" && law[id].poissons_ratio >= p.discretization.b_bar_threshold);
  }

  mechanics::CellElasticity RegionMaterials::elasticity(const unsigned int material_id) const
  {
    if (material_id == 0 || material_id > n_regions())
      throw std::runtime_error("cell with unknown material id " + std::to_string(material_id));
    const materials::LinearIsotropic &l = law[material_id];
    return mechanics::CellElasticity{l.mu(), l.bulk_modulus(), b_bar[material_id]};
  }
} // namespace bonefusion::core
