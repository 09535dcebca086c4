#pragma once
/**
 * @file The finite-strain (total-Lagrangian) counterpart of cell_stiffness.h: stored energy,
 * internal nodal forces and consistent tangent of one cell for a given displacement.
 *
 * The cell stores the energy
 *   Pi(u) = sum_q w_q [ mu/2 (J^(-2/3) I1 - 3) + sum_f psi_f(I4_f) ] + Pi_vol,
 * with F = I + grad u, J = det F, I1 = F : F, I4_f = (F^T F) : A_f (A_f = a (x) a, the fibre
 * direction of family f): a decoupled compressible neo-Hookean ground substance and fibres
 * psi_f (FibreEnergy below) that resist stretch and shortening alike (the linear fibres of
 * cell_stiffness.h at small strain) or, by choice, tension only with exponential stiffening. The volumetric energy uses U(J) = kappa/4 (J^2 - 1 - 2 ln J), which is kappa/2
 * (J - 1)^2 to second order and infinite as J -> 0:
 *   - B-bar cells: Pi_vol = V U(Jbar), Jbar = sum_q w_q J_q / V, the cell's volume ratio (the
 *     mean-dilatation Q1-P0 element with its pressure condensed: the volume is constrained
 *     per cell, not per point, so nearly incompressible cells do not lock). Their fibres see
 *     F~ = (Jbar / J)^(1/3) F, the finite-strain form of the B-bar strain the linear fibres use;
 *   - other cells: Pi_vol = sum_q w_q U(J_q).
 * A joint or tension-only band (JointPlane, the facet joints and ligament bands of the
 * contact layers) adds V k g^2 / 2 while engaged, with the closure g of the cell's mean
 * deformation gradient (JointClosure: the small strain's A : (Fbar - I), or a band's
 * stretch where it measures that): the linear path's closed-joint energy, switched on and off by the
 * sign of g inside one smooth (C1) energy instead of by an active set (or held by an outer
 * one, JointPlane::held). A band with a transition strain stiffens beyond it
 * (JointPlane::linear_region_ratio): the ligament's bilinear toe and linear regions, still
 * C1. Unlike the linear path the ground substance of such a cell (the capsule, the slack
 * band: 1e-3 of the tissue's stiffness) does not see the cell-mean closure.
 * At u = 0 the tangent is exactly CellKinematics::stiffness of the same constants for cells
 * without a joint, so the finite-strain path gives the linear answer at small loads. Sliding
 * planes have no finite-strain energy (such cells throw): on this path the sliding cage
 * interface is a compression-only joint along the endplate's normal over a soft ground
 * (ContactLayers::set_finite_strain).
 *
 * Why a hand-derived tangent and not automatic differentiation: the residual costs about as
 * much as the tangent this way, where forward-mode AD of the residual would cost 24 times
 * the residual per cell; every derivative is checked against finite differences in
 * tests/unit/hyperelastic_cell_test.cc.
 */
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include "mechanics/cell_stiffness.h"

#include <stdexcept>
#include <vector>

namespace bonefusion::mechanics
{
  /** Thrown when a deformation inverts a cell (J <= 0 at a quadrature point): the load
   *  step that produced it is too large. */
  struct InvertedCell : std::runtime_error
  {
    explicit InvertedCell(const std::string &what)
      : std::runtime_error(what)
    {
    }
  };

  /**
   * Evaluates the cell of `fe_values` (reinit()ed on the reference cell; gradients and JxW)
   * with constants `c` at local displacement `u` [mm]. Returns the stored energy [N mm];
   * fills `forces` (internal nodal forces dPi/du [N]) and `tangent` (d^2 Pi / du^2 [N/mm])
   * when they are not null. Throws InvertedCell for J <= 0, std::invalid_argument for a
   * cell with a sliding plane.
   */
  double hyperelastic_cell(const dealii::FEValues<3> &fe_values, const CellElasticity &c,
                           const dealii::Vector<double> &u, dealii::Vector<double> *forces,
                           dealii::FullMatrix<double> *tangent);

