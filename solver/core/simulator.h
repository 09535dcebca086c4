#pragma once
/**
 * @file The Simulator runs a case. Its run() reads like the method section of a paper:
 *   make_model -> prepare_output_directory -> setup_system -> solve_load_cases (static) or
 *   run_over_time (healing) -> write_summary.
 * It owns the model, the mesh, the discrete system and the run's outputs; the physics lives
 * behind the seams (anatomy/, hardware/, materials/, mechanics/, adaptation/, postprocess/).
 */
#include <deal.II/distributed/tria_base.h>

#include "core/parameters.h"
#include "io/log.h"
#include "io/statistics_table.h"
#include "io/visualization.h"
#include "loads/applied_load.h"
#include "materials/cell_materials.h"
#include "materials/region_materials.h"
#include "mechanics/active_set_solver.h"
#include "mechanics/contact_layers.h"
#include "mechanics/elastic_system.h"
#include "mechanics/finite_strain_solver.h"
#include "meshing/mesh_import.h"
#include "model/model.h"
#include "postprocess/postprocessor.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bonefusion::core
{
  /** Size of a model as reported by --dry-run. */
  struct ModelSize
  {
    unsigned long cells = 0;
    unsigned long dofs = 0;
    double estimated_memory_mb = 0;
  };

  class Simulator
  {
  public:
    /** @param expanded_parameters the parameter tree, printed into the output directory. */
    Simulator(const Parameters &parameters, const dealii::ParameterHandler &expanded_parameters,
              MPI_Comm comm);
    ~Simulator();

    /** Builds model, mesh and DoFs and reports their size; solves nothing. */
    ModelSize dry_run();
    /** The full run. Throws std::runtime_error on failure (after marking the output FAILED). */
    void run();

    /** The statistics of the last run (for tests). */
    const io::StatisticsTable &statistics() const { return table; }
    /** True if a run over time stopped early after a checkpoint (signal or request). */
    bool stopped_for_restart() const { return interrupted; }

  private:
    // --- The model (core/simulator_model.cc) ---
    void make_model();
    /** The parametric anatomy and construct on a p4est voxel mesh. */
    void make_parametric_model();
    /** A mesh file with its named regions and boundaries. */
    void make_mesh_model();
    void prepare_output_directory();
    /** DoFs and constraints, per-cell materials, unilateral layers, the solver. */
    void setup_system();

    // --- Static runs (core/simulator.cc) ---
    /** Every load case: solve (with its active set), postprocess, write. */
    void solve_load_cases();
    /** The load cases of the case file as applied loads on the loaded surface. */
    std::vector<loads::AppliedLoad> load_cases(const loads::PlaneSection &section) const;
    /** The guides of a follower load through the vertebral bodies (core/follower_load.cc):
     *  each vertebra's body centroid, top to bottom, and the volume of its bone. */
    std::vector<loads::VertebraForce> follower_guides() const;
    /** Load vector of an applied load: its traction on the loaded surface and its forces on
     *  vertebrae (condensed, or with the entries of clamped DoFs kept). */
    mechanics::Vector load_vector(const loads::AppliedLoad &load, bool condense) const;
    /** The context every postprocessor reads. */
    postprocess::Context postprocess_context(const loads::PlaneSection &section);
    void write_summary();
    /** One load on the finite-strain path (Newton, from rest or from `start_from`), reported
     *  as the linear path reports it; failures name the Newton settings. The residual
     *  history goes to the log if `log_residuals`. */
    /** The finite-strain rest state (FiniteStrainSolver::rest_state), logged with the
     *  nucleus pressure at rest when the nucleus swells. */
    const mechanics::Vector &finite_strain_rest_state();
    mechanics::ContactSolve solve_finite_strain(const mechanics::Vector &rhs, mechanics::Vector &u,
                                                const std::string &name,
                                                const mechanics::IncrementObserver &observer,
                                                const mechanics::Vector *start_from,
                                                bool log_residuals,
                                                const mechanics::Vector *start_load = nullptr);

    // --- Healing over time (core/healing_run.cc) ---
    void run_over_time();
    /** One solve of a run over time from the previous step's solution and active set of the
     *  same load; the solution is kept in previous_solutions[load.name]. */
    mechanics::ContactSolve solve_warm(const loads::AppliedLoad &load);
    /** Per-cell ParaView fields that every solution carries (the tissue kind). */
    io::VisualizationWriter::CellFields model_cell_fields() const;

    const Parameters &prm;
    const dealii::ParameterHandler &expanded;
    MPI_Comm mpi;
    io::Log log;
    model::Model model;
    std::unique_ptr<dealii::parallel::TriangulationBase<3>> triangulation;
    unsigned int degree = 1;         ///< displacement degree in use
    meshing::ImportedNames imported; ///< mesh file: what the named sets became
    std::string mesh_description;    ///< mesh file: e.g. "C3D8 hexahedra, order 1"
    std::string model_description;   ///< parametric: the construct, for the summary
    dealii::types::boundary_id loaded_boundary = 0;
    std::vector<dealii::types::boundary_id> supports;
    std::vector<std::string> support_names;
    materials::RegionMaterials region_materials;
    std::unique_ptr<materials::CellMaterials> cell_materials;
    std::unique_ptr<mechanics::ElasticSystem> system;
    std::unique_ptr<mechanics::ContactLayers> layers;
    std::unique_ptr<mechanics::ActiveSetSolver> solver;
    /** Finite strain: Newton on the same DoFs and (live) materials, made after the first
     *  assembly; no active set (joints and bands engage inside the energy). */
    std::unique_ptr<mechanics::FiniteStrainSolver> newton;
    bool rest_state_logged = false; ///< the swollen rest state's log line is written once
    io::StatisticsTable table;
    /** Finite strain: each segment's rotation at every converged load increment (the
     *  load-deformation curves; moment_rotation.csv). */
    io::StatisticsTable curves;
    std::map<std::string, std::string> summary_metadata; ///< added by postprocessors
    std::vector<std::unique_ptr<postprocess::Postprocessor>> postprocessors;

    // A run over time: the previous step's solution and active set per load (warm starts).
    std::map<std::string, mechanics::Vector> previous_solutions;
    /** Finite strain over time: the load vector each previous solution balances (the start
     *  of a load that has none yet is the nearest of them). */
    std::map<std::string, mechanics::Vector> previous_loads;
    std::map<std::string, std::vector<unsigned char>> open_cells_of;
    bool interrupted = false;
    bool resuming = false; ///< output directory holds a checkpoint to continue from
    double setup_seconds = 0, solve_seconds = 0;
  };
} // namespace bonefusion::core
