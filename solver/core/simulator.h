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
#include "mechanics/elastic_system.h"

#include <memory>

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

  private:
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
    /** Elastic constants of a cell: its region's, softened if it is an open facet cell. */
    mechanics::CellElasticity cell_elasticity(const mechanics::CellIterator &cell) const;
    /** Solves one load case; with compression-only facets, iterates the active set. */
    mechanics::SolveReport solve_with_facet_contact(const mechanics::Vector &rhs,
                                                    mechanics::Vector &solution,
                                                    unsigned int &contact_iterations,
                                                    unsigned long &open_cells);

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
    std::vector<unsigned char> facet_open; // per active cell: 1 = joint open
    bool matrix_has_open_cells = false;
    double setup_seconds = 0, assembly_seconds = 0, preconditioner_seconds = 0, solve_seconds = 0;
  };
} // namespace bonefusion::core
