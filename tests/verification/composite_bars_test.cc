// Requirement: two-material bars obey 1-D bar theory exactly (nu = 0) — in series the end
// displacement is F (L1 / (E1 A) + L2 / (E2 A)), in parallel each material carries
// E_i A_i delta / L, shares E_i A_i / sum E A, all to 1e-8 relative.
//
// SERIES. Bar along x, section 10 x 10 mm (A = 100 mm^2); 0 < x < 30 mm material 0
// (E1 = 3 000 MPa), 30 < x < 50 mm material 1 (E2 = 110 000 MPa, titanium); nu = 0 in both.
// Face x = 0 clamped (all components), face x = 50 mm loaded by the uniform axial traction
// F / A with F = 1 000 N. With nu = 0 there is no lateral contraction, so the 1-D field
//   u_x = F x / (E1 A) (x < L1),   u_x = F L1 / (E1 A) + F (x - L1) / (E2 A) (x > L1),
//   u_y = u_z = 0,   sigma_xx = F / A in both materials,
// satisfies the clamp, the free lateral faces, the load and the interface (continuous u and
// traction) exactly: it is the 3-D solution. It is piecewise linear with a kink at the mesh
// plane x = L1, so Q1 and Q2 reproduce it exactly; the end displacement is
//   delta = F (L1 / (E1 A) + L2 / (E2 A)) = 0.101818... mm.
// Solved with the library's ElasticSystem (clamp, traction_rhs, CG + AMG to 1e-13).
//
// PARALLEL (the model of graft-versus-rod load sharing). Bar along z, L = 40 mm, section
// 10 x 10 mm split lengthwise at x = 6 mm: "graft" 0 < x < 6 (material id 1, E = 1 000 MPa,
// A_g = 60 mm^2) beside "rod" 6 < x < 10 (id 2, E = 110 000 MPa, A_r = 40 mm^2), bonded along
// their common face, nu = 0. Face z = 0 clamped, face z = L moved rigidly by delta = 0.1 mm
// along z (u = (0, 0, delta): a rigid end cap, prescribed exactly as inhomogeneous Dirichlet
// data). The exact solution is u = (0, 0, delta z / L): uniform strain delta / L in both, no
// stress across the bond (its normal is x), so the force in material i through any section is
//   F_i = E_i A_i delta / L  (graft 150 N, rod 11 000 N),   share_i = E_i A_i / sum_j E_j A_j,
// and the reaction at the moved end is their sum. This is the fusion model's question "how
// much of the load goes through the graft and how much through the rod" in its simplest
// form: stiffness in parallel, shares by E A (graft 1.35 % here).
// The forces per material are those of the library's postprocess::section_resultants (internal
// nodal forces of the cells below the plane z = 10, 20, 30 mm), the total reaction is computed
// independently by verification::DirichletElasticity::reaction (K u at the moved face).
// ElasticSystem cannot prescribe non-zero displacements, so the system is solved by the test
// harness (same element matrices, KLU direct solver) on the ElasticSystem's DoFHandler, and
// the solution vector is handed to section_resultants.
//
// Tolerance 1e-8 relative (the brief's): the exact answer is in the discrete space, so only
// round-off and the solver tolerance remain (measured in docs/verification.md).
#include <deal.II/base/function.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/grid/grid_generator.h>

#include "materials/linear_isotropic.h"
#include "mechanics/elastic_system.h"
#include "postprocess/section_resultants.h"
#include "verification_fixtures.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>

namespace
{
  using namespace bonefusion;

  constexpr double tolerance = 1e-8;

  mechanics::CellElasticity elasticity(const double E)
  {
    const materials::LinearIsotropic law{E, 0.0};
    law.validate("test material");
    return {law.mu(), law.bulk_modulus(), false};
  }

  bool root()
  {
    return dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  }

  // ------------------------------------------------------------------ series

  namespace series
  {
    constexpr double L1 = 30.0, L2 = 20.0, side = 10.0; // [mm]
    constexpr double E1 = 3000.0, E2 = 110000.0;        // [MPa]
    constexpr double F = 1000.0;                        // [N]
    constexpr double A = side * side;                   // [mm^2]
    constexpr dealii::types::boundary_id clamped_id = 0, loaded_id = 1;

    double exact_u_x(const double x)
    {
      return x < L1 ? F * x / (E1 * A) : F * L1 / (E1 * A) + F * (x - L1) / (E2 * A);
    }

    struct Result
    {
      double end_displacement = 0; // average u_x over the loaded face [mm]
      double max_field_error = 0;  // max over all nodes of |u_h - u| / delta
      unsigned int iterations = 0;
    };

