// Requirement: the hexahedral element stiffness (standard and B-bar) is symmetric positive
// semi-definite with exactly 6 zero eigenvalues (the rigid-body modes, K*mode = 0), the standard
// form equals 2 mu eps:eps + lambda div div, linear fields give the exact constant stress, and von
// Mises of uniaxial 100 MPa is 100 MPa, of pure shear tau is sqrt(3) tau.
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/tria.h>

#include "materials/linear_isotropic.h"
#include "mechanics/cell_stiffness.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

using bonefusion::mechanics::CellElasticity;
using bonefusion::mechanics::CellKinematics;
using dealii::Point;
using dealii::SymmetricTensor;
using dealii::Tensor;

namespace
{
  /** One hexahedron (unit cube or distorted) with a vector Q_degree element on it. */
  struct OneCell
  {
    dealii::Triangulation<3> tria;
    dealii::FESystem<3> fe;
    dealii::DoFHandler<3> dof_handler;
    dealii::MappingQ<3> mapping{1};
    dealii::QGauss<3> quadrature;
    std::unique_ptr<dealii::FEValues<3>> fe_values;
    std::vector<Point<3>> support_points; // real position of each local dof's node

    OneCell(const bool distorted, const unsigned int degree = 1)
      : fe(dealii::FE_Q<3>(degree), 3)
      , quadrature(degree + 1)
    {
      dealii::GridGenerator::hyper_cube(tria, 0.0, 1.0);
      if (distorted)
        {
          // A general trilinear hex (not a parallelepiped): several vertices moved.
          const auto cell = tria.begin_active();
          cell->vertex(7) = Point<3>(1.3, 1.15, 1.4);
          cell->vertex(2) = Point<3>(-0.2, 0.9, 0.1);
          cell->vertex(4) = Point<3>(0.1, -0.15, 0.8);
        }
      dof_handler.reinit(tria);
      dof_handler.distribute_dofs(fe);
      fe_values = std::make_unique<dealii::FEValues<3>>(
        mapping, fe, quadrature,
        dealii::update_gradients | dealii::update_JxW_values | dealii::update_quadrature_points);
      const auto cell = dof_handler.begin_active();
      fe_values->reinit(cell);
      for (unsigned int i = 0; i < fe.dofs_per_cell; ++i)
        support_points.push_back(
          mapping.transform_unit_to_real_cell(cell, fe.unit_support_point(i)));
    }

    unsigned int component(const unsigned int i) const
    {
      return fe.system_to_component_index(i).first;
    }

    /** Local dof values of the vector field f interpolated at the nodes. */
    template <typename F>
    dealii::Vector<double> interpolate(F &&f) const
    {
      dealii::Vector<double> u(fe.dofs_per_cell);
      for (unsigned int i = 0; i < fe.dofs_per_cell; ++i)
        u[i] = f(support_points[i])[component(i)];
      return u;
    }
  };

  CellElasticity elasticity(const double E, const double nu, const bool b_bar)
  {
    const bonefusion::materials::LinearIsotropic m{E, nu};
    return CellElasticity{m.mu(), m.bulk_modulus(), b_bar};
  }

  Eigen::MatrixXd to_eigen(const dealii::FullMatrix<double> &A)
  {
    Eigen::MatrixXd B(A.m(), A.n());
    for (unsigned int i = 0; i < A.m(); ++i)
      for (unsigned int j = 0; j < A.n(); ++j)
        B(i, j) = A(i, j);
    return B;
  }

  dealii::FullMatrix<double> stiffness(const OneCell &c, const CellElasticity &e)
  {
    CellKinematics k;
    k.reinit(*c.fe_values, e);
    dealii::FullMatrix<double> K;
    k.stiffness(*c.fe_values, e, K);
    return K;
  }

