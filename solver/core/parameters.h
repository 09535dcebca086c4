#pragma once
/**
 * @file All run parameters: declared once (with unit and meaning in every description),
 * parsed from a case file plus command-line overrides, validated with messages that name the
 * parameter. The declared tree is what `bonefusion --print-parameters` prints and what
 * docs/parameters.md is generated from.
 */
#include <deal.II/base/parameter_handler.h>

#include "adaptation/differentiation_law.h"
#include "adaptation/graft_healing.h"
#include "adaptation/remodeling_law.h"
#include "anatomy/lumbar_parameters.h"
#include "core/mesh_model_parameters.h"
#include "core/time_parameters.h"
#include "hardware/instrumentation_parameters.h"
#include "loads/activity_schedule.h"
#include "loads/load_case.h"
#include "meshing/fitting_settings.h"
#include "materials/annulus_fibres.h"
#include "materials/nucleus_swelling.h"
#include "materials/material_library.h"
#include "materials/region_materials.h"
#include "mechanics/active_set_solver.h"
#include "mechanics/contact_parameters.h"
#include "mechanics/finite_strain_solver.h"

#include <memory>
#include <string>
#include <vector>

namespace bonefusion::core
{
  /** Mesh and element settings (subsection "Discretization"). */
  struct DiscretizationParameters
  {
    double voxel_size = 1.5;      ///< [mm]
    unsigned int refinements = 0; ///< global refinements of the voxel mesh
    meshing::BoundaryFitting fitting; ///< voxel nodes moved onto the region surfaces
    unsigned int degree = 0;      ///< polynomial degree of the displacement; 0 = auto
    materials::LockingSettings locking;
  };

  /** Linear solver settings (subsection "Solver"). */
  struct SolverParameters
  {
    mechanics::LinearSolverSettings linear;
    /** Stiffness applied cell by cell (Q2, p-multigrid) instead of assembled (AMG). */
    bool matrix_free = false;
    unsigned int chebyshev_degree = 4; ///< matrix-free smoother's polynomial degree
  };

  /** Kinematics of the mechanics (subsection "Mechanics"). */
  struct MechanicsParameters
  {
    bool finite_strain = false; ///< Formulation = finite strain (else linear)
    mechanics::NewtonSettings newton;
  };

  /** Output settings. */
  struct OutputParameters
  {
    std::string directory; ///< empty = results/<case file stem>
    bool visualization = true;
    bool nodal_values = false; ///< nodal_values_<case>.csv (displacements, reactions)
  };

  /** Everything a run reads. */
  struct Parameters
  {
    std::string case_file; ///< the .prm the run was started with ("" = defaults)
    DiscretizationParameters discretization;
    SolverParameters solver;
    MechanicsParameters mechanics;
    mechanics::ContactParameters contact;
    OutputParameters output;
    GeometryParameters geometry;
    MeshModelParameters mesh_model;
    TimeParameters time;
    loads::ActivitySchedule activities;
    adaptation::RemodelingSettings remodeling_settings;
    std::shared_ptr<const adaptation::RemodelingLaw> remodeling;
    adaptation::GraftHealingSettings graft_settings;
    std::shared_ptr<const adaptation::DifferentiationLaw> differentiation;
    std::shared_ptr<const adaptation::GraftHealing> healing;
    anatomy::LumbarParameters anatomy;
    hardware::InstrumentationParameters instrumentation;
    loads::LoadParameters loads;
    materials::MaterialLibrary materials;
    materials::RegionMaterialParameters region_materials;
    materials::AnnulusFibres annulus_fibres;
    materials::NucleusSwelling nucleus_swelling;

    /** Declares the whole tree. */
    static void declare(dealii::ParameterHandler &prm);
    /** Reads the tree (after parsing) and validates cross-parameter rules. */
    void parse(dealii::ParameterHandler &prm);
  };

  /**
   * Declares, reads `case_file` (may be empty for the defaults), applies `overrides`
   * ("Subsection/Key=value"), parses and validates. Throws std::runtime_error with a message
   * naming the file, line or parameter for any problem.
   */
  Parameters read_parameters(dealii::ParameterHandler &prm, const std::string &case_file,
                             const std::vector<std::string> &overrides);
} // namespace bonefusion::core
