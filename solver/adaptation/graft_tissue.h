#pragma once
/**
 * @file The healing grafts of a model over time: which cells are graft (interbody and
 * posterolateral), the tissue fractions of each (named per-cell fields that checkpoint and
 * visualise themselves), the healing gap where a graft cell touches its host bone, the
 * mechano-regulated update from the day's loads, and the per-cell modulus it gives.
 */
#include <deal.II/grid/tria.h>

#include "adaptation/differentiation_law.h"
#include "adaptation/graft_healing.h"
#include "adaptation/graft_modulus_change.h"
#include "adaptation/healing_junction.h"
#include "materials/cell_materials.h"
#include "model/model.h"
#include "postprocess/cell_mechanics.h"
#include "state/cell_state.h"

#include <array>
#include <vector>

namespace bonefusion::adaptation
{
  class GraftTissue
  {
  public:
    /**
     * Marks the locally owned graft cells of `tria`, starts them as a freshly placed graft of
     * the settings' type, finds the healing gaps (graft cells with a face on their host bone:
     * the vertebral bodies for an interbody graft, the posterior elements for a
     * posterolateral one) and adds the fields graft_fraction_<tissue>,
     * junction_fraction_<tissue> (checkpointed), graft_tissue, junction_tissue,
     * graft_bone_fraction and graft_modulus (visualized) to `state`.
     */
    GraftTissue(const model::Model &model, const dealii::Triangulation<3> &tria,
                const GraftHealing &healing, const DifferentiationLaw &differentiation,
                const GraftHealingSettings &settings, state::CellState &state);

    /** True if cell `index` is graft. */
    bool is_graft(unsigned int index) const { return role[index]; }

    /** Cell i: effective Young's modulus [MPa] and Poisson's ratio [-] of its tissue, with the
     *  healing gap in series where the cell touches bone. */
    double modulus(unsigned int i) const;
    double poissons_ratio(unsigned int i) const;
    /** Cell i: bone volume fraction [-] (gap and graft by volume). */
    double bone_fraction(unsigned int i) const;
    /** Cell i: bone fraction that counts for bridging [-]: a junction cell bridges only when
     *  both its gap and its graft are bone (the smaller of the two). */
    double bridging_bone_fraction(unsigned int i) const;
    /** Fraction of cell i that is healing gap [-] (0 away from the host bone). */
    double gap_fraction(unsigned int i) const { return junction_fraction[i]; }
    /** Tissue state of cell i's gap and graft. */
    GraftState gap_state(unsigned int i) const;
    GraftState graft_state(unsigned int i) const;
    /** Young's modulus [MPa] of a tissue state. */
    double modulus_of(const GraftState &s) const { return healing.modulus(s); }

    /**
     * Advances every graft cell over dt [days] towards the tissue its most demanding activity
     * of the day favours (largest octahedral shear strain, as in Lacroix & Prendergast's
     * peak-load approach); gap and graft each with their own strain. Returns the relative
     * modulus changes of the locally owned graft cells.
     */
    GraftModulusChange advance(const std::vector<const std::vector<postprocess::CellMechanics> *> &day,
                   double dt);
    /** Gives every graft cell its modulus and Poisson's ratio. */
    void set_cell_materials(materials::CellMaterials &materials) const;
    /** Fills the visualized fields from the state. */
    void update_visualization();

  private:
    const dealii::Triangulation<3> &tria;
    const GraftHealing &healing;
    const DifferentiationLaw &differentiation;
    GraftHealingSettings settings;
    const model::Model &model;
    std::vector<unsigned char> role;       // 1: graft
    std::vector<double> junction_fraction; // gap volume fraction of the cell
    std::array<state::CellField *, n_tissues> graft_fractions, gap_fractions;
    state::CellField *tissue_field, *gap_tissue_field, *bone_field, *modulus_field;

    void store(unsigned int i, const GraftState &graft, const GraftState &gap);
  };
} // namespace bonefusion::adaptation
