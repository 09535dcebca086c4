#include "mechanics/contact_layers.h"

#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include "io/number_text.h"

#include <cmath>
#include <stdexcept>

namespace bonefusion::mechanics
{
  using model::Tissue;

  dealii::Tensor<1, 3> facet_joint_normal(const model::FacetJoint &joint,
                                          const FacetParameters &parameters)
  {
    return facet_joint_normal(joint, parameters, joint.frame.origin);
  }

  dealii::Tensor<1, 3> facet_joint_normal(const model::FacetJoint &joint,
                                          const FacetParameters &parameters,
                                          const dealii::Point<3> &x)
  {
    const double degree = dealii::numbers::PI / 180;
    const dealii::Tensor<1, 3> medial = -joint.frame.lateral, posterior = -joint.frame.anterior;
    double angle = (parameters.joint_angle + joint.angle_offset) * degree;
    if (joint.surface_radius > 0)
      {
        const dealii::Tensor<1, 3> e = joint.layer_normal(x);
        angle += std::atan2(e * posterior, e * medial) - joint.surface_angle * degree;
      }
    const double tilt = parameters.joint_inclination * degree;
    return (medial * std::cos(angle)) * std::cos(tilt) +
           (posterior * std::sin(angle)) * std::cos(tilt) + joint.frame.superior * std::sin(tilt);
  }