  /** The six rigid-body modes (3 translations, 3 infinitesimal rotations) as dof vectors. */
  std::vector<dealii::Vector<double>> rigid_modes(const OneCell &c)
  {
    std::vector<dealii::Vector<double>> modes;
    for (unsigned int d = 0; d < 3; ++d)
      {
        Tensor<1, 3> e;
        e[d] = 1;
        modes.push_back(c.interpolate([&](const Point<3> &) { return e; }));
        modes.push_back(
          c.interpolate([&](const Point<3> &x) { return dealii::cross_product_3d(e, x); }));
      }
    return modes;
  }

  Tensor<2, 3> general_gradient()
  {
    Tensor<2, 3> G;
    const double values[3][3] = {
      {1.3e-3, -0.4e-3, 2.1e-3}, {0.8e-3, -2.2e-3, 0.5e-3}, {-1.1e-3, 0.6e-3, 0.9e-3}};
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        G[i][j] = values[i][j];
    return G;
  }

  std::string label(const bool distorted, const bool b_bar, const unsigned int degree = 1)
  {
    return std::string(distorted ? "distorted" : "unit cube") + (b_bar ? ", B-bar" : ", standard") +
           ", Q" + std::to_string(degree);
  }

  /** One element variant of for_each_element_variant(). */
  struct ElementVariant
  {
    const OneCell &cell;
    bool b_bar, distorted;
    unsigned int degree;
  };

  /** Runs check on Q1 and Q2, unit and distorted cells, standard and B-bar. */
  void for_each_element_variant(const std::function<void(const ElementVariant &)> &check)
  {
    for (const unsigned int degree : {1u, 2u})
      for (const bool distorted : {false, true})
        for (const bool b_bar : {false, true})
          {
            SCOPED_TRACE(label(distorted, b_bar, degree));
            const OneCell cell(distorted, degree);
            check({cell, b_bar, distorted, degree});
          }
  }
} // namespace

TEST(CellStiffness, SymmetricPositiveSemidefiniteWithSixRigidBodyModes)
{
  for (const unsigned int degree : {1u, 2u})
    for (const bool distorted : {false, true})
      for (const bool b_bar : {false, true})
        for (const double nu : {0.3, 0.499})
          {
            SCOPED_TRACE(label(distorted, b_bar, degree) + ", nu = " + std::to_string(nu));
            const OneCell cell(distorted, degree);
            const dealii::FullMatrix<double> K = stiffness(cell, elasticity(1000, nu, b_bar));
            const unsigned int n = K.m();
            ASSERT_EQ(n, 3 * cell.fe.base_element(0).dofs_per_cell);
            double max_entry = 0;
            for (unsigned int i = 0; i < n; ++i)
              for (unsigned int j = 0; j < n; ++j)
                max_entry = std::max(max_entry, std::abs(K(i, j)));
            for (unsigned int i = 0; i < n; ++i)
              for (unsigned int j = 0; j < i; ++j)
                ASSERT_NEAR(K(i, j), K(j, i), 1e-14 * max_entry) << i << ", " << j;

            const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(to_eigen(K));
            const Eigen::VectorXd lambda = eig.eigenvalues(); // ascending
            const double lmax = lambda(n - 1);
            ASSERT_GT(lmax, 0);
            // A single Q2 cell with B-bar has 3 more zero-energy modes: the special conformal
            // fields, whose strain is purely volumetric with zero cell mean (see
            // BBarQ2SingleCellConformalModes). Neighbouring cells constrain them.
            const unsigned int n_zero = (degree == 2 && b_bar) ? 9 : 6;
            for (unsigned int i = 0; i < n_zero; ++i)
              EXPECT_LT(std::abs(lambda(i)), 1e-10 * lmax) << "eigenvalue " << i;
            // The next is a genuine deformation mode. With nu = 0.499 the weakest deformation
            // modes are of order mu while lmax ~ K, hence the loose ratio.
            EXPECT_GT(lambda(n_zero), 1e-6 * lmax) << "more than " << n_zero << " zero modes";

            for (const dealii::Vector<double> &mode : rigid_modes(cell))
              {
                dealii::Vector<double> Km(n);
                K.vmult(Km, mode);
                EXPECT_LT(Km.linfty_norm(), 1e-12 * max_entry * mode.linfty_norm());
              }
          }
}

