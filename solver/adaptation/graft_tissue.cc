#include "adaptation/graft_tissue.h"

#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include <algorithm>
#include <cmath>

namespace bonefusion::adaptation
{
  GraftTissue::GraftTissue(const model::Model &model, const dealii::Triangulation<3> &t,
                           const GraftHealing &h, const DifferentiationLaw &d,
                           const GraftHealingSettings &s, state::CellState &state)
    : tria(t)
    , healing(h)
    , differentiation(d)
    , settings(s)
    , model(model)
  {
    const unsigned int n = tria.n_active_cells();
    role.assign(n, 0);
    junction_fraction.assign(n, 0.0);
    const GraftState start = healing.initial_state(settings.graft_type);
    // The gap between graft and bone holds haematoma / granulation tissue at surgery.
    const GraftState gap_start{};
    for (unsigned int k = 0; k < n_tissues; ++k)
      graft_fractions[k] = &state.add("graft_fraction_" + tissue_name(static_cast<Tissue>(k)), "-",
                                      n, start.fraction[k], true, false);
    for (unsigned int k = 0; k < n_tissues; ++k)
      gap_fractions[k] = &state.add("junction_fraction_" + tissue_name(static_cast<Tissue>(k)), "-",
                                    n, gap_start.fraction[k], true, false);
    // -1 outside the graft, so that views can tell the graft's granulation tissue (0) from
    // the rest of the model.
    tissue_field = &state.add("graft_tissue", "adaptation::Tissue", n, -1.0, false, true);
    gap_tissue_field = &state.add("junction_tissue", "adaptation::Tissue", n, -1.0, false, true);
    bone_field = &state.add("graft_bone_fraction", "-", n, -1.0, false, true);
    modulus_field = &state.add("graft_modulus", "MPa", n, 0.0, false, true);

    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && model::is_graft(model.regions[cell->material_id()].tissue))
        role[cell->active_cell_index()] = 1;

    const HealingJunction &junction = settings.junction;
    if (!junction.active())
      return;
    // The host bone a graft heals onto: the bodies' endplates (and shell or core, should a
    // graft cell touch them) for the interbody graft, the posterior elements for the
    // posterolateral graft.
    const auto is_host = [&model](const model::RegionId graft, const model::RegionId other) {
      const model::Tissue host = model.regions[other].tissue;
      if (model.regions[graft].tissue == model::Tissue::posterolateral_graft)
        return host == model::Tissue::posterior;
      return model::is_vertebral_body(host);
    };
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && role[cell->active_cell_index()])
        for (const unsigned int f : cell->face_indices())
          if (!cell->at_boundary(f) &&
              is_host(cell->material_id(), cell->neighbor(f)->material_id()))
            {
              // Voxel cells: faces 2k and 2k+1 are normal to axis k.
              double &phi = junction_fraction[cell->active_cell_index()];
              phi = std::max(phi, junction.gap_fraction(cell->extent_in_direction(f / 2)));
            }
  }

  GraftState GraftTissue::graft_state(const unsigned int i) const
  {
    GraftState s;
    for (unsigned int k = 0; k < n_tissues; ++k)
      s.fraction[k] = graft_fractions[k]->values[i];
    return s;
  }

  GraftState GraftTissue::gap_state(const unsigned int i) const
  {
    GraftState s;
    for (unsigned int k = 0; k < n_tissues; ++k)
      s.fraction[k] = gap_fractions[k]->values[i];
    return s;
  }

  void GraftTissue::store(const unsigned int i, const GraftState &graft, const GraftState &gap)
  {
    for (unsigned int k = 0; k < n_tissues; ++k)
      {
        graft_fractions[k]->values[i] = graft.fraction[k];
        gap_fractions[k]->values[i] = gap.fraction[k];
      }
  }

  double GraftTissue::modulus(const unsigned int i) const
  {
    const double graft = healing.modulus(graft_state(i));
    if (junction_fraction[i] == 0)
      return graft;
    return HealingJunction::series_modulus(healing.modulus(gap_state(i)), graft,
                                           junction_fraction[i]);
  }

  double GraftTissue::poissons_ratio(const unsigned int i) const
  {
    const double phi = junction_fraction[i];
    return phi * healing.poissons_ratio(gap_state(i)) +
           (1 - phi) * healing.poissons_ratio(graft_state(i));
  }

  double GraftTissue::bone_fraction(const unsigned int i) const
  {
    const double phi = junction_fraction[i];
    return phi * GraftHealing::bone_fraction(gap_state(i)) +
           (1 - phi) * GraftHealing::bone_fraction(graft_state(i));
  }

  double GraftTissue::bridging_bone_fraction(const unsigned int i) const
  {
    const double graft = GraftHealing::bone_fraction(graft_state(i));
    if (junction_fraction[i] == 0)
      return graft;
    return std::min(graft, GraftHealing::bone_fraction(gap_state(i)));
  }

  GraftModulusChange
  GraftTissue::advance(const std::vector<const std::vector<postprocess::CellMechanics> *> &day,
                       const double dt)
  {
    GraftModulusChange change(model.regions.size());
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && role[cell->active_cell_index()])
        {
          const unsigned int i = cell->active_cell_index();
          // The most demanding activity of the day decides the tissue (largest octahedral
          // shear strain), as in Lacroix & Prendergast's peak-load approach.
          const postprocess::CellMechanics *worst = nullptr;
          for (const auto *cells : day)
            if (worst == nullptr ||
                (*cells)[i].octahedral_shear_strain > worst->octahedral_shear_strain)
              worst = &(*cells)[i];
          const TissueMechanics m{worst->octahedral_shear_strain, worst->max_principal_strain,
                                  worst->pressure};
          const double E = modulus(i);
          GraftState graft = graft_state(i), gap = gap_state(i);
          const GraftType type = settings.graft_type;
          if (junction_fraction[i] > 0)
            {
              // Gap and graft each differentiate with their own strain (same stress).
              const double E_gap = healing.modulus(gap);
              const double E_graft = healing.modulus(graft);
              healing.advance(gap,
                              differentiation.target(HealingJunction::layer_mechanics(m, E, E_gap)),
                              dt, type);
              healing.advance(
                graft, differentiation.target(HealingJunction::layer_mechanics(m, E, E_graft)), dt,
                type);
            }
          else
            healing.advance(graft, differentiation.target(m), dt, type);
          store(i, graft, gap);
          change.add(cell->material_id(), cell->measure(), E, modulus(i));
        }
    return change;
  }

  void GraftTissue::set_cell_materials(materials::CellMaterials &materials) const
  {
    const unsigned int n = tria.n_active_cells();
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && role[cell->active_cell_index()])
        {
          const unsigned int i = cell->active_cell_index();
          materials.set_cell_material(i, n, modulus(i), poissons_ratio(i));
        }
  }

  void GraftTissue::update_visualization()
  {
    const auto dominant = [](const GraftState &state) {
      return static_cast<double>(std::max_element(state.fraction.begin(), state.fraction.end()) -
                                 state.fraction.begin());
    };
    for (unsigned int i = 0; i < role.size(); ++i)
      if (role[i])
        {
          // The dominant tissue, numbered as adaptation::Tissue (0 granulation ... 4 mature
          // bone, 5 resorption); the healing gap's where the graft touches bone.
          tissue_field->values[i] = dominant(graft_state(i));
          gap_tissue_field->values[i] = junction_fraction[i] > 0 ? dominant(gap_state(i)) : -1.0;
          bone_field->values[i] = bone_fraction(i);
          modulus_field->values[i] = modulus(i);
        }
  }
} // namespace bonefusion::adaptation
