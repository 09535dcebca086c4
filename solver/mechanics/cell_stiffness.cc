#include "mechanics/cell_stiffness.h"

#include <cmath>
#include <stdexcept>

namespace bonefusion::mechanics
{
  using dealii::SymmetricTensor;

  SymmetricTensor<2, 3> SlidingPlane::transverse_shear(const SymmetricTensor<2, 3> &eps) const
  {
    // P eps Q + Q eps P = (eps n) (x) n + n (x) (eps n) - 2 (n . eps n) n (x) n.
    const dealii::Tensor<1, 3> t = eps * normal;
    return dealii::symmetrize(dealii::outer_product(t, normal)) * 2.0 -
           2.0 * (normal * t) * dealii::symmetrize(dealii::outer_product(normal, normal));
  }

  SymmetricTensor<2, 3> JointPlane::direction() const
  {
    const double norm = opening.norm();
    return norm > 0 ? opening / norm : SymmetricTensor<2, 3>();
  }

  void JointPlane::across_layer(const dealii::Tensor<1, 3> &e, const dealii::Tensor<1, 3> &n)
  {
    const double across = n * e;
    const dealii::Tensor<1, 3> in_plane = n - across * e;
    opening = 2.0 * dealii::symmetrize(dealii::outer_product(in_plane, e)) +
              across * dealii::symmetrize(dealii::outer_product(e, e));
    layer_normal = e;
  }

  void JointPlane::along(const dealii::Tensor<1, 3> &e)
  {
    opening = dealii::symmetrize(dealii::outer_product(e, e));
    layer_normal = e;
  }

  void CellKinematics::reinit(const dealii::FEValues<3> &fe_values, const CellElasticity &c)
  {
    reinit(fe_values, c.b_bar);
    if (!c.joint.present())
      return;
    // Replace the joint closure of each shape function's strain by its cell mean. For a joint
    // Ahat is traceless (n is normal to e) and the dilatation table stays as it is; a band's
    // Ahat = e (x) e changes the dilatation, which is then recomputed (not under B-bar).
    const SymmetricTensor<2, 3> a = c.joint.direction();
    const bool traceless = std::abs(dealii::trace(a)) < 1e-12;
    if (!traceless && c.b_bar)
      throw std::logic_error("a tension-only band (joint term with a trace) in a B-bar cell");
    double volume = 0;
    std::vector<double> mean(n_dofs, 0.0);
    for (unsigned int q = 0; q < n_q; ++q)
      {
        volume += fe_values.JxW(q);
        for (unsigned int i = 0; i < n_dofs; ++i)
          mean[i] += (a * sym_grad[q * n_dofs + i]) * fe_values.JxW(q);
      }
    for (unsigned int q = 0; q < n_q; ++q)
      for (unsigned int i = 0; i < n_dofs; ++i)
        {
          SymmetricTensor<2, 3> &g = sym_grad[q * n_dofs + i];
          g += (mean[i] / volume - a * g) * a;
          if (!traceless)
            dilatation[q * n_dofs + i] = dealii::trace(g);
        }
  }

  void CellKinematics::reinit(const dealii::FEValues<3> &fe_values, const bool b_bar)
  {
    const dealii::FEValuesExtractors::Vector u(0);
    n_q = fe_values.n_quadrature_points;
    n_dofs = fe_values.dofs_per_cell;
    sym_grad.resize(n_q * n_dofs);
    dilatation.resize(n_q * n_dofs);
    for (unsigned int q = 0; q < n_q; ++q)
      for (unsigned int i = 0; i < n_dofs; ++i)
        {
          sym_grad[q * n_dofs + i] = fe_values[u].symmetric_gradient(i, q);
          dilatation[q * n_dofs + i] = dealii::trace(sym_grad[q * n_dofs + i]);
        }
    if (!b_bar)
      return;
    // Mean dilatation of each shape function over the cell.
    double volume = 0;
    std::vector<double> mean(n_dofs, 0.0);
    for (unsigned int q = 0; q < n_q; ++q)
      {
        volume += fe_values.JxW(q);
        for (unsigned int i = 0; i < n_dofs; ++i)
          mean[i] += dilatation[q * n_dofs + i] * fe_values.JxW(q);
      }
    for (unsigned int q = 0; q < n_q; ++q)
      for (unsigned int i = 0; i < n_dofs; ++i)
        dilatation[q * n_dofs + i] = mean[i] / volume;
  }

