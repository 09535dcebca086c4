#pragma once
/**
 * @file The remodeling bone of a model over time: which cells remodel (the vertebrae's
 * cancellous bone), their apparent density and reference stimulus (named per-cell fields that
 * checkpoint and visualise themselves), the day's non-local stimulus, the density update, the
 * per-cell modulus it gives, and the statistics of stress shielding (density change near the
 * screws and under the endplates that face a disc).
 */
#include <deal.II/grid/tria.h>

#include "adaptation/remodeling_law.h"
#include "materials/cell_materials.h"
#include "model/model.h"
#include "postprocess/cell_mechanics.h"
#include "state/cell_state.h"

#include <mpi.h>

#include <vector>

namespace bonefusion::adaptation
{
  class StimulusFilter;

  /** The day's loads as every cell saw them: per activity, its mechanics and cycles/day. */
  struct DayOfLoads
  {
    std::vector<const std::vector<postprocess::CellMechanics> *> cells; ///< per activity
    std::vector<double> cycles_per_day;                                 ///< per activity
  };

  class BoneRemodeling
  {
  public:
    /**
     * Marks the locally owned cancellous cells of `tria` as remodeling bone at the patient's
     * density `initial_density` [g/cm^3] (Poisson's ratio `poissons_ratio` [-]) and adds the fields
     * bone_density, reference_stimulus (checkpointed), density_change_percent and
     * remodeling_stimulus (visualized) to `state`.
     */
    BoneRemodeling(const model::Model &model, const dealii::Triangulation<3> &tria,
                   const RemodelingLaw &law, const RemodelingSettings &settings,
                   double initial_density, double poissons_ratio, state::CellState &state,
                   MPI_Comm mpi);

    /** True if cell `index` remodels. */
    bool remodels(unsigned int index) const { return role[index]; }
    /** Stimulus of every bone cell from the day's loads, smoothed by `filter`; with
     *  `preoperative` each cell at the initial density. */
    void update_stimulus(const DayOfLoads &day, const StimulusFilter &filter, bool preoperative);
    /** The reference stimulus: the stimulus just computed (site-specific, from the
     *  pre-operative state) or the law's fixed value. */
    void set_reference();
    /** Advances the density over dt [days] (after update_stimulus()); returns the largest
     *  relative density change of a local cell. */
    double advance(double dt);
    /** Gives every bone cell its modulus from its density (or, `preoperative`, every cell
     *  standing for cancellous bone the initial density's). */
    void set_cell_materials(materials::CellMaterials &materials, bool preoperative,
                            const std::vector<int> &stands_for) const;
    /** Fills the visualized fields from the state. */
    void update_visualization();

    /** Volume-weighted mean density [g/cm^3] of all remodeling cells; density change [%] of
     *  the bone within reach of the screws and under the endplates facing a disc. NaN where
     *  there is no such bone. Collective. */
    double mean_density() const;
    double density_change_near_screws() const;
    double density_change_under_endplates() const;
    /** The patient's density [g/cm^3] the bone starts from. */
    double initial_density() const { return rho0; }
    const std::vector<double> &density() const { return density_field.values; }

  private:
    const model::Model &model;
    const dealii::Triangulation<3> &tria;
    const RemodelingLaw &law;
    RemodelingSettings settings;
    double rho0, nu;
    MPI_Comm mpi;
    std::vector<unsigned char> role; // 1: remodeling bone
    std::vector<unsigned char> near_screws, under_endplates;
    state::CellField &density_field, &reference, &change_field, &stimulus_field;
    std::vector<double> stimulus, smooth_bone_indicator;

    double density_change(const std::vector<unsigned char> &set) const;
  };
} // namespace bonefusion::adaptation
