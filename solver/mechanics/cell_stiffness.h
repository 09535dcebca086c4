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
 * A sliding plane (a cell that stands for a frictionless contact layer, e.g. an interbody
 * cage resting on an endplate) keeps the stiffness normal to the plane and scales the shear
 * across it, eps_nt for in-plane t, by a small fraction f: it subtracts
 * int (1 - f) 2 mu S(eps(u)) : S(eps(v)) with S(eps) = P eps Q + Q eps P, P = n (x) n,
 * Q = I - P. S does not see the volumetric part, so B-bar and standard strain agree there.
 * A joint plane (a synovial joint drawn inside a layer of cells whose orientation differs
 * from the joint's, e.g. the near-vertical lumbar facet joints inside a horizontal pad)
 * measures the closure of the joint by g = A : eps with A = n (x) e + e (x) n (n: joint
 * normal, e: the layer's normal), the relative displacement of the layer's faces along n
 * per layer thickness. Like the dilatation under B-bar, g is replaced by its cell mean
 * (epsbar += (Ahat : epsmean - Ahat : eps) Ahat, Ahat = A / |A|), so that a closed joint adds
 * the energy k V gbar^2 / 2 of the whole cell: the contact state of a cell is then decided by
 * the same number its energy depends on, which makes the contact problem a convex one with a
 * continuous stress (no cycling of the active set between states of a cell). The same term
 * with A = e (x) e, engaged in tension, is a tension-only band (a ligament that goes slack
 * in compression); such an A has a trace, which B-bar cells do not support.
 */
#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include <array>
#include <limits>

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
    /** Finite strain only (hyperelastic_cell.h): the family carries tension only, with the
     *  exponential stiffening `stiffening` (k2 [-] of a Holzapfel-Gasser-Ogden fibre). The
     *  linear path has no tension-only fibres; parameters.cc refuses the combination. */
    bool tension_only = false;
    double stiffening = 0; ///< k2 [-]; 0 = quadratic
  };

  /**
   * A plane across which a cell transmits normal stress but (almost) no shear: the
   * transverse shear modulus is shear_fraction x mu. shear_fraction = 1: isotropic cell.
   */
  struct SlidingPlane
  {
    dealii::Tensor<1, 3> normal; ///< unit normal n of the plane [-]
    double shear_fraction = 1;   ///< f in (0, 1] [-]

    bool active() const { return shear_fraction < 1; }
    /** Shear of eps across the plane, S(eps) = P eps Q + Q eps P. */
    dealii::SymmetricTensor<2, 3> transverse_shear(const dealii::SymmetricTensor<2, 3> &eps) const;
  };

  /**
   * An oriented joint inside the cell: a closed joint adds sigma_j = k (A : eps) A, i.e. a
   * normal stress k g across the joint for a closure g = A : eps (negative when the joint is
   * pressed together). The cell's strain uses the cell mean of A : eps (see the file comment)
   * whenever `opening` is non-zero, open or closed.
   */
  struct JointPlane
  {
    dealii::SymmetricTensor<2, 3> opening; ///< A [-] (set by across_layer() or along()); 0 = no joint
    /** The unit vector e of across_layer() or along(): a joint's layer normal, a band's
     *  axis. [-] */
    dealii::Tensor<1, 3> layer_normal;
    /** Finite strain only, a band: its closure is its stretch |F e| - 1 (objective) instead
     *  of A : (F - I) (hyperelastic_cell.h: JointClosure). */
    bool measures_stretch = false;
    double stiffness = 0;                  ///< k [MPa] while closed, 0 while open
    /** false: engaged while A : eps < 0 (a joint pressed together); true: while A : eps > 0
     *  (a tension-only band, e.g. a ligament with A = e (x) e along its fibres). */
    bool engaged_in_tension = false;
    /** Finite strain only: a band stiffens from k to linear_region_ratio x k beyond the
     *  closure transition_strain, the toe and linear regions of a ligament's bilinear curve
     *  (materials/material_library.h). The linear path keeps k throughout. */
    double transition_strain = std::numeric_limits<double>::infinity(); ///< [-]
    double linear_region_ratio = 1;                                      ///< E2 / E1 [-]
    /** Finite strain only: -1 engages the stiffness by the sign of the closure (the energy's
     *  own switch); 0 holds it disengaged and 1 engaged whatever the closure, while an
     *  outer active-set iteration keeps the joint states fixed (finite_strain_solver.h). */
    signed char held = -1;

    bool present() const { return opening.norm() > 0; }
    /** Finite strain: whether closure g engages it by its sign (a joint pressed, g <= 0; a
     *  band stretched, g >= 0; both at g = 0, so a cell at rest is engaged). */
    bool engaged_at(const double g) const { return engaged_in_tension ? g >= 0 : g <= 0; }
    /** A joint drawn in a layer of unit normal e whose faces approach along the unit joint
     *  normal n: closure g = n . (du/de) for faces that do not deform, which a small strain
     *  measures as A : eps with A = 2 sym(p (x) e) + (n . e) e (x) e, p = n - (n . e) e (the
     *  sliding of the faces along p and their approach along e). n = e: a layer pressed
     *  straight across. */
    void across_layer(const dealii::Tensor<1, 3> &e, const dealii::Tensor<1, 3> &n);
    /** A band along the unit axis e (engaged_in_tension): A = e (x) e, the axial strain. */
    void along(const dealii::Tensor<1, 3> &e);
    /** Ahat = A / |A| (0 for no joint). */
    dealii::SymmetricTensor<2, 3> direction() const;
  };

  /** Elastic constants of one cell as the assembly needs them. */
  struct CellElasticity
  {
    double mu = 0;      ///< shear modulus [MPa]
    double kappa = 0;   ///< bulk modulus [MPa]
    bool b_bar = false; ///< use the cell-mean dilatation
    /** Free volumetric swelling strain J_s - 1 [-] (finite strain only): the volume ratio at
     *  which the volumetric energy is at rest, e.g. the osmotic swelling of the nucleus
     *  (hyperelastic_cell.h). 0 = none; the linear path has no swelling. */
    double swelling = 0;
    /** Up to two fibre families (the annulus' crossed plies); unused ones have k = 0. */
    std::array<FibreFamily, 2> fibres = {};
    /** Optional sliding plane (a frictionless contact layer). */
    SlidingPlane sliding = {};
    /** Optional oriented joint (a facet joint drawn in a horizontal pad). */
    JointPlane joint = {};
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
    /** The same with the cell's own averaging: B-bar and the mean joint closure. */
    void reinit(const dealii::FEValues<3> &fe_values, const CellElasticity &c);

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

  /** Stress [MPa] from strain: sigma = 2 mu dev eps + K tr(eps) I + sum_f k_f (A_f : eps) A_f
   *  - (1 - f) 2 mu S(eps) for a sliding plane + k_j (A_j : eps) A_j for a closed joint. */
  dealii::SymmetricTensor<2, 3> stress(const CellElasticity &c,
                                       const dealii::SymmetricTensor<2, 3> &eps);

  /**
   * The joint's (or band's) stress along its A as the finite-strain energy has it
   * (hyperelastic_cell.h): k g while engaged (g = A : eps the cell-mean closure, g <= 0 for a
   * joint, g >= 0 for a band), 0 otherwise, and a band past its transition strain with the
   * linear region's modulus. [MPa]
   */
  double engaged_joint_stress(const CellElasticity &c, double closure);

  /** stress() on the linear path; in finite strain the joint term is engaged_joint_stress()
   *  of the strain's closure A : eps (CellKinematics::strain carries the cell mean): the
   *  finite-strain path passes every layer cell engaged and decides inside its energy. */
  dealii::SymmetricTensor<2, 3> stress(const CellElasticity &c,
                                       const dealii::SymmetricTensor<2, 3> &eps,
                                       bool finite_strain);

  /** Von Mises equivalent stress [MPa]. */
  double von_mises(const dealii::SymmetricTensor<2, 3> &sigma);
} // namespace bonefusion::mechanics