TEST(CellStiffness, BBarQ2SingleCellConformalModes)
{
  // u = 2 (b.r) r - |r|^2 b with r = x - centroid has dev eps(u) = 0 and div u = 6 b.r,
  // whose cell mean is zero: no energy with B-bar, positive energy with full integration.
  const OneCell cell(false, 2);
  const Point<3> centroid(0.5, 0.5, 0.5);
  Tensor<1, 3> b;
  b[0] = 0.3;
  b[1] = -0.5;
  b[2] = 0.8;
  const dealii::Vector<double> u = cell.interpolate([&](const Point<3> &x) {
    const Tensor<1, 3> r = x - centroid;
    return Tensor<1, 3>(2 * (b * r) * r - (r * r) * b);
  });
  const dealii::FullMatrix<double> Kb = stiffness(cell, elasticity(1000, 0.3, true));
  const dealii::FullMatrix<double> Ks = stiffness(cell, elasticity(1000, 0.3, false));
  const double scale = Kb.linfty_norm() * u.l2_norm() * u.l2_norm();
  EXPECT_LT(Kb.matrix_norm_square(u), 1e-12 * scale);
  EXPECT_GT(Ks.matrix_norm_square(u), 1e-3 * scale);
}

TEST(CellStiffness, StandardFormEqualsIndependentAssembly)
{
  for (const bool distorted : {false, true})
    {
      SCOPED_TRACE(label(distorted, false));
      const OneCell cell(distorted);
      const bonefusion::materials::LinearIsotropic m{2500, 0.35};
      const dealii::FullMatrix<double> K = stiffness(cell, elasticity(2500, 0.35, false));

      // a(u, v) = int 2 mu eps(u):eps(v) + lambda div u div v
      const dealii::FEValues<3> &fv = *cell.fe_values;
      const dealii::FEValuesExtractors::Vector u(0);
      const unsigned int n = cell.fe.dofs_per_cell;
      dealii::FullMatrix<double> reference(n, n);
      for (unsigned int q = 0; q < fv.n_quadrature_points; ++q)
        for (unsigned int i = 0; i < n; ++i)
          for (unsigned int j = 0; j < n; ++j)
            reference(i, j) +=
              (2 * m.mu() * (fv[u].symmetric_gradient(i, q) * fv[u].symmetric_gradient(j, q)) +
               m.lambda() * fv[u].divergence(i, q) * fv[u].divergence(j, q)) *
              fv.JxW(q);
      const double scale = reference.linfty_norm();
      for (unsigned int i = 0; i < n; ++i)
        for (unsigned int j = 0; j < n; ++j)
          ASSERT_NEAR(K(i, j), reference(i, j), 1e-12 * scale) << i << ", " << j;
    }
}

TEST(CellStiffness, BBarVolumetricPartHasRankOne)
{
  // With mu = 0 only the volumetric term is left: K thetabar thetabar^T has rank one
  // (one constraint per cell, what removes the locking); the fully integrated term
  // constrains the dilatation at each of the 8 Gauss points.
  for (const bool distorted : {false, true})
    {
      const OneCell cell(distorted);
      const auto rank = [&](const bool b_bar) {
        const dealii::FullMatrix<double> K = stiffness(cell, CellElasticity{0.0, 1.0, b_bar});
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(to_eigen(K));
        const double lmax = eig.eigenvalues().maxCoeff();
        return (eig.eigenvalues().array() > 1e-10 * lmax).count();
      };
      EXPECT_EQ(rank(true), 1) << label(distorted, true);
      EXPECT_GT(rank(false), 1) << label(distorted, false);
    }
}