  void CellKinematics::stiffness(const dealii::FEValues<3> &fe_values, const CellElasticity &c,
                                 dealii::FullMatrix<double> &matrix) const
  {
    matrix.reinit(n_dofs, n_dofs);
    std::vector<SymmetricTensor<2, 3>> dev(n_dofs);
    for (unsigned int q = 0; q < n_q; ++q)
      {
        const double JxW = fe_values.JxW(q);
        for (unsigned int i = 0; i < n_dofs; ++i)
          dev[i] = dealii::deviator(sym_grad[q * n_dofs + i]);
        for (unsigned int i = 0; i < n_dofs; ++i)
          {
            const double ki = c.kappa * dilatation[q * n_dofs + i] * JxW;
            const SymmetricTensor<2, 3> mi = 2 * c.mu * JxW * dev[i];
            for (unsigned int j = 0; j <= i; ++j)
              matrix(i, j) += mi * dev[j] + ki * dilatation[q * n_dofs + j];
          }
      }
    std::vector<double> along(n_dofs);
    for (const FibreFamily &f : c.fibres)
      if (f.stiffness > 0)
        for (unsigned int q = 0; q < n_q; ++q)
          {
            // The same (B-bar) strain as strain() and stress() use, so that stresses
            // integrated over a section balance the nodal forces of this matrix.
            const double trace_a = dealii::trace(f.projector);
            for (unsigned int i = 0; i < n_dofs; ++i)
              {
                const auto &g = sym_grad[q * n_dofs + i];
                along[i] =
                  f.projector * g + trace_a * (dilatation[q * n_dofs + i] - dealii::trace(g)) / 3.0;
              }
            const double kJxW = f.stiffness * fe_values.JxW(q);
            for (unsigned int i = 0; i < n_dofs; ++i)
              for (unsigned int j = 0; j <= i; ++j)
                matrix(i, j) += kJxW * along[i] * along[j];
          }
    if (c.sliding.active())
      {
        std::vector<SymmetricTensor<2, 3>> shear(n_dofs);
        for (unsigned int q = 0; q < n_q; ++q)
          {
            for (unsigned int i = 0; i < n_dofs; ++i)
              shear[i] = c.sliding.transverse_shear(sym_grad[q * n_dofs + i]);
            const double factor = (1 - c.sliding.shear_fraction) * 2 * c.mu * fe_values.JxW(q);
            for (unsigned int i = 0; i < n_dofs; ++i)
              for (unsigned int j = 0; j <= i; ++j)
                matrix(i, j) -= factor * (shear[i] * shear[j]);
          }
      }
    if (c.joint.stiffness > 0)
      for (unsigned int q = 0; q < n_q; ++q)
        {
          // A : eps of each shape function is its cell mean here (reinit() averaged it).
          for (unsigned int i = 0; i < n_dofs; ++i)
            along[i] = c.joint.opening * sym_grad[q * n_dofs + i];
          const double kJxW = c.joint.stiffness * fe_values.JxW(q);
          for (unsigned int i = 0; i < n_dofs; ++i)
            for (unsigned int j = 0; j <= i; ++j)
              matrix(i, j) += kJxW * along[i] * along[j];
        }
    for (unsigned int i = 0; i < n_dofs; ++i)
      for (unsigned int j = i + 1; j < n_dofs; ++j)
        matrix(i, j) = matrix(j, i);
  }

  SymmetricTensor<2, 3> CellKinematics::strain(const unsigned int q,
                                               const dealii::Vector<double> &u) const
  {
    SymmetricTensor<2, 3> eps;
    double theta = 0;
    for (unsigned int i = 0; i < n_dofs; ++i)
      {
        eps += u[i] * sym_grad[q * n_dofs + i];
        theta += u[i] * dilatation[q * n_dofs + i];
      }
    // Replace the volumetric part by the (possibly averaged) dilatation.
    return dealii::deviator(eps) + (theta / 3.0) * dealii::unit_symmetric_tensor<3>();
  }

  SymmetricTensor<2, 3> stress(const CellElasticity &c, const SymmetricTensor<2, 3> &eps)
  {
    SymmetricTensor<2, 3> sigma = 2 * c.mu * dealii::deviator(eps) +
                                  c.kappa * dealii::trace(eps) * dealii::unit_symmetric_tensor<3>();
    for (const FibreFamily &f : c.fibres)
      if (f.stiffness > 0)
        sigma += f.stiffness * (f.projector * eps) * f.projector;
    if (c.sliding.active())
      sigma -= (1 - c.sliding.shear_fraction) * 2 * c.mu * c.sliding.transverse_shear(eps);
    if (c.joint.stiffness > 0)
      sigma += c.joint.stiffness * (c.joint.opening * eps) * c.joint.opening;
    return sigma;
  }

  double engaged_joint_stress(const CellElasticity &c, const double closure)
  {
    if (!c.joint.present() || !(c.joint.stiffness > 0))
      return 0;
    if (!c.joint.engaged_in_tension)
      return c.joint.stiffness * std::min(closure, 0.0);
    const double stretched = std::max(closure, 0.0);
    const double beyond = std::max(stretched - c.joint.transition_strain, 0.0);
    return c.joint.stiffness * (stretched - beyond + c.joint.linear_region_ratio * beyond);
  }

  SymmetricTensor<2, 3> stress(const CellElasticity &c, const SymmetricTensor<2, 3> &eps,
                               const bool finite_strain)
  {
    if (!finite_strain || !c.joint.present())
      return stress(c, eps);
    CellElasticity ground = c;
    ground.joint.stiffness = 0;
    return stress(ground, eps) + engaged_joint_stress(c, c.joint.opening * eps) * c.joint.opening;
  }

  double von_mises(const SymmetricTensor<2, 3> &sigma)
  {
    const SymmetricTensor<2, 3> s = dealii::deviator(sigma);
    return std::sqrt(1.5 * (s * s));
  }
} // namespace bonefusion::mechanics
