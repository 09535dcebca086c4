#pragma once
/**
 * @file Element stiffness and stress of small-strain linear elasticity, with an optional
 * B-bar (mean-dilatation) treatment of the volumetric strain.
 *
 * Why B-bar: with nu -> 0.5 (nucleus 0.499) the bulk modulus K = E/(3(1-2nu)) dwarfs the shear
 * modulus and fully integrated Q1 elements lock (displacements far too small). Replacing the
 * dilatation at each quadrature point by its cell mean (Hughes 1980; Q1-P0) removes the
 * locking. The bilinear form is
 *   a(u, v) = int 2 mu dev eps(u) : dev eps(v) + K thetabar(u) thetabar(v),
 * which equals the standard 2 mu eps:eps + lambda div div when thetabar = div u.
 * Fibre families (the annulus' collagen plies) add int k (A : epsbar(u)) (A : epsbar(v)),
 * with the same (B-bar) strain epsbar = dev eps + thetabar/3 I as the rest of the form.
 */
#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include <array>

namespace bonefusion::mechanics
{
  /**
   * A family of parallel fibres smeared through a cell (linear, uniaxial): it adds
   * sigma_f = k (A : eps) A with A = a (x) a for the unit fibre direction a, i.e. a stress
   * k eps_aa along the fibres only. k = fibre modulus x volume fraction of the family [MPa].
   */
  struct FibreFamily
  {
    dealii::SymmetricTensor<2, 3> projector; ///< A = a (x) a [-]
    double stiffness = 0;                    ///< k [MPa]; 0 = no fibres
  };

  /** Elastic constants of one cell as the assembly needs them. */
  struct CellElasticity
  {
    double mu = 0;      ///< shear modulus [MPa]
    double kappa = 0;   ///< bulk modulus [MPa]
    bool b_bar = false; ///< use the cell-mean dilatation
    /** Up to two fibre families (the annulus' crossed plies); unused ones have k = 0. */
    std::array<FibreFamily, 2> fibres = {};
  };

  /**
   * Per-cell kinematics: symmetric gradients and (B-bar) dilatations of all shape functions
   * at all quadrature points of a reinit()ed FEValues.
   */
  class CellKinematics
  {
  public:
    /** Fills the tables for the cell fe_values was reinit()ed on. */
    void reinit(const dealii::FEValues<3> &fe_values, bool b_bar);

    /** Local stiffness matrix (dofs_per_cell squared) [N/mm]. */
    void stiffness(const dealii::FEValues<3> &fe_values, const CellElasticity &c,
                   dealii::FullMatrix<double> &matrix) const;

    /** Strain at quadrature point q for local dof values u (B-bar volumetric part). */
    dealii::SymmetricTensor<2, 3> strain(unsigned int q, const dealii::Vector<double> &u) const;

    unsigned int n_quadrature_points() const { return n_q; }

  private:
    unsigned int n_q = 0, n_dofs = 0;
    std::vector<dealii::SymmetricTensor<2, 3>> sym_grad; // [q * n_dofs + i]
    std::vector<double> dilatation;                      // [q * n_dofs + i]
  };

  /** Stress [MPa] from strain: sigma = 2 mu dev eps + K tr(eps) I + sum_f k_f (A_f : eps) A_f. */
  dealii::SymmetricTensor<2, 3> stress(const CellElasticity &c,
                                       const dealii::SymmetricTensor<2, 3> &eps);

  /** Von Mises equivalent stress [MPa]. */
  double von_mises(const dealii::SymmetricTensor<2, 3> &sigma);
} // namespace bonefusion::mechanics
