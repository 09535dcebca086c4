#pragma once
/**
 * @file Non-local remodeling stimulus: a Helmholtz PDE filter of a per-cell field.
 *
 * Element-wise remodeling stimuli form checkerboards and their patterns change with the mesh
 * (Weinans, Huiskes & Grootenboer 1992; Jacobs et al. 1995). Averaging the stimulus over a
 * fixed physical length removes both (Mullender, Huiskes & Weinans 1994 use a sensor
 * influence e^(-d/D)). Here the averaging is the PDE filter of Lazarov & Sigmund 2011 (Int J
 * Numer Meth Eng 86:765):
 *   -l^2 lap(s_bar) + s_bar = s   in the body,   grad(s_bar) . n = 0 on its surface,
 * whose Green's function decays like e^(-r/l)/r, the same kernel shape as Mullender's, with
 * length l [mm]. The natural boundary condition keeps the integral: int s_bar = int s.
 *
 * Discretisation: continuous linear elements (Q1 on hexahedra, P1 on tetrahedra) on the
 * given (possibly distributed, possibly adaptively refined) triangulation; the matrix
 * l^2 K + M is assembled and its AMG preconditioner built once in the constructor, each
 * apply() is one right-hand side and one CG solve. The input is piecewise constant per cell,
 * the output is the cell mean of s_bar.
 */
#include <memory>
#include <vector>

namespace dealii
{
  template <int dim, int spacedim>
  class Triangulation;
}

namespace bonefusion::adaptation
{
  /** Helmholtz smoothing of per-cell values with length l [mm]; l = 0 is the identity. */
  class StimulusFilter
  {
  public:
    /**
     * Sets up the filter on `tria` (which must outlive it and not change) with length
     * length_mm [mm] >= 0. Collective on the triangulation's communicator.
     */
    StimulusFilter(const dealii::Triangulation<3, 3> &tria, double length_mm);
    ~StimulusFilter();

    /**
     * Smooths cell_values (indexed by cell->active_cell_index(), at least
     * tria.n_active_cells() entries, read on locally owned cells) into smoothed (resized to
     * the same length; the cell mean of s_bar on locally owned cells, the input elsewhere).
     * Collective. Throws std::invalid_argument for a too short input and std::runtime_error
     * if the solver does not converge.
     */
    void apply(const std::vector<double> &cell_values, std::vector<double> &smoothed) const;

    /** Filter length l [mm]. */
    double length() const;
    /** CG iterations of the last apply() (0 for l = 0). */
    unsigned int last_iterations() const;

  private:
    struct Implementation;
    std::unique_ptr<Implementation> impl;
  };
} // namespace bonefusion::adaptation
