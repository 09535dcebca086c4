#pragma once
/**
 * @file The postprocessing seam: each postprocessor adds its columns to the statistics table
 * for every solved load case (static runs) or every step of a run over time, may write files
 * when the run ends and keeps whatever state it needs in checkpoints. It reads the model for
 * what to measure where (motion segments, their frames, regions), never coordinates.
 *
 * Implementations (one per file, the name -> constructor table in postprocessor.cc):
 *   static load cases:  segment motion, load sharing, implant stresses, facet contact,
 *                       contact statistics, solver statistics; imported meshes: mesh reactions, region stresses,
 *                       section resultants
 *   runs over time:     graft healing, day load sharing, implant stress peaks, bone density,
 *                       range of motion, day effort (healing_statistics.h)
 */
#include <deal.II/base/point.h>

#include "io/log.h"
#include "io/statistics_table.h"
#include "loads/applied_load.h"
#include "loads/surface_traction.h"
#include "mechanics/active_set_solver.h"
#include "mechanics/elastic_system.h"
#include "model/model.h"
#include "postprocess/cell_mechanics.h"
#include "postprocess/field_statistics.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bonefusion::adaptation
{
  class BoneRemodeling;
  class GraftTissue;
} // namespace bonefusion::adaptation

namespace bonefusion::postprocess
{
  /** What every postprocessor of a run may read. */
  struct Context
  {
    Context(const model::Model &m, const mechanics::ElasticSystem &s,
            const loads::PlaneSection &section)
      : model(m)
      , system(s)
      , loaded_section(section)
    {
    }

    const model::Model &model;
    const mechanics::ElasticSystem &system;
    /** The loaded surface: area, centroid. */
    loads::PlaneSection loaded_section;
    dealii::types::boundary_id loaded_boundary = 0;
    /** Imported meshes: the clamped boundaries (ids and names). */
    std::vector<dealii::types::boundary_id> supports;
    std::vector<std::string> support_names;
    std::string output_directory;
    /** Imported meshes: report per-region resultants through z = section_height [mm]. */
    bool has_section = false;
    double section_height = 0;
    /** Runs over time: the pure moment of the flexion-extension radiograph [N mm]. */
    double range_of_motion_moment = 0;
    /** Runs over time: bone fraction that counts as bridging bone and bridged fraction of a
     *  fused graft [-]. */
    double bone_fraction_bridged = 0.5, fusion_bridging_threshold = 0.5;
    /** Progress messages (rank 0). */
    io::Log *log = nullptr;
    /** Solutions are finite-strain equilibria: section forces from the hyperelastic cells. */
    bool finite_strain = false;
    /** Runs over time: the adaptation state (nullptr in static runs). */
    const adaptation::GraftTissue *grafts = nullptr;
    const adaptation::BoneRemodeling *bone = nullptr;

    /** The centroid of the loaded surface moved along segment s's normal onto its
     *  mid-surface: the point moments through the segment are taken about [mm]. */
    dealii::Point<3> segment_reference(int s) const;
  };

  /** One load case solved. */
  struct SolvedLoad
  {
    const loads::AppliedLoad &load;
    const mechanics::Vector &solution; ///< ghosted
    const mechanics::ContactSolve &solve;
  };

  /** One activity of a day solved (runs over time). */
  struct ActivityResult
  {
    loads::AppliedLoad load;
    const mechanics::Vector *solution = nullptr;
    std::vector<CellMechanics> cells; ///< per active cell, for the adaptation's cells
    NamedValues fields;               ///< implant stresses etc. (field_statistics.h)
    unsigned int cg_iterations = 0, contact_iterations = 0;
    unsigned int newton_iterations = 0; ///< finite strain: tangent solves (0 on the linear path)
  };

  /** One step of a run over time. */
  struct SolvedDay
  {
    double time = 0; ///< [days]
    unsigned int step = 0;
    bool visit = false; ///< a follow-up visit
    const std::vector<ActivityResult> &activities;
    /** Solves one more load on the current state (warm-started by its name). */
    std::function<mechanics::ContactSolve(const loads::AppliedLoad &, const mechanics::Vector *&)>
      solve;
    /** CG iterations of extra solves made by the postprocessors (added by them). */
    unsigned int extra_cg_iterations = 0, extra_newton_iterations = 0;
  };

  /**
   * A postprocessor. It may keep references to the Context it was made with: it lives only as
   * long as the run (static load cases or the steps of a run over time) that made it.
   */
  class Postprocessor
  {
  public:
    virtual ~Postprocessor() = default;
    /** Adds the columns of one solved load case of a static run. */
    virtual void evaluate(const SolvedLoad &, io::StatisticsTable &) {}
    /** Adds the columns of one step of a run over time. */
    virtual void evaluate(SolvedDay &, io::StatisticsTable &) {}
    /** Cell fields it adds to every solution written for ParaView. */
    virtual void add_cell_fields(std::vector<std::pair<std::string, std::vector<float>>> &) const {}
    /** When the run ends: extra files and summary metadata (rank 0 writes). */
    virtual void finish(const io::StatisticsTable &, std::map<std::string, std::string> &) {}
    /** State for a checkpoint and back. */
    virtual void save(std::map<std::string, std::string> &) const {}
    virtual void load(const std::map<std::string, std::string> &) {}
  };

  /** Named per-cell values for ParaView: one per active cell (locally owned ones are read). */
  using CellFields = std::vector<std::pair<std::string, std::vector<float>>>;

  /** The postprocessor called `name`; throws std::invalid_argument listing the names. */
  std::unique_ptr<Postprocessor> create_postprocessor(const std::string &name,
                                                      const Context &context);
  /** Names of all postprocessors, in the factory's order. */
  std::vector<std::string> postprocessor_names();
  /** The postprocessors of a static run on a parametric model and on an imported mesh, and
   *  of a run over time, in column order. */
  std::vector<std::string> default_postprocessors(bool imported_mesh, bool over_time);
} // namespace bonefusion::postprocess