  /**
   * The finite-strain closure g of a joint or band [-] as a function of its cell's mean
   * deformation gradient Fbar, A : eps (JointPlane) at small strain, so the linear answer at
   * small loads stays:
   *   - a band along e that measures its stretch (JointPlane::measures_stretch, 'Ligaments/
   *     Finite-strain band strain = stretch'): g = |Fbar e| - 1. Objective: a band that
   *     turns with the vertebrae keeps its tension (the small-strain closure A : (Fbar - I)
   *     reads a band stretched 2 % and turned 10 degrees as stretched 0.45 %). Its tension
   *     pulls along the turned fibre, Fbar e / |Fbar e|. It also reads its own shear across
   *     the axis as stretch (|Fbar e| grows with the square of the shear), which switches
   *     so many band cells at once that the semi-smooth Newton iteration stalls: it needs
   *     the held joint states of finite_strain_solver.h.
   *   - any other band: its axial strain A : (Fbar - I) = e . (Fbar - I) e;
   *   - a joint: the small strain's closure g = A : (Fbar - I), linear in Fbar and not
   *     objective (a turn by theta reads as a closure of order cos theta - 1). Why: the
   *     objective closures of a layer drawn thicker than the cartilage make a pressed pad
   *     unstable in shear as soon as its pressure exceeds the soft capsule's shear modulus
   *     (a thick layer under pressure buckles, where two surfaces in contact do not). Tried
   *     and measured on the bent block of tests/unit/finite_strain_test.cc: the face
   *     distance g = a (1 / |Fbar^-T e| - 1) + p . Cbar e stalls at 19 % of the load; the
   *     co-rotated A : (Rbar^T Fbar - I) with the faces' turn Rbar held in the tangent
   *     converges linearly, 130 Newton iterations against 33 (docs/model.md).
   * first() = dg/dFbar, second(X, Y) = d^2 g / dFbar^2 [X, Y] (checked against finite
   * differences in tests/unit/finite_strain_test.cc).
   */
  class JointClosure
  {
  public:
    /** From the cell's mean displacement gradient Hbar = Fbar - I. Throws InvertedCell if
     *  det Fbar <= 0. */
    JointClosure(const JointPlane &joint, const dealii::Tensor<2, 3> &H_mean);
    double value() const { return g; }
    const dealii::Tensor<2, 3> &first() const { return dg; }
    double second(const dealii::Tensor<2, 3> &X, const dealii::Tensor<2, 3> &Y) const;
    /** False where g is linear in Fbar (second() is 0). */
    bool curved() const { return stretch_band; }

  private:
    bool stretch_band;       // a band that measures its stretch
    dealii::Tensor<1, 3> e;  // the band's axis
    dealii::Tensor<1, 3> m;  // the turned axis Fbar e / |Fbar e|
    double stretch = 1;      // |Fbar e|
    double g = 0;
    dealii::Tensor<2, 3> dg;
  };

  /** The closure (JointClosure) of the cell's joint or band (`joint`) at local displacement
   *  `u`, the quantity whose sign engages it in hyperelastic_cell() [-]; 0 for a cell without
   *  one. Throws InvertedCell if the cell's mean deformation gradient is. */
  double cell_mean_closure(const dealii::FEValues<3> &fe_values, const JointPlane &joint,
                           const dealii::Vector<double> &u);

  /**
   * The cell's mean hydrostatic pressure -tr(sigma)/3 [MPa] of the hyperelastic ground at
   * local displacement `u`: -U'(Jbar) in B-bar cells (the condensed pressure of the mean
   * dilatation), else the volume average of -U'(J) (the decoupled neo-Hookean part is
   * deviatoric in the Cauchy stress). Fibres and joints are not included (a nucleus has
   * neither). Throws InvertedCell for J <= 0.
   */
  double hyperelastic_pressure(const dealii::FEValues<3> &fe_values, const CellElasticity &c,
                               const dealii::Vector<double> &u);

  /** The displacement gradient H = grad u [-] at quadrature point q of the cell of
   *  `fe_values` (gradients) for local displacement u; F = I + H. */
  dealii::Tensor<2, 3> displacement_gradient(const dealii::FEValues<3> &fe_values,
                                             const dealii::Vector<double> &u, unsigned int q);

  /** H^T H / 2 at quadrature point q: what turns the small strain sym(H) into the
   *  Green-Lagrange strain E = sym(H) + H^T H / 2. */
  dealii::SymmetricTensor<2, 3> green_lagrange_quadratic_part(const dealii::FEValues<3> &fe_values,
                                                              const dealii::Vector<double> &u,
                                                              unsigned int q);