TEST(CellStiffness, BBarAndStandardAgreeForLinearFields)
{
  // A linear field has a constant dilatation, so its cell mean is the pointwise value and
  // both forms give the same energy.
  const Tensor<2, 3> G = general_gradient();
  for (const bool distorted : {false, true})
    {
      const OneCell cell(distorted);
      const dealii::Vector<double> u =
        cell.interpolate([&](const Point<3> &x) { return Tensor<1, 3>(G * x); });
      const dealii::FullMatrix<double> Ks = stiffness(cell, elasticity(1000, 0.45, false));
      const dealii::FullMatrix<double> Kb = stiffness(cell, elasticity(1000, 0.45, true));
      const double es = Ks.matrix_norm_square(u), eb = Kb.matrix_norm_square(u);
      EXPECT_NEAR(eb, es, 1e-12 * es) << label(distorted, true);
    }
}

TEST(CellStiffness, PatchTestLinearFieldGivesExactConstantStress)
{
  const Tensor<2, 3> G = general_gradient();
  Tensor<1, 3> a;
  a[0] = 0.1;
  a[1] = -0.2;
  a[2] = 0.05;
  const SymmetricTensor<2, 3> eps_exact = dealii::symmetrize(G);
  const bonefusion::materials::LinearIsotropic m{1000, 0.3};
  // sigma = lambda tr(eps) I + 2 mu eps
  const SymmetricTensor<2, 3> sigma_exact =
    m.lambda() * dealii::trace(eps_exact) * dealii::unit_symmetric_tensor<3>() +
    2 * m.mu() * eps_exact;
  for_each_element_variant([&](const ElementVariant &v) {
    const OneCell &cell = v.cell;
    const bool b_bar = v.b_bar;
    const dealii::Vector<double> u =
      cell.interpolate([&](const Point<3> &x) { return Tensor<1, 3>(a + G * x); });
    CellKinematics k;
    k.reinit(*cell.fe_values, b_bar);
    ASSERT_EQ(k.n_quadrature_points(), cell.quadrature.size());
    const CellElasticity e = elasticity(1000, 0.3, b_bar);
    for (unsigned int q = 0; q < k.n_quadrature_points(); ++q)
      {
        const SymmetricTensor<2, 3> eps = k.strain(q, u);
        const SymmetricTensor<2, 3> sigma = bonefusion::mechanics::stress(e, eps);
        for (unsigned int i = 0; i < 3; ++i)
          for (unsigned int j = 0; j < 3; ++j)
            {
              EXPECT_NEAR(eps[i][j], eps_exact[i][j], 1e-14) << "q " << q;
              EXPECT_NEAR(sigma[i][j], sigma_exact[i][j], 1e-11) << "q " << q;
            }
      }
    // A rigid rotation added to the field changes no strain.
    const dealii::Vector<double> r = cell.interpolate([&](const Point<3> &x) {
      Tensor<1, 3> w;
      w[0] = 0.01;
      w[1] = -0.02;
      w[2] = 0.03;
      return Tensor<1, 3>(dealii::cross_product_3d(w, x));
    });
    for (unsigned int q = 0; q < k.n_quadrature_points(); ++q)
      EXPECT_LT(k.strain(q, r).norm(), 1e-14);
  });
}

TEST(Stress, HookesLawFromMuAndKappa)
{
  // Uniaxial stress state check: eps = diag(1, -nu, -nu) * s / E gives sigma = diag(s, 0, 0).
  const double E = 1000, nu = 0.25, s = 50;
  SymmetricTensor<2, 3> eps;
  eps[0][0] = s / E;
  eps[1][1] = eps[2][2] = -nu * s / E;
  const SymmetricTensor<2, 3> sigma = bonefusion::mechanics::stress(elasticity(E, nu, false), eps);
  EXPECT_NEAR(sigma[0][0], s, 1e-12);
  EXPECT_NEAR(sigma[1][1], 0, 1e-12);
  EXPECT_NEAR(sigma[2][2], 0, 1e-12);
  EXPECT_NEAR(sigma[0][1], 0, 1e-12);
}

