#pragma once
/**
 * @file The unilateral layers of a model: cells whose stiffness depends on a state (open or
 * closed, slack or taut). Facet cartilage pads (compression only, or sliding joints oriented
 * inside the pad), the cage's cells that rest on an endplate (compression only, frictionless)
 * and ligament bands (tension only, fibres along their segment's axis). Which cells these are
 * and which way they face comes from the model: the facet joints' frames, the segments' disc
 * normals; nothing here assumes a global direction.
 */
#include "mechanics/cell_stiffness.h"
#include "mechanics/contact_parameters.h"
#include "mechanics/elastic_system.h"
#include "model/model.h"

#include <deal.II/grid/tria.h>

#include <vector>

namespace bonefusion::mechanics
{
  /**
   * Normal of a facet joint's real surface in the sliding-joint law, pointing from the lower
   * vertebra's superior articular facet towards the upper vertebra's inferior one: it faces
   * posteromedially at the joint's angle to the sagittal plane ('Joint angle' plus the
   * joint's per-level offset) and is tilted above the transverse plane by 'Joint
   * inclination'. A unit vector in the joint's frame. On a curved joint surface the normal
   * turns with the surface: at x, its horizontal part makes the same angle with the drawn
   * surface's normal there as it does at the joint's centre.
   */
  dealii::Tensor<1, 3> facet_joint_normal(const model::FacetJoint &joint,
                                          const FacetParameters &parameters,
                                          const dealii::Point<3> &x);
  /** The normal at the joint's centre (its frame's origin). */
  dealii::Tensor<1, 3> facet_joint_normal(const model::FacetJoint &joint,
                                          const FacetParameters &parameters);

  class ContactLayers
  {
  public:
    /** Kind of layer a cell belongs to. */
    enum Kind : unsigned char
    {
      none = 0,
      facet = 1,
      cage = 2,
      ligament = 3
    };

    /** Marks the locally owned layer cells of `tria` (material ids = model regions). */
    ContactLayers(const model::Model &model, const dealii::Triangulation<3> &tria,
                  const ContactParameters &parameters);

    /** Before surgery the cage's place is disc: its interface is not a layer then. */
    void set_cage_interface_active(bool active) { cage_active = active; }

    /** The finite-strain path switches each layer cell inside its own energy (always
     *  passed closed): a sliding cage interface cell then takes the normal-contact form of
     *  as_cage_contact() instead of a sliding plane, which has no finite-strain energy. */
    void set_finite_strain(bool on) { finite_strain = on; }

    /** Kind of cell `index` (active_cell_index; locally owned cells). */
    Kind kind(unsigned int index) const { return layer[index]; }
    /** True if cell `index` is a layer cell in the current configuration. */
    bool in_layer(unsigned int index) const;

    /** The constants of a layer cell in state `open` (open joint, slack band) from its
     *  closed-and-bonded constants c; other cells unchanged. */
    CellElasticity with_state(const CellIterator &cell, CellElasticity c, bool open) const;

    /** Normal of a compression-only layer cell (its joint layer's or endplate's). */
    dealii::Tensor<1, 3> normal(const CellIterator &cell) const;

    const ContactParameters &parameters() const { return prm; }

  private:
    const model::Model &model;
    ContactParameters prm;
    std::vector<Kind> layer;
    bool cage_active = true;
    bool finite_strain = false;

    CellElasticity as_sliding_joint(const model::FacetJoint &joint, const dealii::Point<3> &x,
                                    CellElasticity c, bool open) const;
    CellElasticity as_cage_contact(const dealii::Tensor<1, 3> &endplate_normal,
                                   CellElasticity c) const;
    CellElasticity as_tension_only_band(const dealii::Tensor<1, 3> &axis, CellElasticity c,
                                        bool slack) const;
  };
} // namespace bonefusion::mechanics
