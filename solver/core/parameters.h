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
#include "core/mesh_model_parameters.h"
#include "core/time_parameters.h"
#include "loads/activity_schedule.h"
#include "geometry/segment_geometry.h"
#include "loads/load_case.h"
#include "materials/annulus_fibres.h"
#include "materials/material_library.h"
#include "mechanics/rigid_body_modes.h"

#include <memory>
#include <string>
#include <vector>

namespace bonefusion::core
{
  /** Mesh and element settings. */
  struct DiscretizationParameters
  {
    double voxel_size = 1.5;       ///< [mm]
    unsigned int refinements = 0;  ///< global refinements of the voxel mesh
    unsigned int degree = 0;       ///< polynomial degree of the displacement; 0 = auto
    std::string locking = "auto";  ///< auto | B-bar | none
    double b_bar_threshold = 0.45; ///< Poisson's ratio from which auto uses B-bar
  };

  /** Linear solver settings. */
  struct SolverParameters
  {
    double tolerance = 1e-8; ///< relative residual reduction
    unsigned int max_iterations = 3000;
    mechanics::AmgSettings amg;
    /** Stiffness applied cell by cell (Q2, p-multigrid) instead of assembled (AMG). */
    bool matrix_free = false;
    unsigned int chebyshev_degree = 4; ///< matrix-free smoother's polynomial degree
  };

  /** How the facet joints transmit load. */
  struct FacetParameters
  {
    bool compression_only = false; ///< the pads open in tension (false = bonded pads)
    /** The joint surface is oriented as in the spine (near-vertical) inside the horizontal
     *  pad: it closes along its own normal only and slides freely (implies compression_only). */
    bool sliding_joint = false;
    double joint_angle = 55;               ///< joint surface to the sagittal plane [deg]
    double joint_inclination = 40;         ///< joint normal above the horizontal plane [deg]
    double capsule_fraction = 8e-4;        ///< pad stiffness besides the joint / cartilage [-]
    double open_stiffness_fraction = 1e-3; ///< stiffness of an open joint cell / closed
    unsigned int max_iterations = 20;      ///< active-set iterations per load case
  };

  /**
   * How the interbody cage rests on the endplates. Bonded: tied (force and shear pass as if
   * the cage had grown onto the bone). Sliding: the cage's layer of cells next to an endplate
   * transmits compression only (it opens in tension, like the facet joints) and, while
   * closed, almost no shear across the endplate plane (a frictionless contact): the state on
   * the day of surgery, before bone has grown onto the cage.
   */
  struct CageInterfaceParameters
  {
    bool sliding = false;
    double shear_fraction = 1e-3;          ///< transverse shear modulus of the layer / mu
    double open_stiffness_fraction = 1e-3; ///< stiffness of an open layer cell / closed
  };

  /**
   * How the ligament bands carry load. Linear: isotropic solids (they also carry compression).
   * Tension only: each band is a family of fibres along z (its axis: all four bands run
   * between the vertebrae) that carries its modulus while the band's mean axial strain is
   * tensile and goes slack when compressed, solved in the same active set as the contact
   * layers; the rest of the band keeps slack_fraction of its isotropic stiffness.
   */
  struct LigamentParameters
  {
    bool tension_only = false;
    double slack_fraction = 1e-3; ///< isotropic stiffness besides the fibres / the band's [-]
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
    FacetParameters facets;
    CageInterfaceParameters cage_interface;
    LigamentParameters ligaments;
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
    geometry::SegmentParameters segment;
    loads::LoadParameters loads;
    materials::MaterialLibrary materials;
    materials::AnnulusFibres annulus_fibres;

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
