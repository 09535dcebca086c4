#include "mechanics/hyperelastic_cell.h"

#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/base/tensor.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace bonefusion::mechanics
{
  using dealii::Tensor;
  using Tensor2 = Tensor<2, 3>;

  double VolumetricEnergy::value(const double J) const
  {
    const double j = J / swelling_ratio;
    return swelling_ratio * kappa / 4 * (j * j - 1 - 2 * std::log(j));
  }
  double VolumetricEnergy::first(const double J) const
  {
    const double j = J / swelling_ratio;
    return kappa / 2 * (j - 1 / j);
  }
  double VolumetricEnergy::second(const double J) const
  {
    const double j = J / swelling_ratio;
    return kappa / 2 * (1 + 1 / (j * j)) / swelling_ratio;
  }

  double FibreEnergy::value(const double I4) const
  {
    const double x = I4 - 1, k = family.stiffness, k2 = family.stiffening;
    if (!family.tension_only)
      return k / 8 * x * x;
    if (x <= 0)
      return 0;
    return k2 > 0 ? k / 8 * std::expm1(k2 * x * x) / k2 : k / 8 * x * x;
  }
  double FibreEnergy::first(const double I4) const
  {
    const double x = I4 - 1, k = family.stiffness;
    if (!family.tension_only)
      return k / 4 * x;
    return x <= 0 ? 0 : k / 4 * x * std::exp(family.stiffening * x * x);
  }
  double FibreEnergy::second(const double I4) const
  {
    const double x = I4 - 1, k = family.stiffness, k2 = family.stiffening;
    if (!family.tension_only)
      return k / 4;
    return x <= 0 ? 0 : k / 4 * std::exp(k2 * x * x) * (1 + 2 * k2 * x * x);
  }

  namespace
  {
    /** The gradient of a vector shape function with one non-zero component:
     *  G = e_component (x) grad N. */
    struct ShapeGradient
    {
      unsigned int component;
      Tensor<1, 3> grad;

      /** G : T */
      double operator*(const Tensor2 &t) const { return t[component] * grad; }
      Tensor2 tensor() const
      {
        Tensor2 t;
        t[component] = grad;
        return t;
      }
    };

    /** What the tangent needs of one quadrature point. */
    struct PointKinematics
    {
      Tensor2 F, F_inv_T;
      double J = 1, I1 = 3, weight = 0;
    };
  } // namespace

  JointClosure::JointClosure(const JointPlane &joint, const Tensor2 &H_mean)
    : stretch_band(joint.engaged_in_tension && joint.measures_stretch)
    , e(joint.layer_normal)
  {
    const double det = dealii::determinant(dealii::unit_symmetric_tensor<3>() + H_mean);
    if (!(det > 0))
      throw InvertedCell("a joint or band cell turned inside out (mean J = " +
                         std::to_string(det) + ")");
    // Both closures are exactly 0 at H = 0: a cell at rest is engaged (hyperelastic_cell()),
    // which a closure computed from F = I + H would leave to round-off.
    if (stretch_band)
      {
        if (!(e.norm() > 0))
          throw std::logic_error("JointClosure: the band has no axis (JointPlane::along)");
        const Tensor<1, 3> He = H_mean * e;
        stretch = (e + He).norm();
        m = (e + He) / stretch;
        g = (2 * (e * He) + He * He) / (stretch + 1); // |e + He| - 1 for a unit e
        dg = dealii::outer_product(m, e);
        return;
      }
    // A joint, or a band by its axial strain: the small strain's closure, linear in F
    // (JointClosure in the header says why).
    g = dealii::scalar_product(Tensor2(joint.opening), H_mean);
    dg = Tensor2(joint.opening);
  }

  double JointClosure::second(const Tensor2 &X, const Tensor2 &Y) const
  {
    if (!stretch_band)
      return 0;
    const Tensor<1, 3> Xe = X * e, Ye = Y * e;
    return (Xe * Ye - (m * Xe) * (m * Ye)) / stretch;
  }

  double hyperelastic_pressure(const dealii::FEValues<3> &fe_values, const CellElasticity &c,
                               const dealii::Vector<double> &u)
  {
    const VolumetricEnergy U{c.kappa, 1 + c.swelling};
    double volume = 0, J_mean = 0, pressure = 0;
    for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
      {
        const Tensor2 F = dealii::unit_symmetric_tensor<3>() + displacement_gradient(fe_values, u, q);
        const double J = dealii::determinant(F), w = fe_values.JxW(q);
        if (!(J > 0))
          throw InvertedCell("a cell turned inside out (J = " + std::to_string(J) + ")");
        volume += w;
        J_mean += w * J;
        pressure -= w * U.first(J);
      }
    return c.b_bar ? -U.first(J_mean / volume) : pressure / volume;
  }

  Tensor2 displacement_gradient(const dealii::FEValues<3> &fe_values, const dealii::Vector<double> &u,
                                const unsigned int q)
  {
    const dealii::FiniteElement<3> &fe = fe_values.get_fe();
    Tensor2 H;
    for (unsigned int i = 0; i < fe_values.dofs_per_cell; ++i)
      H[fe.system_to_component_index(i).first] += u[i] * fe_values.shape_grad(i, q);
    return H;
  }

  dealii::SymmetricTensor<2, 3> green_lagrange_quadratic_part(const dealii::FEValues<3> &fe_values,
                                                              const dealii::Vector<double> &u,
                                                              const unsigned int q)
  {
    const Tensor2 H = displacement_gradient(fe_values, u, q);
    return 0.5 * dealii::symmetrize(dealii::transpose(H) * H);
  }

  CellMeanState cell_mean_state(const CellElasticity &c, const std::vector<Tensor2> &F,
                                const std::vector<double> &w)
  {
    CellMeanState m;
    double volume = 0, J_sum = 0;
    Tensor2 H_mean;
    std::vector<double> J(F.size());
    for (unsigned int i = 0; i < F.size(); ++i)
      {
        J[i] = dealii::determinant(F[i]);
        if (!(J[i] > 0))
          throw InvertedCell("a cell turned inside out (J = " + std::to_string(J[i]) + ")");
        volume += w[i];
        J_sum += w[i] * J[i];
        H_mean += w[i] * (F[i] - dealii::unit_symmetric_tensor<3>());
      }
    m.J_mean = J_sum / volume;
    if (c.joint.present())
      {
        const JointClosure closure(c.joint, H_mean / volume);
        m.closure = closure.value();
        m.closure_derivative = closure.first();
      }
    if (c.b_bar)
      for (const FibreFamily &f : c.fibres)
        if (f.stiffness > 0)
          {
            const FibreEnergy psi{f};
            for (unsigned int i = 0; i < F.size(); ++i)
              {
                const double I4 = dealii::scalar_product(F[i] * Tensor2(f.projector), F[i]);
                const double I4t = std::pow(m.J_mean / J[i], 2.0 / 3.0) * I4;
                m.fibre_pressure += 2.0 / (3.0 * volume * m.J_mean) * w[i] * psi.first(I4t) * I4t;
              }
          }
    return m;
  }

  dealii::SymmetricTensor<2, 3> cauchy_stress(const CellElasticity &c, const Tensor2 &F,
                                              const CellMeanState &mean)
  {
    const double J = dealii::determinant(F);
    if (!(J > 0))
      throw InvertedCell("a cell turned inside out (J = " + std::to_string(J) + ")");
    const Tensor2 I = dealii::unit_symmetric_tensor<3>();
    const Tensor2 b = F * dealii::transpose(F);
    const double I1 = dealii::trace(b);
    const VolumetricEnergy U{c.kappa, 1 + c.swelling};
    Tensor2 sigma = c.mu * std::pow(J, -5.0 / 3.0) * (b - I1 / 3.0 * I);
    sigma += (c.b_bar ? U.first(mean.J_mean) : U.first(J)) * I;
    for (const FibreFamily &f : c.fibres)
      if (f.stiffness > 0)
        {
          const Tensor2 FAFt = F * Tensor2(f.projector) * dealii::transpose(F);
          const double I4 = dealii::trace(FAFt);
          const FibreEnergy psi{f};
          if (!c.b_bar)
            sigma += 2.0 / J * psi.first(I4) * FAFt;
          else
            {
              const double s2 = std::pow(mean.J_mean / J, 2.0 / 3.0);
              sigma += 2.0 / J * psi.first(s2 * I4) * s2 * (FAFt - I4 / 3.0 * I);
            }
        }
    if (c.b_bar)
      sigma += mean.fibre_pressure * I;
    if (c.joint.present())
      sigma += engaged_joint_stress(c, mean.closure) / J * mean.closure_derivative *
               dealii::transpose(F);
    return dealii::symmetrize(sigma);
  }

  std::vector<dealii::SymmetricTensor<2, 3>>
  hyperelastic_cauchy_stress(const dealii::FEValues<3> &fe_values, const CellElasticity &c,
                             const dealii::Vector<double> &u)
  {
    const unsigned int n_q = fe_values.n_quadrature_points;
    std::vector<Tensor2> F(n_q);
    std::vector<double> w(n_q);
    for (unsigned int q = 0; q < n_q; ++q)
      {
        F[q] = dealii::unit_symmetric_tensor<3>() + displacement_gradient(fe_values, u, q);
        w[q] = fe_values.JxW(q);
      }
    const CellMeanState mean = cell_mean_state(c, F, w);
    std::vector<dealii::SymmetricTensor<2, 3>> sigma(n_q);
    for (unsigned int q = 0; q < n_q; ++q)
      sigma[q] = cauchy_stress(c, F[q], mean);
    return sigma;
  }

  double cell_mean_closure(const dealii::FEValues<3> &fe_values, const JointPlane &joint,
                           const dealii::Vector<double> &u)
  {
    if (!joint.present())
      return 0;
    Tensor2 H_mean;
    double volume = 0;
    for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
      {
        H_mean += fe_values.JxW(q) * displacement_gradient(fe_values, u, q);
        volume += fe_values.JxW(q);
      }
    return JointClosure(joint, H_mean / volume).value();
  }

  double hyperelastic_cell(const dealii::FEValues<3> &fe_values, const CellElasticity &c,
                           const dealii::Vector<double> &u, dealii::Vector<double> *forces,
                           dealii::FullMatrix<double> *tangent)
  {
    if (c.sliding.active())
      throw std::invalid_argument(
        "hyperelastic_cell: a sliding plane has no finite-strain energy (the sliding cage "
        "interface takes its normal-contact form, ContactLayers::set_finite_strain)");
    const unsigned int n_q = fe_values.n_quadrature_points;
    const unsigned int n = fe_values.dofs_per_cell;
    const dealii::FiniteElement<3> &fe = fe_values.get_fe();
    const VolumetricEnergy U{c.kappa, 1 + c.swelling};

    std::vector<ShapeGradient> G(n_q * n);
    std::vector<PointKinematics> point(n_q);
    double volume = 0, J_mean = 0;
    for (unsigned int q = 0; q < n_q; ++q)
      {
        PointKinematics &p = point[q];
        p.F = dealii::unit_symmetric_tensor<3>();
        for (unsigned int i = 0; i < n; ++i)
          {
            G[q * n + i] = {fe.system_to_component_index(i).first, fe_values.shape_grad(i, q)};
            p.F[G[q * n + i].component] += u[i] * G[q * n + i].grad;
          }
        p.J = dealii::determinant(p.F);
        if (!(p.J > 0))
          {
            std::ostringstream what;
            what << "a cell turned inside out (J = " << p.J << " at a quadrature point)";
            throw InvertedCell(what.str());
          }
        p.F_inv_T = dealii::transpose(dealii::invert(p.F));
        p.I1 = dealii::scalar_product(p.F, p.F);
        p.weight = fe_values.JxW(q);
        volume += p.weight;
        J_mean += p.weight * p.J;
      }
    J_mean /= volume;
    const bool mean_dilatation = c.b_bar;

    // g_a = sum_q w J F^-T : G_a = V dJbar/du_a (B-bar cells).
    std::vector<double> g(n, 0.0);
    if (mean_dilatation)
      for (unsigned int q = 0; q < n_q; ++q)
        for (unsigned int a = 0; a < n; ++a)
          g[a] += point[q].weight * point[q].J * (G[q * n + a] * point[q].F_inv_T);

    double energy = mean_dilatation ? volume * U.value(J_mean) : 0.0;
    if (forces)
      {
        forces->reinit(n);
        if (mean_dilatation)
          for (unsigned int a = 0; a < n; ++a)
            (*forces)[a] = U.first(J_mean) * g[a];
      }
    if (tangent)
      {
        tangent->reinit(n, n);
        if (mean_dilatation)
          for (unsigned int a = 0; a < n; ++a)
            for (unsigned int b = 0; b < n; ++b)
              (*tangent)(a, b) = U.second(J_mean) / volume * g[a] * g[b];
      }

    // D_ab = V d^2 Jbar / du_a du_b, needed by fibres in B-bar cells.
    bool bbar_fibres = false;
    for (const FibreFamily &f : c.fibres)
      bbar_fibres = bbar_fibres || (mean_dilatation && f.stiffness > 0);
    dealii::FullMatrix<double> D;
    if (bbar_fibres && tangent)
      {
        D.reinit(n, n);
        for (unsigned int q = 0; q < n_q; ++q)
          {
            const PointKinematics &p = point[q];
            for (unsigned int b = 0; b < n; ++b)
              {
                const Tensor2 Gb = G[q * n + b].tensor();
                const Tensor2 T = p.F_inv_T * dealii::transpose(Gb) * p.F_inv_T;
                const double hb = G[q * n + b] * p.F_inv_T;
                for (unsigned int a = 0; a < n; ++a)
                  D(a, b) +=
                    p.weight * p.J * ((G[q * n + a] * p.F_inv_T) * hb - G[q * n + a] * T);
              }
          }
      }

    std::vector<Tensor2> dP(n);
    std::vector<double> h(n), m(n), dI4(n);
    for (unsigned int q = 0; q < n_q; ++q)
      {
        const PointKinematics &p = point[q];
        const Tensor2 &F = p.F, &FiT = p.F_inv_T;
        const double J = p.J, w = p.weight, Jm23 = std::pow(J, -2.0 / 3.0);

        // First Piola-Kirchhoff stress of the terms that live at the point.
        Tensor2 P = c.mu * Jm23 * (F - p.I1 / 3.0 * FiT);
        energy += w * c.mu / 2 * (Jm23 * p.I1 - 3);
        if (!mean_dilatation)
          {
            P += U.first(J) * J * FiT;
            energy += w * U.value(J);
          }
        for (const FibreFamily &f : c.fibres)
          if (f.stiffness > 0 && !mean_dilatation)
            {
              const Tensor2 FA = F * Tensor2(f.projector);
              const double I4 = dealii::scalar_product(FA, F);
              const FibreEnergy psi{f};
              P += 2 * psi.first(I4) * FA;
              energy += w * psi.value(I4);
            }
        if (forces)
          for (unsigned int a = 0; a < n; ++a)
            (*forces)[a] += w * (G[q * n + a] * P);

        if (tangent)
          {
            for (unsigned int b = 0; b < n; ++b)
              {
                const Tensor2 dF = G[q * n + b].tensor();
                const double FiT_dF = G[q * n + b] * FiT, F_dF = G[q * n + b] * F;
                const Tensor2 FiT_dFT_FiT = FiT * dealii::transpose(dF) * FiT;
                Tensor2 d = c.mu * Jm23 *
                            (dF - 2.0 / 3.0 * FiT_dF * F - 2.0 / 3.0 * F_dF * FiT +
                             2.0 / 9.0 * p.I1 * FiT_dF * FiT + p.I1 / 3.0 * FiT_dFT_FiT);
                if (mean_dilatation)
                  // The part of d^2 (V U(Jbar)) that is U'(Jbar) times d^2 J at this point.
                  d += U.first(J_mean) * J * (FiT_dF * FiT - FiT_dFT_FiT);
                else
                  d += (U.second(J) * J * J + U.first(J) * J) * FiT_dF * FiT -
                       U.first(J) * J * FiT_dFT_FiT;
                for (const FibreFamily &f : c.fibres)
                  if (f.stiffness > 0 && !mean_dilatation)
                    {
                      const Tensor2 A(f.projector), FA = F * A;
                      const double I4 = dealii::scalar_product(FA, F);
                      const FibreEnergy psi{f};
                      d += 4 * psi.second(I4) * dealii::scalar_product(FA, dF) * FA +
                           2 * psi.first(I4) * dF * A;
                    }
                dP[b] = d;
              }
            for (unsigned int a = 0; a < n; ++a)
              for (unsigned int b = 0; b < n; ++b)
                (*tangent)(a, b) += w * (G[q * n + a] * dP[b]);
          }

        // Fibres of B-bar cells: I4~ = s^2 I4 with s^2 = (Jbar / J)^(2/3).
        if (mean_dilatation)
          for (const FibreFamily &f : c.fibres)
            if (f.stiffness > 0)
              {
                const Tensor2 A(f.projector), FA = F * A;
                const double I4 = dealii::scalar_product(FA, F);
                const double s2 = std::pow(J_mean / J, 2.0 / 3.0), I4t = s2 * I4;
                const FibreEnergy psi{f};
                const double psi1 = psi.first(I4t), psi2 = psi.second(I4t);
                energy += w * psi.value(I4t);
                for (unsigned int a = 0; a < n; ++a)
                  {
                    h[a] = G[q * n + a] * FiT;
                    m[a] = G[q * n + a] * FA;
                    const double j = g[a] / (volume * J_mean);
                    dI4[a] = s2 * (2 * m[a] + 2.0 / 3.0 * I4 * (j - h[a]));
                    if (forces)
                      (*forces)[a] += w * psi1 * dI4[a];
                  }
                if (!tangent)
                  continue;
                for (unsigned int b = 0; b < n; ++b)
                  {
                    const Tensor2 Gb = G[q * n + b].tensor();
                    const Tensor2 T = FiT * dealii::transpose(Gb) * FiT, GbA = Gb * A;
                    const double jb = g[b] / (volume * J_mean);
                    for (unsigned int a = 0; a < n; ++a)
                      {
                        const double ja = g[a] / (volume * J_mean);
                        const double dj = D(a, b) / (volume * J_mean) - ja * jb;
                        const double dh = -(G[q * n + a] * T);
                        const double d2 =
                          2.0 / 3.0 * (jb - h[b]) * dI4[a] +
                          s2 * (2 * (G[q * n + a] * GbA) + 4.0 / 3.0 * m[b] * (ja - h[a]) +
                                2.0 / 3.0 * I4 * (dj - dh));
                        (*tangent)(a, b) += w * (psi2 * dI4[a] * dI4[b] + psi1 * d2);
                      }
                  }
              }
      }

    // Joint or band: the closure g of the cell's mean deformation gradient Fbar engages the
    // stiffness k while pressed (a joint) or stretched (a band): energy V k g^2 / 2, a
    // piecewise quadratic in g with a continuous first derivative, so Newton meets the
    // contact state of a cell in the same smooth energy and needs no active set.
    if (c.joint.present() && c.joint.stiffness > 0)
      {
        // Hbar = sum_a u_a Gbar_a with Gbar_a the cell mean of the shape gradient.
        std::vector<ShapeGradient> G_mean(n);
        Tensor2 H_mean;
        for (unsigned int a = 0; a < n; ++a)
          {
            G_mean[a].component = G[a].component;
            for (unsigned int q = 0; q < n_q; ++q)
              G_mean[a].grad += point[q].weight / volume * G[q * n + a].grad;
          }
        for (unsigned int a = 0; a < n; ++a)
          H_mean[G_mean[a].component] += u[a] * G_mean[a].grad;
        const JointClosure closure(c.joint, H_mean);
        const double g = closure.value();
        std::vector<double> dg(n);
        for (unsigned int a = 0; a < n; ++a)
          dg[a] = G_mean[a] * closure.first();
        // Engaged at g = 0 as well: the first Newton step from rest then sees every joint
        // closed and every band taut, as the linear active set starts. Starting from all
        // open, the step presses the joints through their soft capsule (1/1250 of the
        // cartilage) so far that no line search recovers it.
        // An outer active-set iteration may hold the state instead (JointPlane::held).
        const bool engaged =
          c.joint.held < 0 ? c.joint.engaged_at(g) : c.joint.held > 0;
        if (engaged)
          {
            const double k = c.joint.stiffness * volume;
            // A band past its toe region: k up to the transition, ratio x k beyond (C1).
            const double t = c.joint.engaged_in_tension ? c.joint.transition_strain
                                                        : std::numeric_limits<double>::infinity();
            const double beyond = std::max(g - t, 0.0), toe = g - beyond;
            const double ratio = c.joint.linear_region_ratio;
            energy += k * (toe * toe / 2 + toe * beyond + ratio * beyond * beyond / 2);
            const double force = k * (toe + ratio * beyond);
            const double stiffness = beyond > 0 ? ratio * k : k;
            for (unsigned int a = 0; a < n; ++a)
              {
                if (forces)
                  (*forces)[a] += force * dg[a];
                if (tangent)
                  for (unsigned int b = 0; b < n; ++b)
                    (*tangent)(a, b) += stiffness * dg[a] * dg[b];
              }
            // The closure's curvature (a stretch band's; the others are linear in Fbar).
            if (tangent && closure.curved())
              for (unsigned int a = 0; a < n; ++a)
                for (unsigned int b = 0; b < n; ++b)
                  (*tangent)(a, b) += force * closure.second(G_mean[a].tensor(), G_mean[b].tensor());
          }
      }
    return energy;
  }
} // namespace bonefusion::mechanics
