#pragma once
/**
 * @file The Simulator owns the mesh, the discrete system and the run's outputs. Its run()
 * reads like the method section of a paper:
 *   make_model -> setup_system -> assemble -> for each load case: solve, postprocess, output.
 */
#include <deal.II/distributed/tria_base.h>

#include "core/log.h"
#include "core/parameters.h"
#include "core/region_materials.h"
#include "geometry/mesh_import.h"
#include "io/statistics_table.h"
#include "io/visualization.h"
#include "loads/activity_schedule.h"
#include "loads/surface_traction.h"
#include "mechanics/elastic_system.h"
#include "postprocess/cell_mechanics.h"
#include "postprocess/field_statistics.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bonefusion::adaptation
{
  class StimulusFilter;
} // namespace bonefusion::adaptation

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

    /** Builds geometry, mesh and DoFs and reports their size; solves nothing. */
    ModelSize dry_run();
    /** The full run. Throws std::runtime_error on failure (after marking the output FAILED). */
    void run();

    /** The statistics of the last run (for tests). */
    const io::StatisticsTable &statistics() const { return table; }
    /** True if a run over time stopped early after a checkpoint (signal or request). */
    bool stopped_for_restart() const { return interrupted; }

  private:
    /** One load solved with its active set of open layer cells. */
    struct ContactSolve
    {
      mechanics::SolveReport report; ///< CG iterations and seconds summed over the active set
      unsigned int iterations = 0;   ///< active-set iterations (0 without contact layers)
      unsigned long open_facet_cells = 0, open_cage_cells = 0, slack_ligament_cells = 0;
      /** An active set repeated (a cycle), so that cells were only opened afterwards. */
      bool cycled = false;
    };
    void prepare_output_directory();
    void make_model();
    /** The parametric segment on a p4est voxel mesh. */
    void make_segment_model();
    /** A mesh file with its named regions and boundaries. */
    void make_mesh_model();
    void setup_system();
    /** Segment: rotations, load sharing through the disc, implant stresses. */
    void solve_segment_load_cases();
    /** Mesh file: reactions per support, region stresses, optional section resultants. */
    void solve_mesh_load_cases();
    void write_summary();

    // --- Healing over time (core/simulator_time_loop.cc) ---
    /** What one activity of a day did: per-cell mechanics and implant statistics. */
    struct ActivityResponse
    {
      loads::Activity activity;
      std::vector<postprocess::CellMechanics> cells;
      postprocess::NamedValues fields;
      unsigned int cg_iterations = 0;
      unsigned int contact_iterations = 0;
      unsigned long open_cage_cells = 0;
    };
    /** Bridged and attached fractions of the interbody graft's cross-section, CT grade. */
    struct GraftBridging
    {
      double bridged = 0, attached = 0;
      int grade = 4;
    };
    void run_over_time();
    void initialise_adaptation_state();
    std::vector<ActivityResponse> solve_activities(const std::vector<loads::Activity> &activities,
                                                   const loads::PlaneSection &section,
                                                   bool collect_statistics);
    /** One solve of a healing run from the previous step's solution and active set of the
     *  same activity (or ROM case) `name`; the solution is left in previous_solutions. */
    ContactSolve solve_warm(const std::string &name, const mechanics::Vector &rhs);
    void update_stimulus(const std::vector<ActivityResponse> &responses,
                         const adaptation::StimulusFilter &filter);
    /** Advances bone density and graft tissue over dt [days]; returns the largest relative
     *  change of a density or graft modulus. */
    double advance_state(const std::vector<ActivityResponse> &responses,
                         const adaptation::StimulusFilter &filter, double dt);
    void record_time_step(double t, unsigned int step,
                          const std::vector<ActivityResponse> &responses,
                          const loads::PlaneSection &section,
                          const dealii::Point<3> &plane_reference, bool visit);
    GraftBridging graft_bridging() const;
    void write_follow_ups();
    /** Elastic constants from the state (bone density, graft tissue) or the pre-op model. */
    mechanics::CellElasticity adapted_elasticity(const mechanics::CellIterator &cell) const;
    mechanics::CellElasticity bone_elasticity(double density) const;
    /** Graft cell i: effective Young's modulus [MPa] and Poisson's ratio [-] of its tissue,
     *  with the healing gap in series where the cell touches bone. */
    double graft_modulus(unsigned int i) const;
    double graft_poissons_ratio(unsigned int i) const;
    /** Graft cell i: bone volume fraction [-] (gap and graft by volume). */
    double graft_bone_fraction(unsigned int i) const;
    /** Graft cell i: bone fraction that counts for bridging [-]: a junction cell bridges only
     *  when both its gap and its graft are bone (the smaller of the two). */
    double graft_bridging_bone_fraction(unsigned int i) const;
    /** Marks the graft cells that touch bone and their gap fraction (junction_fraction). */
    void identify_healing_junctions();
    /** Rotation of the upper body relative to the lower one [deg]. */
    dealii::Tensor<1, 3> relative_rotation(const mechanics::Vector &u,
                                           const dealii::Point<3> &reference) const;
    std::vector<std::string> state_field_names() const;
    std::vector<std::vector<double>> state_fields() const;
    void restore_state(const std::vector<std::vector<double>> &fields);
    io::VisualizationWriter::CellFields state_cell_fields() const;
    std::string case_signature() const;
    void write_state_checkpoint(double t, double dt, unsigned int step,
                                const io::VisualizationWriter &writer,
                                const std::string &signature);
    /** Elastic constants of the cell's region, with the annulus fibres where they exist. */
    mechanics::CellElasticity region_elasticity(const mechanics::CellIterator &cell,
                                                unsigned int region_id) const;
    // --- Unilateral contact layers (core/simulator_contact.cc) ---
    /** Each cell's region constants (with annulus fibres). */
    mechanics::MaterialFunction region_material() const;
    /** Marks the compression-only facet cells and the cage cells resting on bone. */
    void identify_contact_layers();
    bool in_contact_layer(unsigned int cell_index) const;
    /** A facet pad cell as a sliding joint (Facet joints/Contact = sliding joint). */
    mechanics::CellElasticity as_sliding_joint(const mechanics::CellIterator &cell,
                                               mechanics::CellElasticity c, bool open) const;
    /** A ligament band cell as tension-only fibres along z (Ligaments/Behaviour). */
    mechanics::CellElasticity as_tension_only_band(mechanics::CellElasticity c, bool slack) const;
    /** c for a layer cell that is open (softened) or closed (the cage slides along z = const). */
    mechanics::CellElasticity with_contact_state(const mechanics::CellIterator &cell,
                                                 mechanics::CellElasticity c, bool open) const;
    /** A hash of the open layer cells, equal on any number of ranks (cycle detection). */
    std::uint64_t active_set_hash(const std::vector<unsigned char> &open) const;
    /** Assembles base + contact state `open` and builds the AMG preconditioner. */
    void assemble_for_contact_state(const mechanics::MaterialFunction &base,
                                    const std::vector<unsigned char> &open);
    /**
     * Solves one load: with contact layers, re-solves until no layer cell opens or closes,
     * starting from (and returning in) `open`; the matrix is reassembled only when the
     * active set differs from the assembled one or the base material changed
     * (matrix_is_current false).
     */
    ContactSolve solve_with_contact(const mechanics::MaterialFunction &base,
                                    const mechanics::Vector &rhs, mechanics::Vector &solution,
                                    std::vector<unsigned char> &open, bool warm);

    const Parameters &prm;
    const dealii::ParameterHandler &expanded;
    MPI_Comm mpi;
    Log log;
    std::unique_ptr<geometry::SegmentGeometry> geometry;
    std::unique_ptr<dealii::parallel::TriangulationBase<3>> triangulation;
    unsigned int degree = 1;          ///< displacement degree in use
    geometry::ImportedNames imported; ///< mesh file: what the named sets became
    std::string mesh_description;     ///< mesh file: e.g. "C3D8 hexahedra, order 1"
    RegionMaterials region_materials;
    std::unique_ptr<mechanics::ElasticSystem> system;
    io::StatisticsTable table;
    std::vector<unsigned char> contact_layer;  ///< per active cell: 0 none, 1 facet, 2 cage
    std::vector<unsigned char> assembled_open; ///< active set of the assembled matrix
    bool matrix_is_current = false;            ///< false: base material changed since assembly
    /** Healing run: active set per activity (and ROM solve), the previous step's as start. */
    std::map<std::string, std::vector<unsigned char>> open_cells_of;

    // State of a run over time, per active cell (see simulator_time_loop.cc).
    std::vector<unsigned char> cell_role; ///< 0 none, 1 remodeling bone, 2 graft
    std::vector<double> bone_density, reference_stimulus, stimulus;
    std::vector<double> smooth_bone_indicator; ///< filtered bone indicator (fixed per run)
    std::vector<adaptation::GraftState> graft_state;
    /** Healing gap between graft and bone: tissue of the gap and its volume fraction of the
     *  cell (0 for cells that are not at a junction). */
    std::vector<adaptation::GraftState> junction_state;
    std::vector<double> junction_fraction;
    std::vector<unsigned char> near_screws, under_endplates;
    std::map<std::string, mechanics::Vector> previous_solutions; ///< warm starts per activity
    bool pre_operative = false;
    bool interrupted = false;
    bool resuming = false; ///< output directory holds a checkpoint to continue from
    unsigned int follow_up_rows = 0, writer_steps = 0;
    double time_to_fusion = 0;
    double setup_seconds = 0, assembly_seconds = 0, preconditioner_seconds = 0, solve_seconds = 0;
  };
} // namespace bonefusion::core