    Result run(const unsigned int degree)
    {
      const MPI_Comm mpi = MPI_COMM_WORLD;
      dealii::parallel::distributed::Triangulation<3> tria(mpi);
      // 5 mm cubes: the interface x = 30 mm is a mesh plane.
      dealii::GridGenerator::subdivided_hyper_rectangle(
        tria, {10, 2, 2}, dealii::Point<3>(0, 0, 0), dealii::Point<3>(L1 + L2, side, side), true);
      for (const auto &cell : tria.active_cell_iterators())
        cell->set_material_id(cell->center()[0] < L1 ? 0 : 1);

      mechanics::ElasticSystem system(tria, degree);
      system.setup({clamped_id});
      const mechanics::CellElasticity c[2] = {elasticity(E1), elasticity(E2)};
      system.assemble([&](const mechanics::CellIterator &cell) { return c[cell->material_id()]; });
      system.build_preconditioner();
      const mechanics::Vector rhs = system.traction_rhs(loaded_id, [](const dealii::Point<3> &) {
        return dealii::Tensor<1, 3>({F / A, 0, 0});
      });
      mechanics::Vector u = system.make_ghosted_vector();
      const mechanics::SolveReport report = system.solve(rhs, u, 1e-13, 1000);

      const double delta = exact_u_x(L1 + L2);
      const auto &fe = system.element();
      const std::vector<dealii::Point<3>> &unit_points = fe.get_unit_support_points();
      dealii::Vector<double> local(fe.n_dofs_per_cell());
      const dealii::QGauss<2> face_quadrature(degree + 1);
      dealii::FEFaceValues<3> fv(system.map(), fe, face_quadrature,
                                 dealii::update_values | dealii::update_JxW_values);
      std::vector<double> u_x(face_quadrature.size());
      double sums[2] = {0, 0}, max_error = 0;
      for (const auto &cell : system.dofs().active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell->get_dof_values(u, local);
            for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
              {
                const unsigned int comp = fe.system_to_component_index(i).first;
                const dealii::Point<3> x =
                  system.map().transform_unit_to_real_cell(cell, unit_points[i]);
                const double exact = comp == 0 ? exact_u_x(x[0]) : 0.0;
                max_error = std::max(max_error, std::abs(local[i] - exact) / delta);
              }
            for (const unsigned int f : cell->face_indices())
              if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == loaded_id)
                {
                  fv.reinit(cell, f);
                  fv[dealii::FEValuesExtractors::Scalar(0)].get_function_values(u, u_x);
                  for (unsigned int q = 0; q < face_quadrature.size(); ++q)
                    {
                      sums[0] += u_x[q] * fv.JxW(q);
                      sums[1] += fv.JxW(q);
                    }
                }
          }
      dealii::Utilities::MPI::sum(dealii::ArrayView<const double>(sums, 2), mpi,
                                  dealii::ArrayView<double>(sums, 2));
      return {sums[0] / sums[1], dealii::Utilities::MPI::max(max_error, mpi), report.iterations};
    }
  } // namespace series

  TEST(SeriesBar, EndDisplacementIsSumOfSegmentCompliances)
  {
    const double delta =
      series::F * (series::L1 / (series::E1 * series::A) + series::L2 / (series::E2 * series::A));
    for (const unsigned int degree : {1u, 2u})
      {
        const series::Result r = series::run(degree);
        if (root())
          std::cout << "  series bar Q" << degree << ": end displacement " << std::setprecision(12)
                    << r.end_displacement << " mm, exact " << delta << " mm, rel. error "
                    << std::scientific << std::setprecision(2) << r.end_displacement / delta - 1
                    << ", max nodal error / delta " << r.max_field_error << ", CG its "
                    << r.iterations << std::defaultfloat << "\n";
        EXPECT_LT(std::abs(r.end_displacement / delta - 1), tolerance) << "Q" << degree;
        EXPECT_LT(r.max_field_error, tolerance) << "Q" << degree;
      }
  }

  // ------------------------------------------------------------------ parallel

  namespace parallel
  {
    constexpr double L = 40.0, side = 10.0, split = 6.0; // [mm]
    constexpr double delta = 0.1;                        // end displacement [mm]
    constexpr unsigned int graft_id = 1, rod_id = 2;
    constexpr double E_graft = 1000.0, E_rod = 110000.0;                    // [MPa]
    constexpr double A_graft = split * side, A_rod = (side - split) * side; // [mm^2]
    constexpr dealii::types::boundary_id clamped_id = 4, moved_id = 5;      // z = 0, z = L

    double EA(const unsigned int id)
    {
      return id == graft_id ? E_graft * A_graft : E_rod * A_rod;
    }

    struct Result
    {
      std::map<double, std::map<unsigned int, postprocess::Resultant>> planes; // by z
      dealii::Tensor<1, 3> reaction_moved, reaction_clamped;                   // [N]
    };

    Result run(const unsigned int degree)
    {
      const MPI_Comm mpi = MPI_COMM_WORLD;
      dealii::parallel::distributed::Triangulation<3> tria(mpi);
      // 2 x 2 x 5 mm cells: x = 6 and z = 10, 20, 30 are mesh planes.
      dealii::GridGenerator::subdivided_hyper_rectangle(tria, {5, 5, 8}, dealii::Point<3>(0, 0, 0),
                                                        dealii::Point<3>(side, side, L), true);
      for (const auto &cell : tria.active_cell_iterators())
        cell->set_material_id(cell->center()[0] < split ? graft_id : rod_id);

      // The ElasticSystem provides the DoFs and the material map that section_resultants uses.
      mechanics::ElasticSystem system(tria, degree);
      system.setup({});
      const mechanics::CellElasticity graft = elasticity(E_graft), rod = elasticity(E_rod);
      const mechanics::MaterialFunction material = [&](const mechanics::CellIterator &cell) {
        return cell->material_id() == graft_id ? graft : rod;
      };
      system.assemble(material);

      const dealii::Functions::ZeroFunction<3> clamp(3);
      const dealii::Functions::ConstantFunction<3> cap(std::vector<double>{0.0, 0.0, delta});
      verification::DirichletElasticity problem(system.dofs(), mpi);
      problem.setup({{clamped_id, &clamp, {}}, {moved_id, &cap, {}}});
      problem.assemble(material, {});
      problem.solve(verification::LinearSolver::direct);

      Result r;
      for (const double z : {10.0, 20.0, 30.0})
        {
          model::Frame plane; // the plane z = const
          plane.origin = dealii::Point<3>(0, 0, z);
          r.planes[z] =
            postprocess::section_resultants(system, problem.solution(), plane, plane.origin);
        }
      r.reaction_moved = problem.reaction(moved_id);
      r.reaction_clamped = problem.reaction(clamped_id);
      return r;
    }
  } // namespace parallel

  TEST(ParallelBar, ForcesShareByAxialStiffness)
  {
    using namespace parallel;
    const double total_EA = EA(graft_id) + EA(rod_id);
    for (const unsigned int degree : {1u, 2u})
      {
        const Result r = run(degree);
        const double total = total_EA * delta / L;
        // The cap pulls the bar: the support force on the moved face is +z, the clamp's -z.
        EXPECT_NEAR(r.reaction_moved[2] / total, 1.0, tolerance) << "Q" << degree;
        EXPECT_NEAR(r.reaction_clamped[2] / total, -1.0, tolerance) << "Q" << degree;
        for (unsigned int d = 0; d < 2; ++d)
          EXPECT_LT(std::abs(r.reaction_moved[d]), tolerance * total);
        double force_error = 0, share_error = 0, sum_error = 0, shear = 0;
        for (const auto &[z, by_material] : r.planes)
          {
            ASSERT_EQ(by_material.count(graft_id), 1u);
            ASSERT_EQ(by_material.count(rod_id), 1u);
            double sum = 0;
            for (const unsigned int id : {graft_id, rod_id})
              {
                const dealii::Tensor<1, 3> force = by_material.at(id).force;
                const double exact = EA(id) * delta / L;
                const double share = force[2] / r.reaction_moved[2];
                sum += force[2];
                force_error = std::max(force_error, std::abs(force[2] / exact - 1));
                share_error = std::max(share_error, std::abs(share / (EA(id) / total_EA) - 1));
                shear = std::max(shear, std::hypot(force[0], force[1]) / exact);
                EXPECT_NEAR(force[2] / exact, 1.0, tolerance)
                  << "Q" << degree << " id " << id << " z " << z;
                EXPECT_NEAR(share / (EA(id) / total_EA), 1.0, tolerance)
                  << "Q" << degree << " id " << id << " z " << z;
                // No shear across the section (the bond carries nothing for nu = 0).
                EXPECT_LT(std::hypot(force[0], force[1]), tolerance * exact);
              }
            sum_error = std::max(sum_error, std::abs(sum / r.reaction_moved[2] - 1));
            EXPECT_NEAR(sum / r.reaction_moved[2], 1.0, tolerance) << "Q" << degree << " z " << z;
          }
        if (root())
          std::cout << "  parallel bar Q" << degree << ": graft " << std::setprecision(12)
                    << r.planes.at(20.0).at(graft_id).force[2] << " N (exact "
                    << EA(graft_id) * delta / L << "), rod "
                    << r.planes.at(20.0).at(rod_id).force[2] << " N (exact "
                    << EA(rod_id) * delta / L << ") at z = 20 mm; reaction " << r.reaction_moved[2]
                    << " N (exact " << total << "), graft share " << EA(graft_id) / total_EA << "\n"
                    << std::scientific << std::setprecision(2)
                    << "    largest relative errors over z = 10, 20, 30 mm: force " << force_error
                    << ", share " << share_error << ", sum vs reaction " << sum_error
                    << ", |shear| / F " << shear << "; clamp reaction "
                    << std::abs(r.reaction_clamped[2] / total + 1) << std::defaultfloat << "\n";
      }
  }
} // namespace
