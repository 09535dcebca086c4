#include "mechanics/rigid_body_modes.h"

#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe.h>

#include <Epetra_Map.h>
#include <Epetra_MultiVector.h>
#include <Teuchos_ParameterList.hpp>

namespace bonefusion::mechanics
{
  ElasticityAMG::ElasticityAMG() = default;
  ElasticityAMG::~ElasticityAMG() = default;

  void ElasticityAMG::initialize(const dealii::TrilinosWrappers::SparseMatrix &matrix,
                                 const dealii::DoFHandler<3> &dof_handler,
                                 const dealii::Mapping<3> &mapping, const bool higher_order,
                                 const AmgSettings &settings)
  {
    const Epetra_Map &map = matrix.trilinos_matrix().DomainMap();
    modes = std::make_unique<Epetra_MultiVector>(map, 6);

    std::map<dealii::types::global_dof_index, dealii::Point<3>> support;
    dealii::DoFTools::map_dofs_to_support_points(mapping, dof_handler, support);
    const dealii::IndexSet &owned = dof_handler.locally_owned_dofs();

    // Rotation about the centroid of the owned points keeps the modes well scaled.
    dealii::Point<3> centre;
    unsigned int n = 0;
    for (const auto &[dof, p] : support)
      if (owned.is_element(dof))
        {
          centre += p;
          ++n;
        }
    if (n > 0)
      centre /= n;

    std::vector<dealii::types::global_dof_index> dof_indices;
    const dealii::FiniteElement<3> &fe = dof_handler.get_fe();
    dof_indices.resize(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_indices(dof_indices);
          for (unsigned int i = 0; i < dof_indices.size(); ++i)
            {
              const auto dof = dof_indices[i];
              if (!owned.is_element(dof))
                continue;
              const int lid = map.LID(static_cast<int>(dof));
              const unsigned int c = fe.system_to_component_index(i).first;
              const dealii::Tensor<1, 3> r = support.at(dof) - centre;
              // Translations: unit in component c. Rotations about x, y, z: omega x r.
              for (unsigned int m = 0; m < 3; ++m)
                (*modes)[m][lid] = (m == c) ? 1.0 : 0.0;
              (*modes)[3][lid] = (c == 1) ? -r[2] : (c == 2) ? r[1] : 0.0;
              (*modes)[4][lid] = (c == 0) ? r[2] : (c == 2) ? -r[0] : 0.0;
              (*modes)[5][lid] = (c == 0) ? -r[1] : (c == 1) ? r[0] : 0.0;
            }
        }

    dealii::TrilinosWrappers::PreconditionAMG::AdditionalData data;
    data.elliptic = true;
    data.higher_order_elements = higher_order;
    data.smoother_sweeps = settings.smoother_sweeps;
    data.aggregation_threshold = settings.aggregation_threshold;
    Teuchos::ParameterList list;
    std::unique_ptr<Epetra_MultiVector> unused;
    data.set_parameters(list, unused, matrix);
    list.set("null space: type", "pre-computed");
    list.set("null space: dimension", 6);
    list.set("null space: vectors", modes->Values());
    list.set("PDE equations", 3);
    amg.initialize(matrix, list);
  }
} // namespace bonefusion::mechanics
