#pragma once
/**
 * @file The elastic constants of every cell: its region's material (with the annulus' fibre
 * families oriented by the disc's outline), unless the per-cell material field gives the cell
 * its own modulus, e.g. from its bone density (remodeling, and CT later) or from the tissue a
 * healing graft has become. For the state before surgery a cell can stand for another region
 * (a screw for the bone it replaced, a cage for the nucleus) or for nothing (a rod).
 */
#include "materials/annulus_fibres.h"
#include "materials/nucleus_swelling.h"
#include "materials/region_materials.h"
#include "mechanics/elastic_system.h"
#include "model/model.h"

#include <vector>

namespace bonefusion::materials
{
  class CellMaterials
  {
  public:
    CellMaterials(const model::Model &model, const RegionMaterials &regions,
                  const AnnulusFibres &fibres, const LockingSettings &locking,
                  const NucleusSwelling &swelling = NucleusSwelling());

    /** Elastic constants of a cell (the mechanics' MaterialFunction). */
    mechanics::CellElasticity operator()(const mechanics::CellIterator &cell) const;
    /** Elastic constants of region `id` at this cell: its material, with the annulus fibres
     *  where the region is annulus and the swelling where it is nucleus. */
    mechanics::CellElasticity of_region(const mechanics::CellIterator &cell,
                                        model::RegionId id) const;
    /** This object as a MaterialFunction (it must outlive the function). */
    mechanics::MaterialFunction function() const;

    // ---- The per-cell material field, indexed by active_cell_index ----
    /** Gives cell `index` its own Young's modulus E [MPa] and Poisson's ratio nu [-] (its
     *  B-bar choice follows nu as for a region's material). The field is sized to n_cells on
     *  first use. */
    void set_cell_material(unsigned int index, unsigned int n_cells, double E, double nu);
    /** True if cell `index` has its own modulus. */
    bool has_cell_material(unsigned int index) const;
    /** Removes every per-cell modulus. */
    void clear_cell_materials();

    /** Before surgery: cell i takes the material of region stands_for[i], or for
     *  model::no_index (nothing was there) a millionth of its own. Empty = as built. */
    void set_preoperative(std::vector<int> stands_for);
    void clear_preoperative();

  private:
    const model::Model &model;
    const RegionMaterials &regions;
    AnnulusFibres fibres;
    LockingSettings locking;
    NucleusSwelling swelling;
    std::vector<double> youngs_modulus, poissons_ratio; // NaN = the region's
    std::vector<int> stands_for;
  };
} // namespace bonefusion::materials
