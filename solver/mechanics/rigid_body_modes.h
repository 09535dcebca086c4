#pragma once
/**
 * @file AMG for elasticity with the six rigid-body modes as near-null space.
 *
 * deal.II 9.4 has no extract_rigid_body_modes and its AMG AdditionalData only knows boolean
 * "constant modes" (the three translations). Without the three rotations the aggregation
 * cannot represent bending and CG needs 2-3x more iterations (platform-notes.md), so the
 * modes are built here from the DoF support points and handed to ML directly.
 */
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>

#include <memory>

class Epetra_MultiVector;

namespace bonefusion::mechanics
{
  /** Tuning of the AMG hierarchy. Defaults measured on the TLIF model (material contrast
   *  1e5): threshold 1e-4 and 2 Chebyshev sweeps gave the fewest CG iterations per second
   *  (66 iterations vs 88 with threshold 0.02 and 153 with 0.05; 3 sweeps: 56 but slower). */
  struct AmgSettings
  {
    double aggregation_threshold = 1e-4;
    unsigned int smoother_sweeps = 2;
  };

  /** Smoothed-aggregation AMG (Trilinos ML) set up with the 6 rigid-body modes. */
  class ElasticityAMG
  {
  public:
    ElasticityAMG();
    ~ElasticityAMG();

    /**
     * Builds the hierarchy for `matrix` (assembled on dof_handler with a vector-valued
     * element of 3 components). `higher_order` tells ML the element is not Q1.
     */
    void initialize(const dealii::TrilinosWrappers::SparseMatrix &matrix,
                    const dealii::DoFHandler<3> &dof_handler, const dealii::Mapping<3> &mapping,
                    bool higher_order, const AmgSettings &settings);

    const dealii::TrilinosWrappers::PreconditionAMG &preconditioner() const { return amg; }

  private:
    dealii::TrilinosWrappers::PreconditionAMG amg;
    std::unique_ptr<Epetra_MultiVector> modes; // must outlive amg's set-up
  };
} // namespace bonefusion::mechanics
