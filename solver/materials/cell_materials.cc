#include "materials/cell_materials.h"

#include <cmath>
#include <limits>

namespace bonefusion::materials
{
  CellMaterials::CellMaterials(const model::Model &m, const RegionMaterials &r,
                               const AnnulusFibres &f, const LockingSettings &l,
                               const NucleusSwelling &s)
    : model(m)
    , regions(r)
    , fibres(f)
    , locking(l)
    , swelling(s)
  {
  }

  mechanics::CellElasticity CellMaterials::of_region(const mechanics::CellIterator &cell,
                                                     const model::RegionId id) const
  {
    mechanics::CellElasticity c = regions.elasticity(id);
    const model::Region &region = model.regions[id];
    if (region.tissue == model::Tissue::nucleus)
      c.swelling = swelling.volume_strain;
    if (fibres.present && region.tissue == model::Tissue::annulus &&
        region.segment != model::no_index)
      {
        // The plies follow the disc's outline, in the disc's own frame.
        const model::MotionSegment &segment = model.segments[region.segment];
        const dealii::Point<3> p = segment.disc_frame.to_local(cell->center());
        double a, b;
        segment.disc.semi_axes(p[2], a, b);
        const double depth = segment.disc.annulus_depth(p);
        const auto local = fibres.directions(p, a, b, segment.disc.outline_exponent, depth);
        for (unsigned int f = 0; f < 2; ++f)
          {
            const dealii::Tensor<1, 3> d = segment.disc_frame.vector_to_global(local[f]);
            c.fibres[f].projector = dealii::symmetrize(dealii::outer_product(d, d));
            c.fibres[f].stiffness = fibres.stiffness_per_family(depth);
            c.fibres[f].tension_only = fibres.tension_only;
            c.fibres[f].stiffening = fibres.stiffening;
          }
      }
    return c;
  }

  mechanics::CellElasticity CellMaterials::operator()(const mechanics::CellIterator &cell) const
  {
    const unsigned int i = cell->active_cell_index();
    model::RegionId id = cell->material_id();
    if (!stands_for.empty())
      {
        if (stands_for[i] == model::no_index)
          {
            // Nothing was there: a placeholder that carries (almost) nothing.
            mechanics::CellElasticity c = regions.elasticity(id);
            c.mu *= 1e-6;
            c.kappa *= 1e-6;
            return c;
          }
        id = stands_for[i];
      }
    if (has_cell_material(i))
      {
        const double E = youngs_modulus[i], nu = poissons_ratio[i];
        return mechanics::CellElasticity{E / (2 * (1 + nu)), E / (3 * (1 - 2 * nu)),
                                         locking.b_bar(nu)};
      }
    return of_region(cell, id);
  }

  mechanics::MaterialFunction CellMaterials::function() const
  {
    return [this](const mechanics::CellIterator &cell) { return (*this)(cell); };
  }

  void CellMaterials::set_cell_material(const unsigned int index, const unsigned int n_cells,
                                        const double E, const double nu)
  {
    if (youngs_modulus.size() != n_cells)
      {
        youngs_modulus.assign(n_cells, std::numeric_limits<double>::quiet_NaN());
        poissons_ratio.assign(n_cells, std::numeric_limits<double>::quiet_NaN());
      }
    youngs_modulus[index] = E;
    poissons_ratio[index] = nu;
  }

  bool CellMaterials::has_cell_material(const unsigned int index) const
  {
    return index < youngs_modulus.size() && !std::isnan(youngs_modulus[index]);
  }

  void CellMaterials::clear_cell_materials()
  {
    youngs_modulus.clear();
    poissons_ratio.clear();
  }

  void CellMaterials::set_preoperative(std::vector<int> s)
  {
    stands_for = std::move(s);
  }

  void CellMaterials::clear_preoperative()
  {
    stands_for.clear();
  }
} // namespace bonefusion::materials