TEST(VonMises, UniaxialShearAndHydrostatic)
{
  using bonefusion::mechanics::von_mises;
  SymmetricTensor<2, 3> uniaxial;
  uniaxial[0][0] = 100;
  EXPECT_NEAR(von_mises(uniaxial), 100.0, 1e-12);
  SymmetricTensor<2, 3> axial_z;
  axial_z[2][2] = -100; // compression
  EXPECT_NEAR(von_mises(axial_z), 100.0, 1e-12);

  const double tau = 40;
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = i + 1; j < 3; ++j)
      {
        SymmetricTensor<2, 3> shear;
        shear[i][j] = tau;
        EXPECT_NEAR(von_mises(shear), std::sqrt(3.0) * tau, 1e-12) << i << j;
      }

  const SymmetricTensor<2, 3> pressure = -25.0 * dealii::unit_symmetric_tensor<3>();
  EXPECT_NEAR(von_mises(pressure), 0.0, 1e-12);
  EXPECT_NEAR(von_mises(uniaxial + pressure), 100.0, 1e-12);
}

namespace
{
  /** Isotropic constants plus two unit fibre families (not orthogonal, not axis-aligned). */
  CellElasticity fibre_reinforced(const bool b_bar)
  {
    CellElasticity e = elasticity(4.2, 0.45, b_bar);
    Tensor<1, 3> a, b;
    a[0] = 0.6;
    a[1] = 0.48;
    a[2] = 0.64; // |a| = 1
    b[0] = 0.8;
    b[2] = -0.6; // |b| = 1
    e.fibres[0] = {dealii::symmetrize(dealii::outer_product(a, a)), 18.2};
    e.fibres[1] = {dealii::symmetrize(dealii::outer_product(b, b)), 9.1};
    return e;
  }
} // namespace

namespace
{
  /** Checks u.K.u = integral of sigma(e, eps(u)) : eps(u) for u = G x; returns u. */
  dealii::Vector<double> expect_energy_consistent_with_stress(const OneCell &cell,
                                                              const CellElasticity &e,
                                                              const dealii::FullMatrix<double> &K,
                                                              const Tensor<2, 3> &G,
                                                              const bool b_bar)
  {
    const dealii::Vector<double> u =
      cell.interpolate([&](const Point<3> &x) { return Tensor<1, 3>(G * x); });
    dealii::Vector<double> Ku(u.size());
    K.vmult(Ku, u);
    CellKinematics k;
    k.reinit(*cell.fe_values, e);
    EXPECT_EQ(e.b_bar, b_bar);
    double energy = 0;
    for (unsigned int q = 0; q < k.n_quadrature_points(); ++q)
      {
        const SymmetricTensor<2, 3> eps = k.strain(q, u);
        energy += bonefusion::mechanics::stress(e, eps) * eps * cell.fe_values->JxW(q);
      }
    EXPECT_NEAR(u * Ku, energy, 1e-12 * std::abs(energy));
    return u;
  }

  /** Checks that the six rigid-body modes produce no nodal forces. */
  void expect_rigid_modes_in_null_space(const OneCell &cell, const dealii::FullMatrix<double> &K)
  {
    for (const auto &mode : rigid_modes(cell))
      {
        dealii::Vector<double> r(mode.size());
        K.vmult(r, mode);
        EXPECT_LT(r.linfty_norm(), 1e-12 * K.linfty_norm());
      }
  }
} // namespace

