#include "adaptation/bone_remodeling.h"

#include <deal.II/base/mpi.h>
#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include "adaptation/stimulus_filter.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace bonefusion::adaptation
{
  BoneRemodeling::BoneRemodeling(const model::Model &m, const dealii::Triangulation<3> &t,
                                 const RemodelingLaw &l, const RemodelingSettings &s,
                                 const double initial_density, const double poissons_ratio,
                                 state::CellState &state, MPI_Comm comm)
    : model(m)
    , tria(t)
    , law(l)
    , settings(s)
    , rho0(initial_density)
    , nu(poissons_ratio)
    , mpi(comm)
    , role(t.n_active_cells(), 0)
    , density_field(state.add("bone_density", "g/cm^3", t.n_active_cells(), 0.0, true, true))
    , reference(state.add("reference_stimulus", "law's unit", t.n_active_cells(), 0.0, true, false))
    , change_field(state.add("density_change_percent", "%", t.n_active_cells(), 0.0, false, true))
    , stimulus_field(
        state.add("remodeling_stimulus", "law's unit", t.n_active_cells(), 0.0, false, true))
  {
    const unsigned int n = tria.n_active_cells();
    stimulus.assign(n, 0.0);
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() &&
          model.regions[cell->material_id()].tissue == model::Tissue::cancellous)
        {
          role[cell->active_cell_index()] = 1;
          density_field.values[cell->active_cell_index()] = rho0;
        }

    // Bone near the screws and under the endplates that face a disc: cancellous cells within
    // `reach` of a screw cell or of such an endplate cell (stress-shielding statistics).
    // 3 mm, and at least one cell beyond the neighbouring one on coarse meshes.
    double h = 0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        h = std::max(h, cell->extent_in_direction(0));
    const double reach = std::max(3.0, 1.5 * dealii::Utilities::MPI::max(h, mpi)); // [mm]
    const auto centres_of =
      [&](const std::function<bool(const dealii::Point<3> &, const model::Region &)> &in) {
        std::vector<dealii::Point<3>> mine;
        for (const auto &cell : tria.active_cell_iterators())
          if (cell->is_locally_owned() && in(cell->center(), model.regions[cell->material_id()]))
            mine.push_back(cell->center());
        std::vector<dealii::Point<3>> all;
        for (const auto &part : dealii::Utilities::MPI::all_gather(mpi, mine))
          all.insert(all.end(), part.begin(), part.end());
        return all;
      };
    const auto screws = centres_of([](const dealii::Point<3> &, const model::Region &r) {
      return r.tissue == model::Tissue::screw;
    });
    const auto endplates = centres_of([&](const dealii::Point<3> &p, const model::Region &r) {
      if (r.tissue != model::Tissue::endplate)
        return false;
      for (const model::MotionSegment &s : model.segments)
        if (std::abs(s.disc_frame.height_of(p)) < s.disc.height / 2 + reach)
          return true;
      return false;
    });
    const auto near = [&](const dealii::Point<3> &p, const std::vector<dealii::Point<3>> &set) {
      return std::any_of(set.begin(), set.end(), [&](const dealii::Point<3> &q) {
        return p.distance_square(q) < reach * reach;
      });
    };
    near_screws.assign(n, 0);
    under_endplates.assign(n, 0);
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && role[cell->active_cell_index()])
        {
          near_screws[cell->active_cell_index()] = near(cell->center(), screws);
          under_endplates[cell->active_cell_index()] = near(cell->center(), endplates);
        }
  }

  void BoneRemodeling::update_stimulus(const DayOfLoads &day, const StimulusFilter &filter,
                                       const bool preoperative)
  {
    // Normalised smoothing: only bone cells contribute, so the stimulus does not bleed in
    // from implants and soft tissue at the bone's boundary.
    const unsigned int n = tria.n_active_cells();
    std::vector<double> weighted(n, 0.0);
    std::vector<DailyLoad> loads(day.cells.size());
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && role[cell->active_cell_index()])
        {
          const unsigned int i = cell->active_cell_index();
          for (unsigned int a = 0; a < day.cells.size(); ++a)
            loads[a] = DailyLoad{(*day.cells[a])[i].strain_energy_density, day.cycles_per_day[a]};
          const double rho = preoperative ? rho0 : density_field.values[i];
          weighted[i] = law.stimulus(loads, rho, settings.modulus_law.modulus(rho));
        }
    // Where the bone is does not change: its smoothed indicator is computed once per run.
    if (smooth_bone_indicator.size() != n)
      {
        std::vector<double> indicator(n, 0.0);
        for (unsigned int i = 0; i < n; ++i)
          indicator[i] = role[i] ? 1.0 : 0.0;
        filter.apply(indicator, smooth_bone_indicator);
      }
    std::vector<double> smooth_weighted;
    filter.apply(weighted, smooth_weighted);
    stimulus.assign(n, 0.0);
    for (unsigned int i = 0; i < n; ++i)
      if (role[i])
        stimulus[i] = smooth_weighted[i] / std::max(smooth_bone_indicator[i], 1e-12);
  }

  void BoneRemodeling::set_reference()
  {
    reference.values = stimulus;
    if (settings.reference_mode == ReferenceMode::fixed)
      std::fill(reference.values.begin(), reference.values.end(), settings.fixed_reference);
  }

  double BoneRemodeling::advance(const double dt)
  {
    double change = 0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && role[cell->active_cell_index()])
        {
          const unsigned int i = cell->active_cell_index();
          const double rho = density_field.values[i];
          density_field.values[i] = law.advance(rho, stimulus[i], reference.values[i], dt);
          change = std::max(change, std::abs(density_field.values[i] - rho) / rho);
        }
    return change;
  }

  void BoneRemodeling::set_cell_materials(materials::CellMaterials &materials,
                                          const bool preoperative,
                                          const std::vector<int> &stands_for) const
  {
    const unsigned int n = tria.n_active_cells();
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const unsigned int i = cell->active_cell_index();
          if (preoperative)
            {
              // Before surgery every cell that stands for cancellous bone (the screws' too)
              // is bone at the patient's density.
              const int r = stands_for[i];
              if (r != model::no_index && model.regions[r].tissue == model::Tissue::cancellous)
                materials.set_cell_material(i, n, settings.modulus_law.modulus(rho0), nu);
            }
          else if (role[i])
            materials.set_cell_material(i, n, settings.modulus_law.modulus(density_field.values[i]),
                                        nu);
        }
  }

  void BoneRemodeling::update_visualization()
  {
    for (unsigned int i = 0; i < role.size(); ++i)
      if (role[i])
        {
          change_field.values[i] = 100 * (density_field.values[i] / rho0 - 1);
          stimulus_field.values[i] = stimulus[i];
        }
  }

  double BoneRemodeling::mean_density() const
  {
    double volume = 0, integral = 0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && role[cell->active_cell_index()])
        {
          volume += cell->measure();
          integral += cell->measure() * density_field.values[cell->active_cell_index()];
        }
    volume = dealii::Utilities::MPI::sum(volume, mpi);
    integral = dealii::Utilities::MPI::sum(integral, mpi);
    return volume > 0 ? integral / volume : std::nan("");
  }

  double BoneRemodeling::density_change(const std::vector<unsigned char> &set) const
  {
    double v = 0, m = 0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && set[cell->active_cell_index()])
        {
          v += cell->measure();
          m += cell->measure() * density_field.values[cell->active_cell_index()];
        }
    v = dealii::Utilities::MPI::sum(v, mpi);
    m = dealii::Utilities::MPI::sum(m, mpi);
    return v > 0 ? 100 * (m / v / rho0 - 1) : std::nan("");
  }

  double BoneRemodeling::density_change_near_screws() const
  {
    return density_change(near_screws);
  }

  double BoneRemodeling::density_change_under_endplates() const
  {
    return density_change(under_endplates);
  }
} // namespace bonefusion::adaptation
