#pragma once
/**
 * @file Matrix-free Q2 elasticity: the stiffness applied cell by cell, and a two-level
 * (p-multigrid) preconditioner for CG.
 *
 * Why: an assembled stiffness with its AMG hierarchy costs about 5 KB per DoF
 * (docs/benchmarks.md), so a segment of a few million DoFs does not fit a workstation.
 * Applied by sum factorisation (deal.II MatrixFree), the Q2 operator stores only each
 * cell's elastic tensor. The preconditioner is one V-cycle over two spaces of the same mesh:
 * Chebyshev smoothing (point Jacobi inside) on Q2 and one AMG cycle (rigid-body modes) on
 * the assembled Q1 stiffness, which has about 1/8 of the DoFs. The two meet through the exact
 * interpolation of Q1 into Q2 (P), so the coarse problem is a fair image of the fine one.
 *
 * The bilinear form is the one the assembled path integrates (cell_stiffness.h):
 * a(u, v) = int C : epsbar(u) : epsbar(v), where C is the cell's elasticity (isotropic part,
 * fibre families, sliding plane) and epsbar replaces the dilatation by its cell mean in
 * B-bar cells. Since int sigma : epsbar(v) = int (dev sigma + mean(tr sigma)/3 I) : eps(v),
 * the operator tests that modified stress against the plain symmetric gradient.
 *
 * Limits: hexahedra, Q2, no hanging nodes (the voxel meshes have none), homogeneous
 * Dirichlet constraints (the clamped supports).
 */
#include <deal.II/base/types.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/trilinos_vector.h>

#include "mechanics/cell_stiffness.h"

#include <functional>
#include <memory>
#include <set>

namespace bonefusion::mechanics
{
  struct AmgSettings;

  /** Settings of the matrix-free operator's preconditioner. */
  struct MatrixFreeSettings
  {
    /** Degree of the Chebyshev polynomial that smooths on Q2 (before and after the Q1
     *  correction). [-] */
    unsigned int chebyshev_degree = 4;
  };

  /** The Q2 stiffness without a matrix, and its p-multigrid preconditioner. */
  class MatrixFreeElasticity
  {
  public:
    using Vector = dealii::TrilinosWrappers::MPI::Vector;
    using CellIterator = dealii::DoFHandler<3>::active_cell_iterator;

    /**
     * `fine` is the Q2 DoFHandler, `constraints` its (clamped-only) constraints; the Q1
     * space on the same triangulation is clamped on the same boundary ids.
     * Throws std::runtime_error for anything but Q2 on hexahedra without hanging nodes.
     */
    MatrixFreeElasticity(const dealii::DoFHandler<3> &fine, const dealii::Mapping<3> &mapping,
                         const dealii::AffineConstraints<double> &constraints,
                         const std::set<dealii::types::boundary_id> &clamped,
                         const MatrixFreeSettings &settings);
    ~MatrixFreeElasticity();

    /** Stores the cells' elastic tensors and assembles the Q1 stiffness. */
    void set_material(const std::function<CellElasticity(const CellIterator &)> &material);

    /** Q1 AMG, Q2 diagonal and the smoother's eigenvalue estimate (seconds returned). */
    double build_preconditioner(const AmgSettings &amg);

    /** dst = K src on owned vectors of the Q2 space (constrained rows: identity). */
    void vmult(Vector &dst, const Vector &src) const;
    /** dst = B src, one two-level V-cycle (symmetric, for CG). */
    void precondition(Vector &dst, const Vector &src) const;

    /** DoFs of the Q1 correction space. */
    dealii::types::global_dof_index n_coarse_dofs() const;

  private:
    struct Implementation;
    std::unique_ptr<Implementation> impl;
  };
} // namespace bonefusion::mechanics