// Requirement: a fibre family adds stress k (A:eps) A only, the element matrix with fibres stays
// consistent with stress() (u.K.u = integral of sigma:eps for a linear field, standard and
// B-bar, Q1 and Q2, distorted cells) and still has the six rigid-body modes as its null space.
TEST(FibreFamily, StressIsUniaxialAlongTheFibre)
{
  CellElasticity plain = elasticity(4.2, 0.45, false);
  CellElasticity with = plain;
  Tensor<1, 3> a;
  a[1] = 1;
  with.fibres[0] = {dealii::symmetrize(dealii::outer_product(a, a)), 18.2};
  SymmetricTensor<2, 3> eps;
  eps[1][1] = 0.01;
  eps[0][2] = 0.003;
  const SymmetricTensor<2, 3> extra =
    bonefusion::mechanics::stress(with, eps) - bonefusion::mechanics::stress(plain, eps);
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = 0; j < 3; ++j)
      EXPECT_NEAR(extra[i][j], (i == 1 && j == 1) ? 18.2 * 0.01 : 0.0, 1e-15);
}

TEST(FibreFamily, ElementMatrixMatchesStressEnergyAndKeepsRigidModes)
{
  const Tensor<2, 3> G = general_gradient();
  for_each_element_variant([&](const ElementVariant &v) {
    const OneCell &cell = v.cell;
    const bool b_bar = v.b_bar;
    const CellElasticity e = fibre_reinforced(b_bar);
    const dealii::FullMatrix<double> K = stiffness(cell, e);
    const dealii::Vector<double> u = expect_energy_consistent_with_stress(cell, e, K, G, b_bar);
    // The fibres must add stiffness: the same field stores more energy than without.
    const dealii::FullMatrix<double> K0 = stiffness(cell, elasticity(4.2, 0.45, b_bar));
    dealii::Vector<double> Ku(u.size()), K0u(u.size());
    K.vmult(Ku, u);
    K0.vmult(K0u, u);
    EXPECT_GT(u * Ku, 1.01 * (u * K0u));
    expect_rigid_modes_in_null_space(cell, K);
  });
}

namespace
{
  /** A cell that slides along the plane z = const: transverse shear modulus f mu. */
  CellElasticity sliding_on_z(const bool b_bar, const double fraction)
  {
    CellElasticity e = elasticity(3600, 0.3, b_bar);
    e.sliding.normal[2] = 1;
    e.sliding.shear_fraction = fraction;
    return e;
  }
} // namespace

// Requirement: a sliding plane (the cage resting on an endplate) scales the shear across the
// plane (sigma_xz, sigma_yz) by the shear fraction and leaves every other stress component
// as in the isotropic cell; its element matrix stays consistent with stress() (u.K.u =
// integral of sigma:eps), stores less energy in transverse shear than the bonded cell, and
// keeps the six rigid-body modes as its null space.
TEST(SlidingPlane, ScalesOnlyTheShearAcrossThePlane)
{
  const CellElasticity bonded = elasticity(3600, 0.3, false);
  const CellElasticity sliding = sliding_on_z(false, 1e-3);
  SymmetricTensor<2, 3> eps;
  eps[0][0] = 0.002;
  eps[1][1] = -0.001;
  eps[2][2] = -0.004;
  eps[0][1] = 0.0015;
  eps[0][2] = 0.003;
  eps[1][2] = -0.002;
  const SymmetricTensor<2, 3> s0 = bonefusion::mechanics::stress(bonded, eps);
  const SymmetricTensor<2, 3> s1 = bonefusion::mechanics::stress(sliding, eps);
  for (unsigned int i = 0; i < 3; ++i)
    for (unsigned int j = i; j < 3; ++j)
      {
        const bool across = (i == 2) != (j == 2); // xz or yz
        EXPECT_NEAR(s1[i][j], across ? 1e-3 * s0[i][j] : s0[i][j], 1e-12 * std::abs(s0[i][j]))
          << "component " << i << j;
      }
}