  ContactLayers::ContactLayers(const model::Model &m, const dealii::Triangulation<3> &tria,
                               const ContactParameters &parameters)
    : model(m)
    , prm(parameters)
    , layer(tria.n_active_cells(), none)
  {
    if (prm.facets.sliding_joint)
      for (const model::FacetJoint &joint : model.facet_joints)
        {
          const double angle = prm.facets.joint_angle + joint.angle_offset;
          if (angle < 0 || angle > 90)
            throw std::invalid_argument(
              "Facet joints/Joint angle: " + io::number_text(prm.facets.joint_angle) +
              " deg puts the " + model.segments.at(joint.segment).name + " " +
              model::side_name(joint.side) + " joint at " + io::number_text(angle) +
              " deg with its per-level offset (Geometry/Facet orientation = per level); the "
              "angle to the sagittal plane must stay within 0-90 deg [deg]");
        }
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const model::Region &r = model.regions[cell->material_id()];
          Kind &kind = layer[cell->active_cell_index()];
          if (r.tissue == Tissue::facet_cartilage && prm.facets.compression_only)
            kind = facet;
          else if (model::is_ligament(r.tissue) && prm.ligaments.tension_only)
            kind = ligament;
          else if (r.tissue == Tissue::cage && prm.cage_interface.sliding)
            {
              // The cage's cells that touch bone across a face normal to the disc: where the
              // cage rests on an endplate.
              const dealii::Tensor<1, 3> &n = model.segments.at(r.segment).disc_frame.superior;
              for (const unsigned int f : cell->face_indices())
                if (!cell->at_boundary(f) &&
                    model::is_vertebral_body(
                      model.regions[cell->neighbor(f)->material_id()].tissue) &&
                    std::abs((cell->face(f)->center() - cell->center()) * n) > 1e-9)
                  kind = cage;
            }
        }
  }

  bool ContactLayers::in_layer(const unsigned int index) const
  {
    const Kind k = layer[index];
    return k == facet || k == ligament || (k == cage && cage_active);
  }

  dealii::Tensor<1, 3> ContactLayers::normal(const CellIterator &cell) const
  {
    const model::Region &r = model.regions[cell->material_id()];
    if (const model::FacetJoint *joint = model.facet_joint_of(r.id))
      return joint->layer_normal(cell->center());
    return model.segments.at(r.segment).disc_frame.superior;
  }

  CellElasticity ContactLayers::with_state(const CellIterator &cell, CellElasticity c,
                                           const bool open) const
  {
    const unsigned int index = cell->active_cell_index();
    if (!in_layer(index))
      return c;
    const model::Region &r = model.regions[cell->material_id()];
    if (layer[index] == ligament)
      return as_tension_only_band(model.segments.at(r.segment).disc_frame.superior, c, open);
    const bool is_cage = layer[index] == cage;
    if (is_cage && finite_strain)
      return as_cage_contact(model.segments.at(r.segment).disc_frame.superior, c);
    if (!is_cage && prm.facets.sliding_joint)
      return as_sliding_joint(*model.facet_joint_of(r.id), cell->center(), c, open);
    if (open)
      {
        const double fraction =
          is_cage ? prm.cage_interface.open_stiffness_fraction : prm.facets.open_stiffness_fraction;
        c.mu *= fraction;
        c.kappa *= fraction;
      }
    else if (is_cage)
      {
        // Frictionless on the endplate: (almost) no shear across the disc's planes.
        c.sliding.normal = model.segments.at(r.segment).disc_frame.superior;
        c.sliding.shear_fraction = prm.cage_interface.shear_fraction;
      }
    return c;
  }

  CellElasticity ContactLayers::as_sliding_joint(const model::FacetJoint &joint,
                                                 const dealii::Point<3> &x, CellElasticity c,
                                                 const bool open) const
  {
    // The pad is drawn thicker than the cartilage (at least two voxels): scale its moduli so
    // that its stiffness per area, modulus / thickness, is the real layer's at any voxel size.
    const double scale = joint.drawn_thickness_ratio;
    // Closure g = A : eps is the motion of the upper (inferior articular) process relative to
    // the lower (superior articular) one along n, per pad thickness: with n the normal of the
    // lower process' joint surface, which faces posteromedially, g < 0 presses them together.
    const dealii::Tensor<1, 3> e = joint.layer_normal(x); // the drawn layer's normal
    const dealii::Tensor<1, 3> n = facet_joint_normal(joint, prm.facets, x);
    // The cartilage's constrained modulus resists the closure: a thin layer pressed across.
    const double constrained_modulus = c.kappa + 4.0 / 3.0 * c.mu;
    // g = n . du/de with the symmetric strain: 2 eps_ne for the part of n in the pad's plane
    // (the relative sliding of the pad's faces), eps_ee for the part along e (their approach).
    c.joint.across_layer(e, n);
    c.joint.stiffness = open ? 0.0 : scale * constrained_modulus;
    c.mu *= scale * prm.facets.capsule_fraction;
    c.kappa *= scale * prm.facets.capsule_fraction;
    return c;
  }

  CellElasticity ContactLayers::as_cage_contact(const dealii::Tensor<1, 3> &endplate_normal,
                                                CellElasticity c) const
  {
    // The finite-strain form of the sliding interface: the cell resists the approach of its
    // faces along the endplate's normal, g = e . (F - I) e (cell mean), with the cage's
    // constrained modulus while pressed (g <= 0) and nothing while pulled apart; everything
    // else, shear along the endplate included, keeps 'Shear stiffness fraction' of the cage.
    // The linear sliding plane keeps the cage's full stiffness in the endplate's plane too;
    // for a layer one cell thick under a stiff cage the difference is small (docs/model.md).
    const double constrained_modulus = c.kappa + 4.0 / 3.0 * c.mu;
    c.joint.across_layer(endplate_normal, endplate_normal);
    c.joint.engaged_in_tension = false;
    c.joint.stiffness = constrained_modulus;
    c.mu *= prm.cage_interface.shear_fraction;
    c.kappa *= prm.cage_interface.shear_fraction;
    // The closure has a trace, which the mean-dilatation cell cannot take; a layer of cage
    // (PEEK, titanium: nu <= 0.4) does not lock.
    c.b_bar = false;
    return c;
  }

  CellElasticity ContactLayers::as_tension_only_band(const dealii::Tensor<1, 3> &axis,
                                                     CellElasticity c, const bool slack) const
  {
    // Fibres along the segment's axis with the band's Young's modulus (its E A was matched to
    // the real ligament's at the disc mid-surface, materials/region_materials.h), engaged
    // while stretched.
    const double young = 9 * c.kappa * c.mu / (3 * c.kappa + c.mu);
    c.joint.along(axis);
    c.joint.engaged_in_tension = true;
    c.joint.measures_stretch = prm.ligaments.finite_strain_stretch;
    c.joint.stiffness = slack ? 0.0 : young;
    c.mu *= prm.ligaments.slack_fraction;
    c.kappa *= prm.ligaments.slack_fraction;
    return c;
  }
} // namespace bonefusion::mechanics
