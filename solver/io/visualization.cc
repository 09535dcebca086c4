#include "io/visualization.h"

#include "mechanics/hyperelastic_cell.h"

#include <deal.II/base/utilities.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/data_postprocessor.h>

#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace bonefusion::io
{
  namespace
  {
    /** Independent components of a symmetric tensor, in output order. */
    constexpr unsigned int voigt[6][2] = {{0, 0}, {1, 1}, {2, 2}, {0, 1}, {0, 2}, {1, 2}};
    const char *const voigt_suffix[6] = {"_xx", "_yy", "_zz", "_xy", "_xz", "_yz"};

    /** Strain, stress, von Mises stress and strain-energy density from the displacement
     *  gradient, with the cell's constants (and its B-bar dilatation, see cell_stiffness.h).
     *  As 3x3 tensors (VTU), or with split_tensors as six scalars each, strain_xx .. stress_yz
     *  (HDF5/XDMF: deal.II 9.4's DataOutFilter keeps only 1 or 3 components of a field and
     *  would silently cut a tensor down to xx, xy, xz). Then the tissue fields: the largest
     *  fibre stretch of an annulus cell, the contact pressure of a facet joint's pad and the
     *  stress of a ligament band (0 elsewhere; see visualization.h). */
    class StressPostprocessor : public dealii::DataPostprocessor<3>
    {
    public:
      StressPostprocessor(const mechanics::MaterialFunction &material, const bool split_tensors,
                          const bool finite_strain)
        : material(material)
        , split(split_tensors)
        , finite_strain(finite_strain)
      {
      }

      /** Largest stretch of the cell's fibre families at displacement gradient H: sqrt(a . C
       *  a) with C = (I + H)^T (I + H), or 1 + a . eps a on the linear path; 0 without
       *  fibres. */
      double fibre_stretch(const mechanics::CellElasticity &c, const dealii::Tensor<2, 3> &H,
                           const dealii::SymmetricTensor<2, 3> &eps) const
      {
        double largest = 0;
        for (const mechanics::FibreFamily &f : c.fibres)
          if (f.stiffness > 0)
            {
              double stretch;
              if (finite_strain)
                {
                  const dealii::Tensor<2, 3> F = dealii::unit_symmetric_tensor<3>() + H;
                  stretch = std::sqrt(f.projector * dealii::symmetrize(dealii::transpose(F) * F));
                }
              else
                stretch = 1 + f.projector * eps;
              largest = std::max(largest, stretch);
            }
        return largest;
      }

      /** Stress [MPa] of the cell's engaged joint (pressure, >= 0, on the pad's footprint
       *  along the joint normal) or band (tension, >= 0) at the cell-mean closure g = A : eps
       *  (mechanics/contact_layers.cc), in finite strain the energy's own closure
       *  (mechanics::JointClosure); in finite strain a band past its transition strain
       *  takes the linear region's modulus (hyperelastic_cell.cc), the linear path keeps the
       *  toe modulus (its open cells have no joint stiffness). */
      double joint_stress(const mechanics::CellElasticity &c, const double g) const
      {
        if (finite_strain)
          return std::abs(mechanics::engaged_joint_stress(c, g));
        if (!c.joint.present() || !(c.joint.stiffness > 0))
          return 0;
        return c.joint.stiffness * (c.joint.engaged_in_tension ? std::max(g, 0.0) : std::max(-g, 0.0));
      }

      void evaluate_vector_field(const dealii::DataPostprocessorInputs::Vector<3> &inputs,
                                 std::vector<dealii::Vector<double>> &out) const override
      {
        const mechanics::CellIterator cell(inputs.template get_cell<3>());
        const mechanics::CellElasticity c = material(cell);
        const unsigned int n = inputs.solution_gradients.size();
        std::vector<dealii::SymmetricTensor<2, 3>> eps(n);
        double mean_theta = 0;
        for (unsigned int p = 0; p < n; ++p)
          {
            for (unsigned int i = 0; i < 3; ++i)
              for (unsigned int j = i; j < 3; ++j)
                eps[p][i][j] =
                  0.5 * (inputs.solution_gradients[p][i][j] + inputs.solution_gradients[p][j][i]);
            mean_theta += dealii::trace(eps[p]) / n;
          }
        // A joint's closure is a cell mean too (mechanics/cell_stiffness.h).
        const dealii::SymmetricTensor<2, 3> joint = c.joint.direction();
        double mean_closure = 0, closure = 0;
        for (unsigned int p = 0; p < n; ++p)
          {
            mean_closure += (joint * eps[p]) / n;
            closure += (c.joint.opening * eps[p]) / n;
          }
        double joint_or_band = joint_stress(c, closure);
        // Finite strain: the Cauchy stress of the hyperelastic energy, with the cell's means
        // (volume ratio, closure) taken over its vertices, which for trilinear fields on
        // parallelepipeds are the cell means. The energy needs J > 0 at the Gauss points
        // only: at a vertex of a soft, much distorted cell (a slack band, an open capsule)
        // J may be negative, and there the stress is read at the cell's mean gradient.
        std::vector<dealii::Tensor<2, 3>> F(n);
        mechanics::CellMeanState mean;
        bool stress_defined = true;
        if (finite_strain)
          {
            dealii::Tensor<2, 3> F_mean;
            for (unsigned int p = 0; p < n; ++p)
              {
                F[p] = dealii::unit_symmetric_tensor<3>();
                for (unsigned int i = 0; i < 3; ++i)
                  F[p][i] += inputs.solution_gradients[p][i];
                F_mean += F[p] / n;
              }
            for (dealii::Tensor<2, 3> &Fp : F)
              if (!(dealii::determinant(Fp) > 0))
                Fp = F_mean;
            try
              {
                mean = mechanics::cell_mean_state(c, F, std::vector<double>(n, 1.0));
                // The finite-strain energy's own closure (JointClosure).
                joint_or_band = joint_stress(c, mean.closure);
              }
            catch (const mechanics::InvertedCell &)
              {
                stress_defined = false; // even the mean gradient is inverted: no stress
                joint_or_band = std::numeric_limits<double>::quiet_NaN();
              }
          }
        for (unsigned int p = 0; p < n; ++p)
          {
            dealii::Tensor<2, 3> H; // displacement gradient, H_ij = d u_i / d x_j
            for (unsigned int i = 0; i < 3; ++i)
              H[i] = inputs.solution_gradients[p][i];
            const double stretch = fibre_stretch(c, H, eps[p]);
            eps[p] += (mean_closure - joint * eps[p]) * joint;
            // For trilinear fields on parallelepipeds the vertex mean of div u is the cell mean.
            if (c.b_bar)
              eps[p] =
                dealii::deviator(eps[p]) + (mean_theta / 3.0) * dealii::unit_symmetric_tensor<3>();
            // Finite strain: Green-Lagrange strain (the measure the adaptation laws read).
            if (finite_strain)
              eps[p] += 0.5 * dealii::symmetrize(dealii::transpose(H) * H);
            dealii::SymmetricTensor<2, 3> sigma;
            if (!finite_strain)
              sigma = mechanics::stress(c, eps[p]);
            else if (stress_defined)
              sigma = mechanics::cauchy_stress(c, F[p], mean);
            else
              for (unsigned int i = 0; i < 3; ++i)
                for (unsigned int j = i; j < 3; ++j)
                  sigma[i][j] = std::numeric_limits<double>::quiet_NaN();
            unsigned int k = 0;
            if (split)
              {
                for (const auto &ij : voigt)
                  out[p][k++] = eps[p][ij[0]][ij[1]];
                for (const auto &ij : voigt)
                  out[p][k++] = sigma[ij[0]][ij[1]];
              }
            else
              {
                for (unsigned int i = 0; i < 3; ++i)
                  for (unsigned int j = 0; j < 3; ++j)
                    {
                      out[p][k] = eps[p][i][j];
                      out[p][9 + k] = sigma[i][j];
                      ++k;
                    }
                k = 18;
              }
            out[p][k] = mechanics::von_mises(sigma);
            // The strain energy density the remodeling laws read: of the linear law on the
            // (Green-Lagrange) strain.
            out[p][k + 1] = 0.5 * (mechanics::stress(c, eps[p], finite_strain) * eps[p]);
            out[p][k + 2] = stretch;
            out[p][k + 3] = c.joint.engaged_in_tension ? 0.0 : joint_or_band;
            out[p][k + 4] = c.joint.engaged_in_tension ? joint_or_band : 0.0;
          }
      }

      std::vector<std::string> get_names() const override
      {
        std::vector<std::string> names;
        if (split)
          for (const std::string field : {"strain", "stress"})
            for (const char *suffix : voigt_suffix)
              names.push_back(field + suffix);
        else
          {
            names.resize(9, "strain");
            names.resize(18, "stress");
          }
        names.push_back("von_mises_stress");
        names.push_back("strain_energy_density");
        names.push_back("fibre_stretch");
        names.push_back("facet_contact_pressure");
        names.push_back("ligament_band_stress");
        return names;
      }

      std::vector<dealii::DataComponentInterpretation::DataComponentInterpretation>
      get_data_component_interpretation() const override
      {
        std::vector<dealii::DataComponentInterpretation::DataComponentInterpretation> v(
          split ? 12 : 18, split ?
                             dealii::DataComponentInterpretation::component_is_scalar :
                             dealii::DataComponentInterpretation::component_is_part_of_tensor);
        v.resize(v.size() + 5, dealii::DataComponentInterpretation::component_is_scalar);
        return v;
      }

      dealii::UpdateFlags get_needed_update_flags() const override
      {
        return dealii::update_gradients;
      }

    private:
      const mechanics::MaterialFunction &material;
      const bool split;
      const bool finite_strain;
    };
  } // namespace

  VisualizationWriter::VisualizationWriter(const std::string &directory, const bool finite_strain)
    : directory(directory)
    , finite_strain(finite_strain)
  {
  }

  void VisualizationWriter::write(const mechanics::ElasticSystem &system,
                                  const mechanics::Vector &ghosted_solution,
                                  const CellFields &cell_fields, const unsigned int index,
                                  const std::string &label, const double time)
  {
    const MPI_Comm mpi = system.communicator();
    const auto &tria = system.dofs().get_triangulation();
    dealii::Vector<float> region(tria.n_active_cells()), rank(tria.n_active_cells());
    const float this_rank = dealii::Utilities::MPI::this_mpi_process(mpi);
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          region[cell->active_cell_index()] = cell->material_id();
          rank[cell->active_cell_index()] = this_rank;
        }
    std::vector<std::pair<std::string, dealii::Vector<float>>> extra;
    bool has_density = false;
    for (const auto &[name, values] : cell_fields)
      {
        extra.emplace_back(name, dealii::Vector<float>(values.begin(), values.end()));
        has_density = has_density || name == "bone_density";
      }
    if (!has_density)
      extra.emplace_back("bone_density", dealii::Vector<float>(tria.n_active_cells()));
    // One DataOut per format: VTU gets strain and stress as tensors, HDF5/XDMF as scalars.
    const auto fill = [&](dealii::DataOut<3> &data_out, StressPostprocessor &stresses) {
      data_out.attach_dof_handler(system.dofs());
      const std::vector<std::string> names(3, "displacement");
      const std::vector<dealii::DataComponentInterpretation::DataComponentInterpretation>
        vector_kind(3, dealii::DataComponentInterpretation::component_is_part_of_vector);
      data_out.add_data_vector(ghosted_solution, names, dealii::DataOut<3>::type_dof_data,
                               vector_kind);
      data_out.add_data_vector(ghosted_solution, stresses);
      data_out.add_data_vector(region, "region", dealii::DataOut<3>::type_cell_data);
      for (const auto &[name, values] : extra)
        data_out.add_data_vector(values, name, dealii::DataOut<3>::type_cell_data);
      data_out.add_data_vector(rank, "mpi_rank", dealii::DataOut<3>::type_cell_data);
      // Tetrahedra are written as linear cells: deal.II 9.4's HDF5 writer corrupts memory on
      // subdivided (quadratic) simplex patches (measured with P2).
      data_out.build_patches(system.map(), system.simplex() ? 1 : system.element().degree);
    };

    const std::string stem = "solution_" + dealii::Utilities::int_to_string(index, 3);
    StressPostprocessor tensors(system.material(), false, finite_strain);
    dealii::DataOut<3> vtu_out;
    fill(vtu_out, tensors);
    // zlib's fastest level: 3x faster writing than the default for ~10 % larger files.
    vtu_out.set_flags(
      dealii::DataOutBase::VtkFlags(time, index, true, dealii::DataOutBase::VtkFlags::best_speed));
    const std::string pvtu =
      vtu_out.write_vtu_with_pvtu_record(directory + "/", "solution", index, mpi, 3, 0);
    pvd_records.emplace_back(time, pvtu);

    StressPostprocessor scalars(system.material(), true, finite_strain);
    dealii::DataOut<3> hdf5_out;
    fill(hdf5_out, scalars);
    dealii::DataOutBase::DataOutFilter filter(dealii::DataOutBase::DataOutFilterFlags(true, true));
    hdf5_out.write_filtered_data(filter);
    const std::string h5 = stem + ".h5";
    hdf5_out.write_hdf5_parallel(filter, directory + "/" + h5, mpi);
    xdmf_entries.push_back(hdf5_out.create_xdmf_entry(filter, h5, time, mpi));
    hdf5_out.write_xdmf_file(xdmf_entries, directory + "/solution.xdmf", mpi);

    if (dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
      {
        std::ofstream pvd(directory + "/solution.pvd");
        dealii::DataOutBase::write_pvd_record(pvd, pvd_records);
        std::ofstream labels(directory + "/solution_steps.csv",
                             index == 0 ? std::ios::trunc : std::ios::app);
        if (index == 0)
          labels << "step,time,label,pvtu,hdf5\n";
        labels << index << ',' << time << ',' << label << ',' << pvtu << ',' << h5 << '\n';
      }
  }

  std::string VisualizationWriter::serialize() const
  {
    std::ostringstream bytes;
    {
      boost::archive::text_oarchive archive(bytes);
      archive << pvd_records << xdmf_entries;
    }
    return bytes.str();
  }

  void VisualizationWriter::deserialize(const std::string &bytes)
  {
    std::istringstream in(bytes);
    boost::archive::text_iarchive archive(in);
    archive >> pvd_records >> xdmf_entries;
  }
} // namespace bonefusion::io