TEST(SlidingPlane, ElementMatrixMatchesStressEnergyAndKeepsRigidModes)
{
  const Tensor<2, 3> G = general_gradient();
  for_each_element_variant([&](const ElementVariant &v) {
    const OneCell &cell = v.cell;
    const bool b_bar = v.b_bar, distorted = v.distorted;
    const CellElasticity e = sliding_on_z(b_bar, 1e-3);
    const dealii::FullMatrix<double> K = stiffness(cell, e);
    expect_energy_consistent_with_stress(cell, e, K, G, b_bar);
    // Simple shear across the plane (u_x = gamma z) is almost free.
    const dealii::Vector<double> shear = cell.interpolate([](const Point<3> &x) {
      return Tensor<1, 3>({0.01 * x[2], 0, 0});
    });
    const dealii::FullMatrix<double> K0 = stiffness(cell, elasticity(3600, 0.3, b_bar));
    dealii::Vector<double> Ks(shear.size()), K0s(shear.size());
    K.vmult(Ks, shear);
    K0.vmult(K0s, shear);
    if (!distorted)
      EXPECT_NEAR(shear * Ks, 1e-3 * (shear * K0s), 1e-9 * (shear * K0s));
    else
      EXPECT_LT(shear * Ks, 0.5 * (shear * K0s));
    expect_rigid_modes_in_null_space(cell, K);
  });
}

namespace
{
  /** A soft pad (the capsule) holding an oblique joint: normal n at 50 deg to the sagittal
   *  plane in the horizontal plane, the pad's normal z; closed joint stiffness k. */
  CellElasticity joint_pad(const bool b_bar, const double k, Tensor<1, 3> &n)
  {
    CellElasticity e = elasticity(1.2, 0.4, b_bar);
    const double angle = 50 * dealii::numbers::PI / 180;
    n = Tensor<1, 3>({-std::cos(angle), -std::sin(angle), 0.0});
    e.joint.across_layer(Tensor<1, 3>({0.0, 0.0, 1.0}), n);
    e.joint.stiffness = k;
    return e;
  }
} // namespace

// Requirement: a closed joint resists the relative motion of the pad's faces along its normal
// with stiffness k per unit closure (energy (k + mu) Delta^2 V / 2 for u = Delta z n, the mu
// from the capsule's shear), and lets them slide along the joint surface (u = Delta z t costs
// the capsule's shear only); an open joint (k = 0) leaves the capsule alone. The closure is a
// cell mean at every quadrature point; the element matrix stays consistent with stress()
// and keeps the rigid-body modes as its null space (Q1 and Q2, distorted, B-bar).
TEST(JointPlane, ClosedJointResistsOnlyClosureAlongItsNormal)
{
  const double k = 154, delta = 0.02;
  for (const unsigned int degree : {1u, 2u})
    {
      SCOPED_TRACE("Q" + std::to_string(degree));
      const OneCell cell(false, degree);
      Tensor<1, 3> n;
      const CellElasticity closed = joint_pad(false, k, n);
      CellElasticity open = closed;
      open.joint.stiffness = 0;
      const Tensor<1, 3> t = dealii::cross_product_3d(Tensor<1, 3>({0.0, 0.0, 1.0}), n);
      const auto energy = [&](const CellElasticity &e, const Tensor<1, 3> &direction) {
        const dealii::Vector<double> u = cell.interpolate(
          [&](const Point<3> &x) { return Tensor<1, 3>(delta * x[2] * direction); });
        const dealii::FullMatrix<double> K = stiffness(cell, e);
        dealii::Vector<double> Ku(u.size());
        K.vmult(Ku, u);
        return 0.5 * (u * Ku);
      };
      const double mu = closed.mu, volume = 1;
      EXPECT_NEAR(energy(closed, n), 0.5 * (k + mu) * delta * delta * volume, 1e-12);
      EXPECT_NEAR(energy(open, n), 0.5 * mu * delta * delta * volume, 1e-12);
      EXPECT_NEAR(energy(closed, t), 0.5 * mu * delta * delta * volume, 1e-12);
      // The normal stress across the joint: k times the closure.
      SymmetricTensor<2, 3> eps =
        delta * dealii::symmetrize(dealii::outer_product(n, Tensor<1, 3>({0.0, 0.0, 1.0})));
      const SymmetricTensor<2, 3> s = bonefusion::mechanics::stress(closed, eps);
      EXPECT_NEAR(n * (s * Tensor<1, 3>({0.0, 0.0, 1.0})), (k + mu) * delta, 1e-12);
    }
}

