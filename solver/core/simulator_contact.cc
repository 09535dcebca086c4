// The Simulator's unilateral contact layers: compression-only or sliding facet joints, the
// sliding cage-endplate interface and tension-only ligament bands. All are layers of cells whose
// stiffness depends on their state (open or closed, slack or taut); each load (a static load
// case, or one activity of one day in a healing run) is solved with its own active set.
#include <deal.II/base/timer.h>

#include "core/simulator.h"
#include "geometry/segment_geometry.h"
#include "mechanics/unilateral_contact.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

namespace bonefusion::core
{
  using geometry::Region;

  namespace
  {
    constexpr unsigned char no_layer = 0, facet_layer = 1, cage_layer = 2, ligament_layer = 3;

    bool is_bone(const unsigned int id)
    {
      return id == static_cast<unsigned int>(Region::cortical) ||
             id == static_cast<unsigned int>(Region::cancellous) ||
             id == static_cast<unsigned int>(Region::endplate);
    }
  } // namespace

  mechanics::MaterialFunction Simulator::region_material() const
  {
    return [this](const mechanics::CellIterator &cell) {
      return region_elasticity(cell, cell->material_id());
    };
  }

  void Simulator::identify_contact_layers()
  {
    contact_layer.assign(triangulation->n_active_cells(), no_layer);
    if (prm.geometry.from_mesh_file)
      {
        // Imported meshes name no facet pads or cage seats: say so rather than ignore it.
        if (prm.facets.compression_only || prm.cage_interface.sliding || prm.ligaments.tension_only)
          log << "Note: 'Facet joints/Contact', 'Cage interface/Contact' and 'Ligaments/"
                 "Behaviour' act on the parametric segment only; the imported mesh's regions "
                 "stay bonded and linear."
              << std::endl;
        return;
      }
    // The cage's cells that touch bone across a face: where the cage rests on an endplate.
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int id = cell->material_id();
          unsigned char &layer = contact_layer[cell->active_cell_index()];
          if (id == static_cast<unsigned int>(Region::facet_cartilage) &&
              prm.facets.compression_only)
            layer = facet_layer;
          else if (geometry::is_ligament(static_cast<Region>(id)) && prm.ligaments.tension_only)
            layer = ligament_layer;
          else if (id == static_cast<unsigned int>(Region::cage) && prm.cage_interface.sliding)
            for (const unsigned int f : cell->face_indices())
              if (!cell->at_boundary(f) && is_bone(cell->neighbor(f)->material_id()) &&
                  std::abs(cell->face(f)->center()[2] - cell->center()[2]) > 1e-9)
                layer = cage_layer;
        }
  }

  bool Simulator::in_contact_layer(const unsigned int cell_index) const
  {
    // Before surgery the cage's place is disc: no interface there (the facets stay).
    const unsigned char layer = contact_layer[cell_index];
    return layer == facet_layer || layer == ligament_layer ||
           (layer == cage_layer && !pre_operative);
  }

  mechanics::CellElasticity Simulator::with_contact_state(const mechanics::CellIterator &cell,
                                                          mechanics::CellElasticity c,
                                                          const bool open) const
  {
    if (!in_contact_layer(cell->active_cell_index()))
      return c;
    const bool cage = contact_layer[cell->active_cell_index()] == cage_layer;
    if (contact_layer[cell->active_cell_index()] == ligament_layer)
      return as_tension_only_band(c, open);
    if (!cage && prm.facets.sliding_joint)
      return as_sliding_joint(cell, c, open);
    if (open)
      {
        const double fraction =
          cage ? prm.cage_interface.open_stiffness_fraction : prm.facets.open_stiffness_fraction;
        c.mu *= fraction;
        c.kappa *= fraction;
      }
    else if (cage)
      {
        // The endplates are horizontal in the voxel model.
        c.sliding.normal = dealii::Tensor<1, 3>({0.0, 0.0, 1.0});
        c.sliding.shear_fraction = prm.cage_interface.shear_fraction;
      }
    return c;
  }

  mechanics::CellElasticity Simulator::as_sliding_joint(const mechanics::CellIterator &cell,
                                                        mechanics::CellElasticity c,
                                                        const bool open) const
  {
    // The pad is drawn thicker than the cartilage (at least two voxels): scale its moduli so
    // that its stiffness per area, modulus / thickness, is the real layer's at any voxel size.
    const double scale =
      geometry->facet_cartilage_thickness_used() / prm.segment.facet_cartilage_thickness;
    // Closure g = A : eps is the motion of the upper (inferior articular) process relative to
    // the lower (superior articular) one along n, per pad thickness: with n the normal of the
    // lower process' joint surface, which faces posteromedially, g < 0 presses them together.
    const double side = cell->center()[0] < 0 ? -1.0 : 1.0; // x: left -> right
    const double degree = dealii::numbers::PI / 180;
    const double angle = prm.facets.joint_angle * degree;
    const double tilt = prm.facets.joint_inclination * degree;
    const dealii::Tensor<1, 3> e({0.0, 0.0, 1.0}); // the pad is horizontal
    // The joint normal: horizontal, posteromedial, tilted up by the inclination.
    const dealii::Tensor<1, 3> n({-side * std::cos(angle) * std::cos(tilt),
                                  -std::sin(angle) * std::cos(tilt), std::sin(tilt)});
    // The cartilage's constrained modulus resists the closure: a thin layer pressed across.
    const double constrained_modulus = c.kappa + 4.0 / 3.0 * c.mu;
    // g = n . du/dz with the symmetric strain: 2 eps_nz for the horizontal part of n (the
    // relative sliding of the pad's faces), eps_zz for the vertical part (their approach).
    const dealii::Tensor<1, 3> horizontal({n[0], n[1], 0.0});
    c.joint.opening = 2.0 * dealii::symmetrize(dealii::outer_product(horizontal, e)) +
                      n[2] * dealii::symmetrize(dealii::outer_product(e, e));
    c.joint.stiffness = open ? 0.0 : scale * constrained_modulus;
    c.mu *= scale * prm.facets.capsule_fraction;
    c.kappa *= scale * prm.facets.capsule_fraction;
    return c;
  }

  mechanics::CellElasticity Simulator::as_tension_only_band(mechanics::CellElasticity c,
                                                            const bool slack) const
  {
    // Fibres along z with the band's Young's modulus (its E A was matched to the real
    // ligament's at the disc mid-plane, core/region_materials.cc), engaged while stretched.
    const double young = 9 * c.kappa * c.mu / (3 * c.kappa + c.mu);
    const dealii::Tensor<1, 3> z({0.0, 0.0, 1.0});
    c.joint.opening = dealii::symmetrize(dealii::outer_product(z, z));
    c.joint.engaged_in_tension = true;
    c.joint.stiffness = slack ? 0.0 : young;
    c.mu *= prm.ligaments.slack_fraction;
    c.kappa *= prm.ligaments.slack_fraction;
    return c;
  }

  void Simulator::assemble_for_contact_state(const mechanics::MaterialFunction &base,
                                             const std::vector<unsigned char> &open)
  {
    dealii::Timer timer;
    assembled_open = open;
    // The system keeps the function for its stresses: it holds copies, not references.
    system->assemble([this, base](const mechanics::CellIterator &cell) {
      return with_contact_state(cell, base(cell), assembled_open[cell->active_cell_index()]);
    });
    assembly_seconds += timer.wall_time();
    preconditioner_seconds += system->build_preconditioner(prm.solver.amg);
    matrix_is_current = true;
  }

  std::uint64_t Simulator::active_set_hash(const std::vector<unsigned char> &open) const
  {
    // Sum of a mixed hash of each open cell's centre: independent of the partition.
    std::uint64_t h = 0;
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned() && open[cell->active_cell_index()])
        {
          std::uint64_t x = 1469598103934665603ull;
          for (unsigned int d = 0; d < 3; ++d)
            {
              x ^= static_cast<std::uint64_t>(std::llround(cell->center()[d] * 1e3));
              x *= 1099511628211ull;
            }
          h += x;
        }
    return dealii::Utilities::MPI::sum(h, mpi);
  }

  Simulator::ContactSolve Simulator::solve_with_contact(const mechanics::MaterialFunction &base,
                                                        const mechanics::Vector &rhs,
                                                        mechanics::Vector &solution,
                                                        std::vector<unsigned char> &open,
                                                        const bool warm)
  {
    const unsigned int n = triangulation->n_active_cells();
    if (open.size() != n)
      open.assign(n, 0);
    bool layers = false;
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned() && in_contact_layer(cell->active_cell_index()))
        {
          layers = true;
          break;
        }
    const bool any_layers = dealii::Utilities::MPI::logical_or(layers, mpi);
    ContactSolve result;
    const auto closed = [&](const mechanics::CellIterator &cell) {
      return with_contact_state(cell, base(cell), false);
    };
    const auto in_layer = [this](const mechanics::CellIterator &cell) {
      return in_contact_layer(cell->active_cell_index());
    };
    // Active sets seen so far (a hash of the open cells' positions, the same on any number of
    // ranks). A cell-wise active set can cycle (a few cells opening and closing in turn); once
    // a set repeats, cells may only open, so the iteration ends with the cycle's cells open.
    std::set<std::uint64_t> seen;
    bool cycling = false;
    for (unsigned int it = 0;; ++it)
      {
        // Each rank knows only its own cells' states; assembly is collective.
        if (dealii::Utilities::MPI::logical_or(
              !matrix_is_current || (any_layers && open != assembled_open), mpi))
          assemble_for_contact_state(base, open);
        // Later contact iterations start from the last answer (the tolerance is relative to
        // the load, so the answer does not depend on the start).
        const mechanics::SolveReport r = system->solve(rhs, solution, prm.solver.tolerance,
                                                       prm.solver.max_iterations, warm || it > 0);
        result.report.iterations += r.iterations;
        result.report.seconds += r.seconds;
        result.report.initial_residual = r.initial_residual;
        result.report.final_residual = r.final_residual;
        if (!any_layers)
          break;
        ++result.iterations;
        cycling = cycling || !seen.insert(active_set_hash(open)).second;
        const unsigned long changed =
          mechanics::update_open_cells(*system, solution, in_layer, closed, open,
                                       !cycling && 2 * (it + 1) < prm.facets.max_iterations);
        if (changed == 0)
          break;
        if (it + 1 >= prm.facets.max_iterations)
          throw std::runtime_error(
            "contact (facet joints / cage interface) did not settle after " +
            std::to_string(prm.facets.max_iterations) + " iterations (" + std::to_string(changed) +
            " cells still changing); raise 'Facet joints/Maximum contact iterations' or use "
            "bonded contact");
        // The AMG hierarchy is rebuilt for the new active set: reusing the bonded matrix's
        // hierarchy was measured at 5-15x more CG iterations (690-2260 instead of ~130) once
        // facet joints open.
      }
    unsigned long counts[4] = {0, 0, 0, 0}; // open cells per layer kind
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned() && open[cell->active_cell_index()] &&
          in_contact_layer(cell->active_cell_index()))
        counts[contact_layer[cell->active_cell_index()]] += 1;
    result.open_facet_cells = dealii::Utilities::MPI::sum(counts[facet_layer], mpi);
    result.open_cage_cells = dealii::Utilities::MPI::sum(counts[cage_layer], mpi);
    result.slack_ligament_cells = dealii::Utilities::MPI::sum(counts[ligament_layer], mpi);
    result.cycled = cycling;
    return result;
  }
} // namespace bonefusion::core