  /** What a cell's Cauchy stress needs of the whole cell (means over its quadrature points,
   *  or over its vertices for output): the volume ratio Jbar of a B-bar cell, the joint's
   *  closure g (JointClosure) and its derivative dg/dFbar, and the hydrostatic stress [MPa]
   *  its B-bar fibres exert through Jbar, 2 / (3 V Jbar) sum_q w psi'(I4~) I4~ over the
   *  families. */
  struct CellMeanState
  {
    double J_mean = 1;
    double closure = 0;
    dealii::Tensor<2, 3> closure_derivative;
    double fibre_pressure = 0;
  };

  /** The mean state of a cell of constants `c` from the deformation gradients F[i] at
   *  points of weights w[i] (JxW, or equal weights at the vertices). Throws InvertedCell
   *  for J <= 0. */
  CellMeanState cell_mean_state(const CellElasticity &c, const std::vector<dealii::Tensor<2, 3>> &F,
                                const std::vector<double> &w);

  /**
   * The Cauchy stress [MPa] at a point of deformation gradient F, sigma = P F^T / J with P
   * the first Piola-Kirchhoff stress the energy of hyperelastic_cell() gives there: the
   * neo-Hookean ground mu J^(-5/3) (b - I1/3 I); the volumetric U'(J) I, or U'(Jbar) I in a
   * B-bar cell (its condensed pressure); fibres 2/J psi'(I4) (F a)(F a), in a B-bar cell on
   * I4~ = (Jbar / J)^(2/3) I4 and split into that deviatoric part and the cell's
   * fibre_pressure; an engaged joint or band t (dg/dFbar) F^T / J with t =
   * engaged_joint_stress of the cell's closure g, symmetrized (for a band symmetric at
   * F = Fbar, as its stretch is objective; for a joint the antisymmetric part is of the order
   * of t times the turn). At F = I and small strains: stress() of the linear path.
   */
  dealii::SymmetricTensor<2, 3> cauchy_stress(const CellElasticity &c,
                                              const dealii::Tensor<2, 3> &F,
                                              const CellMeanState &mean);

  /** cauchy_stress() at every quadrature point of the cell of `fe_values` at local
   *  displacement `u` [MPa]. Throws InvertedCell for J <= 0. */
  std::vector<dealii::SymmetricTensor<2, 3>>
  hyperelastic_cauchy_stress(const dealii::FEValues<3> &fe_values, const CellElasticity &c,
                             const dealii::Vector<double> &u);

  /**
   * The energy density psi(I4) [MPa] of one fibre family and its first two derivatives with
   * respect to I4 = a . C a (the squared fibre stretch), x = I4 - 1:
   *   - linear (stretch and shortening alike): psi = k/8 x^2, the linear fibre at small strain;
   *   - tension only: psi = k/8 (exp(k2 x^2) - 1) / k2 for x > 0 and 0 otherwise (the
   *     Holzapfel-Gasser-Ogden fibre with k1 = k/4; k/8 x^2 for k2 = 0). Its small-strain
   *     modulus along the fibre is k in tension and 0 in compression, so a tension-only family
   *     needs twice the k of a linear one to carry the same tension (annulus_fibres.h).
   * psi'' jumps from 0 to k/4 at x = 0: Newton meets it as a semi-smooth function.
   */
  struct FibreEnergy
  {
    const FibreFamily &family;
    double value(double I4) const;
    double first(double I4) const;
    double second(double I4) const;
  };

  /** The volumetric energy density U(J) = kappa/4 (J^2 - 1 - 2 ln J) [MPa] and its first
   *  two derivatives (kappa/2 (J - 1/J), kappa/2 (1 + 1/J^2)). A swelling cell (swelling
   *  ratio J_s = 1 + CellElasticity::swelling > 1) stores J_s U(J / J_s): its volume is at
   *  rest at J = J_s, and held at J = 1 it is under the pressure -U'(1 / J_s), about kappa
   *  (J_s - 1). The decoupled neo-Hookean ground and the fibres do not see the swelling (it
   *  is isotropic), so confining it pressurizes the cell and pre-stretches what confines it:
   *  the nucleus' osmotic pre-pressure, which pre-tensions the annulus fibres. */
  struct VolumetricEnergy
  {
    double kappa;
    double swelling_ratio = 1; ///< J_s [-]
    double value(double J) const;
    double first(double J) const;
    double second(double J) const;
  };
} // namespace bonefusion::mechanics