TEST(JointPlane, ClosureIsACellMeanAndMatrixMatchesStressEnergy)
{
  const Tensor<2, 3> G = general_gradient();
  for_each_element_variant([&](const ElementVariant &v) {
    const OneCell &cell = v.cell;
    const bool b_bar = v.b_bar, distorted = v.distorted;
    const unsigned int degree = v.degree;
    Tensor<1, 3> n;
    const CellElasticity e = joint_pad(b_bar, 154, n);
    const dealii::FullMatrix<double> K = stiffness(cell, e);
    expect_energy_consistent_with_stress(cell, e, K, G, b_bar);
    expect_rigid_modes_in_null_space(cell, K);
    // A field whose closure varies through the cell (u = z^2 n): A : eps is the same
    // at every quadrature point, and equal to the cell mean of the raw closure 2 z.
    const dealii::Vector<double> u =
      cell.interpolate([&](const Point<3> &x) { return Tensor<1, 3>(x[2] * x[2] * n); });
    CellKinematics kin;
    kin.reinit(*cell.fe_values, e);
    double volume = 0, raw = 0;
    for (unsigned int q = 0; q < kin.n_quadrature_points(); ++q)
      {
        volume += cell.fe_values->JxW(q);
        raw += 2 * cell.fe_values->quadrature_point(q)[2] * cell.fe_values->JxW(q);
      }
    if (!distorted && degree == 2) // z^2 is interpolated exactly by Q2 only
      {
        for (unsigned int q = 0; q < kin.n_quadrature_points(); ++q)
          EXPECT_NEAR(e.joint.opening * kin.strain(q, u), raw / volume, 1e-12);
      }
    const double first = e.joint.opening * kin.strain(0, u);
    for (unsigned int q = 1; q < kin.n_quadrature_points(); ++q)
      EXPECT_NEAR(e.joint.opening * kin.strain(q, u), first, 1e-12);
  });
}

// Requirement: a tension-only band (joint term A = e (x) e, engaged in tension) adds k eps_zz
// on the cell mean: for u = Delta z e_z the energy is (k + M) Delta^2 V / 2 with M = kappa +
// 4 mu / 3 of the rest of the cell; the element matrix stays consistent with stress() and
// keeps the rigid modes (Q1, Q2, distorted); a B-bar cell refuses such a term.
TEST(JointPlane, TensionOnlyBandIsAFibreOnTheCellMean)
{
  const double k = 40, delta = 0.01;
  const Tensor<2, 3> G = general_gradient();
  for (const unsigned int degree : {1u, 2u})
    for (const bool distorted : {false, true})
      {
        SCOPED_TRACE(label(distorted, false, degree));
        const OneCell cell(distorted, degree);
        CellElasticity e = elasticity(0.04, 0.3, false);
        const Tensor<1, 3> z({0.0, 0.0, 1.0});
        e.joint.along(z);
        e.joint.engaged_in_tension = true;
        e.joint.stiffness = k;
        const dealii::FullMatrix<double> K = stiffness(cell, e);
        expect_energy_consistent_with_stress(cell, e, K, G, false);
        expect_rigid_modes_in_null_space(cell, K);
        if (!distorted)
          {
            const dealii::Vector<double> u =
              cell.interpolate([&](const Point<3> &x) { return Tensor<1, 3>(delta * x[2] * z); });
            dealii::Vector<double> Ku(u.size());
            K.vmult(Ku, u);
            EXPECT_NEAR(0.5 * (u * Ku), 0.5 * (k + e.kappa + 4.0 / 3.0 * e.mu) * delta * delta,
                        1e-12);
          }
        e.b_bar = true;
        CellKinematics kin;
        EXPECT_THROW(kin.reinit(*cell.fe_values, e), std::logic_error);
      }
}
