#include "postprocess/facet_contact.h"

#include <deal.II/base/mpi.h>
#include <deal.II/fe/fe_values.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace bonefusion::postprocess
{
  JointContactMeasure
  measure_joint_contact(const mechanics::ElasticSystem &system,
                        const mechanics::Vector &ghosted_solution,
                        const std::function<bool(const mechanics::CellIterator &)> &in_joint,
                        const double thickness)
  {
    const auto &fe = system.element();
    dealii::FEValues<3> fe_values(system.map(), fe, system.cell_quadrature(),
                                  dealii::update_gradients | dealii::update_JxW_values);
    mechanics::CellKinematics kinematics;
    dealii::Vector<double> u(fe.n_dofs_per_cell());
    JointContactMeasure m;
    for (const auto &cell : system.dofs().active_cell_iterators())
      if (cell->is_locally_owned() && in_joint(cell))
        {
          const mechanics::CellElasticity c = system.material()(cell);
          if (!c.joint.present() || c.joint.engaged_in_tension)
            continue;
          m.has_joint = true;
          fe_values.reinit(cell);
          kinematics.reinit(fe_values, c);
          cell->get_dof_values(ghosted_solution, u);
          // The closure is the same cell mean at every point (cell_stiffness.h).
          double closure = 0, volume = 0;
          for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
            {
              closure += (c.joint.opening * kinematics.strain(q, u)) * fe_values.JxW(q);
              volume += fe_values.JxW(q);
            }
          const double pressure = -mechanics::engaged_joint_stress(c, closure / volume);
          if (!(pressure > 0))
            continue;
          const double footprint = volume / thickness;
          m.area += footprint;
          m.force += pressure * footprint;
          m.peak_pressure = std::max(m.peak_pressure, pressure);
        }
    const MPI_Comm mpi = system.communicator();
    m.area = dealii::Utilities::MPI::sum(m.area, mpi);
    m.force = dealii::Utilities::MPI::sum(m.force, mpi);
    m.peak_pressure = dealii::Utilities::MPI::max(m.peak_pressure, mpi);
    m.has_joint = dealii::Utilities::MPI::logical_or(m.has_joint, mpi);
    return m;
  }

  FacetContact::FacetContact(const Context &c)
    : context(c)
  {
  }

  void FacetContact::evaluate(const SolvedLoad &load, io::StatisticsTable &table)
  {
    const model::Model &model = context.model;
    for (const model::FacetJoint &joint : model.facet_joints)
      {
        const JointContactMeasure m = measure_joint_contact(
          context.system, load.solution,
          [&joint](const mechanics::CellIterator &cell) {
            return cell->material_id() == joint.region;
          },
          joint.drawn_thickness);
        const double none = std::numeric_limits<double>::quiet_NaN();
        const std::string side = "facet_" + model::side_name(joint.side);
        table.add(model.segment_column(joint.segment, side + "_contact_area_mm2"),
                  m.has_joint ? m.area : none);
        table.add(model.segment_column(joint.segment, side + "_peak_contact_pressure_MPa"),
                  m.has_joint ? m.peak_pressure : none);
        table.add(model.segment_column(joint.segment, side + "_mean_contact_pressure_MPa"),
                  m.has_joint ? m.mean_pressure() : none);
      }
  }
} // namespace bonefusion::postprocess
