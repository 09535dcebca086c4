#include "core/parameters.h"

#include "core/case_file.h"
#include "core/parametric_model.h"

#include <deal.II/base/exceptions.h>
#include <deal.II/base/utilities.h>

#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace bonefusion::core
{
  using namespace dealii;

  void Parameters::declare(ParameterHandler &prm)
  {
    prm.enter_subsection("Discretization");
    prm.declare_entry("Voxel size", "1.5", Patterns::Double(0.05, 10),
                      "Edge length of the cubic cells of the voxel mesh; it sets how finely the "
                      "anatomy and the implants are resolved. [mm]");
    prm.declare_entry("Global refinements", "0", Patterns::Integer(0, 4),
                      "Number of times every voxel is split into 8 after meshing: more DoFs for "
                      "the same geometry (for convergence studies and benchmarks). [-]");
    prm.declare_entry("Fit region boundaries", "false", Patterns::Bool(),
                      "Move the voxel nodes where regions meet (bone surface, endplates, facets, "
                      "screws, rods, cages) onto the surfaces between them, so that curved and "
                      "oblique surfaces are not stair-cased: a layer of cells is added along "
                      "every region boundary, the surface nodes go onto the surfaces (edges and "
                      "corners kept sharp), the cells behind them are smoothed, and every cell "
                      "keeps the quality bound below. Parametric geometry only; see "
                      "docs/model.md, 'Boundary-fitted mesh'. [-]");
    prm.declare_entry("Minimum cell quality", "0.2", Patterns::Double(0.01, 0.9),
                      "Smallest scaled Jacobian (1 = box, 0 = flat corner, < 0 = inverted) any "
                      "cell may have after boundary fitting. Cells below it are first "
                      "untangled by moving the nodes behind the surface; only where that is "
                      "not enough do surface nodes stay short of the surface (the log counts "
                      "them). [-]");
    prm.declare_entry("Polynomial degree", "auto", Patterns::Selection("auto|1|2"),
                      "Degree of the Lagrange displacement element: 1 = trilinear Q1 (linear P1 "
                      "on tetrahedra), 2 = Q2 (P2). auto = 1 for the parametric segment and the "
                      "mesh file's own order for a mesh (C3D20/C3D10 -> 2). [-]");
    prm.declare_entry("Volumetric locking treatment", "auto",
                      Patterns::Selection("auto|B-bar|none"),
                      "How the volumetric strain is integrated: B-bar (cell-mean dilatation, no "
                      "locking for nu -> 0.5), none (standard full integration), or auto (B-bar "
                      "in cells whose Poisson's ratio reaches the threshold below). [-]");
    prm.declare_entry("B-bar threshold", "0.45", Patterns::Double(0, 0.5),
                      "Poisson's ratio from which 'auto' uses B-bar. [-]");
    prm.leave_subsection();

    prm.enter_subsection("Solver");
    prm.declare_entry("Relative tolerance", "1e-8", Patterns::Double(1e-14, 1e-2),
                      "CG stops when the residual norm has fallen by this factor. [-]");
    prm.declare_entry(
      "Contact iteration tolerance", "1e-3", Patterns::Double(1e-14, 1e-2),
      "With contact or tension-only layers: CG's residual reduction while the active set (open "
      "joints, slack ligaments) is still changing. The set it settles on (or the first one "
      "it repeats, or the one where it stops making progress) is solved to 'Relative "
      "tolerance' and checked again, so the answer is the same; a looser value saves CG "
      "iterations on the intermediate sets. Set it equal to 'Relative tolerance' to solve "
      "every set exactly. [-]");
    prm.declare_entry("Maximum iterations", "3000", Patterns::Integer(1),
                      "CG iterations allowed before the run fails as not converged. [-]");
    prm.declare_entry("AMG aggregation threshold", "1e-4", Patterns::Double(0, 1),
                      "Strength-of-connection threshold of the smoothed-aggregation AMG (Trilinos "
                      "ML); larger values coarsen less aggressively across material jumps. [-]");
    prm.declare_entry("AMG smoother sweeps", "2", Patterns::Integer(1, 10),
                      "Chebyshev smoother degree on each AMG level. [-]");
    prm.declare_entry(
      "Stiffness operator", "assembled", Patterns::Selection("assembled|matrix-free"),
      "assembled: the stiffness matrix is stored and CG is preconditioned by AMG with the six "
      "rigid-body modes (Q1 or Q2, any mesh). matrix-free: Q2 on hexahedra without hanging "
      "nodes; the stiffness is applied cell by cell and CG is preconditioned by a two-level "
      "p-multigrid (Chebyshev smoothing on Q2, AMG on the assembled Q1 stiffness of the same "
      "mesh). Same answer to the solver tolerance with a fifth of the memory per DoF "
      "(docs/benchmarks.md). With 'Polynomial degree = auto' it selects Q2. [-]");
    prm.declare_entry("Chebyshev degree", "4", Patterns::Integer(1, 12),
                      "matrix-free: degree of the Chebyshev polynomial that smooths on Q2 "
                      "before and after the Q1 correction (point-Jacobi inside). [-]");
    prm.leave_subsection();

    prm.enter_subsection("Mechanics");
    prm.declare_entry(
      "Formulation", "linear", Patterns::Selection("linear|finite strain"),
      "linear: small strains and rotations, one linear solve per load case (per active set). "
      "finite strain: total-Lagrangian equilibrium of hyperelastic tissue (neo-Hookean ground "
      "substance with the same shear and bulk moduli, annulus fibres as 'Annulus fibres/Law' "
      "says, mean dilatation in B-bar cells), solved by Newton-Raphson with load increments; "
      "it gives the linear answer at small loads (docs/model.md, \"Finite strain\"). Loads "
      "stay dead loads on the reference configuration. Sliding facet joints and tension-only "
      "ligaments engage inside the energy (no active set), the ligaments with their bilinear "
      "curves (Materials/<ligament>/Transition strain); each converged increment is a row of "
      "moment_rotation.csv. In a run over time every activity of every day is a Newton "
      "solve that starts from that activity's solution of the previous step (docs/healing.md, "
      "\"Finite strain over time\"). A sliding cage interface resists only the approach "
      "of the cage to the endplate (compression only, frictionless; 'Cage interface/"
      "Contact'). Not yet with compression-only pads, the matrix-free operator or "
      "tetrahedral meshes. [-]");
    prm.declare_entry("Newton tolerance", "1e-8", Patterns::Double(1e-14, 1e-2),
                      "finite strain: an increment has converged when the residual force is "
                      "below this fraction of the applied load, or the Newton correction below "
                      "this fraction of the displacement. [-]");
    prm.declare_entry("Newton iterations", "40", Patterns::Integer(1, 500),
                      "finite strain: Newton iterations per load increment before the "
                      "increment is halved; an increment whose residual is still above its "
                      "first after 10 iterations is halved at once. [-]");
    prm.declare_entry("Load increments", "1", Patterns::Integer(1, 10000),
                      "finite strain: the first increment is the load divided by this; an "
                      "increment that converged in at most 4 iterations lets the next grow by "
                      "half ('Grow load increments'). Each converged increment is a row of "
                      "moment_rotation.csv. [-]");
    prm.declare_entry("Grow load increments", "true", Patterns::Bool(),
                      "finite strain: let an increment that converged in at most 4 iterations "
                      "make the next one half as large again; false keeps equal increments "
                      "(evenly spaced points of the moment-rotation curves in "
                      "moment_rotation.csv; after a cut-back the halved steps reach the next "
                      "point, then the equal increment returns). [-]");
    prm.declare_entry("Maximum cut-backs", "10", Patterns::Integer(0, 60),
                      "finite strain: halvings of failed increments (no convergence, an "
                      "inverted cell) before the run fails. [-]");
    prm.declare_entry("Joint states", "semi-smooth", Patterns::Selection("semi-smooth|active set"),
                      "finite strain: how the facet joints, tension-only ligament bands and a "
                      "sliding cage interface find whether they are engaged. 'semi-smooth': "
                      "each cell switches by the sign of its closure at every Newton "
                      "iteration. 'active set': the states are held fixed through a Newton "
                      "solve (to 1e-4), updated from its solution, and the solve repeated "
                      "until none changes or a set repeats ('Joint state updates'); a last "
                      "semi-smooth solve then reaches 'Newton tolerance', so both give the "
                      "same equilibrium. For columns of several levels, where hundreds of "
                      "cells switch at once and the semi-smooth iteration stalls. [-]");
    prm.declare_entry("Joint state updates", "30", Patterns::Integer(1, 1000),
                      "finite strain with 'Joint states = active set': outer iterations per "
                      "load increment before the last semi-smooth solve. [-]");
    prm.declare_entry("Newton linear tolerance", "1e-4", Patterns::Double(1e-14, 0.5),
                      "finite strain: CG's residual reduction in each Newton iteration "
                      "(inexact Newton; the outer iteration still reaches 'Newton "
                      "tolerance'). [-]");
    prm.leave_subsection();

    prm.enter_subsection("Output");
    prm.declare_entry("Directory", "", Patterns::Anything(),
                      "Output directory; empty = results/<case file name without .prm> under "
                      "the current directory. Created if missing. [path]");
    prm.declare_entry("Write visualization", "true", Patterns::Bool(),
                      "Write ParaView files (solution.pvd + PVTU/VTU, solution.xdmf + HDF5). [-]");
    prm.declare_entry("Write nodal values", "false", Patterns::Bool(),
                      "Write nodal_values_<load case>.csv: coordinates [mm], displacement [mm] "
                      "and support reaction [N] of every displacement node (for comparisons "
                      "with other codes; large for big meshes). [-]");
    prm.leave_subsection();

    MeshModelParameters::declare_parameters(prm);
    TimeParameters::declare_parameters(prm);
    adaptation::declare_remodeling_parameters(prm);
    adaptation::declare_graft_healing_parameters(prm);
    loads::ActivitySchedule::declare_parameters(prm);
    mechanics::ContactParameters::declare_parameters(prm);
    anatomy::LumbarParameters::declare_parameters(prm);
    hardware::InstrumentationParameters::declare_parameters(prm);
    loads::LoadParameters::declare_parameters(prm);
    materials::MaterialLibrary::declare_parameters(prm);
    materials::RegionMaterialParameters::declare_parameters(prm);
    materials::AnnulusFibres::declare(prm);
    materials::NucleusSwelling::declare(prm);
  }

  void Parameters::parse(ParameterHandler &prm)
  {
    prm.enter_subsection("Discretization");
    discretization.voxel_size = prm.get_double("Voxel size");
    discretization.refinements = prm.get_integer("Global refinements");
    discretization.fitting.enabled = prm.get_bool("Fit region boundaries");
    discretization.fitting.minimum_quality = prm.get_double("Minimum cell quality");
    discretization.degree =
      prm.get("Polynomial degree") == "auto" ? 0 : prm.get_integer("Polynomial degree");
    discretization.locking.treatment = prm.get("Volumetric locking treatment");
    discretization.locking.b_bar_threshold = prm.get_double("B-bar threshold");
    prm.leave_subsection();

    prm.enter_subsection("Solver");
    solver.linear.tolerance = prm.get_double("Relative tolerance");
    solver.linear.contact_tolerance = prm.get_double("Contact iteration tolerance");
    solver.linear.max_iterations = prm.get_integer("Maximum iterations");
    solver.linear.amg.aggregation_threshold = prm.get_double("AMG aggregation threshold");
    solver.linear.amg.smoother_sweeps = prm.get_integer("AMG smoother sweeps");
    solver.matrix_free = prm.get("Stiffness operator") == "matrix-free";
    solver.chebyshev_degree = prm.get_integer("Chebyshev degree");
    if (solver.matrix_free && discretization.degree == 1)
      throw std::invalid_argument(
        "'Solver/Stiffness operator = matrix-free' needs Q2 elements, but 'Discretization/"
        "Polynomial degree' is 1: set it to 2 or auto, or use the assembled operator");
    prm.leave_subsection();

    prm.enter_subsection("Mechanics");
    mechanics.finite_strain = prm.get("Formulation") == "finite strain";
    mechanics.newton.tolerance = prm.get_double("Newton tolerance");
    mechanics.newton.max_iterations = prm.get_integer("Newton iterations");
    mechanics.newton.first_increments = prm.get_integer("Load increments");
    mechanics.newton.max_cutbacks = prm.get_integer("Maximum cut-backs");
    mechanics.newton.grow_increments = prm.get_bool("Grow load increments");
    mechanics.newton.linear_tolerance = prm.get_double("Newton linear tolerance");
    mechanics.newton.hold_joint_states = prm.get("Joint states") == "active set";
    mechanics.newton.max_joint_state_updates = prm.get_integer("Joint state updates");
    mechanics.newton.max_linear_iterations = solver.linear.max_iterations;
    mechanics.newton.amg = solver.linear.amg;
    prm.leave_subsection();

    prm.enter_subsection("Output");
    output.directory = prm.get("Directory");
    output.visualization = prm.get_bool("Write visualization");
    output.nodal_values = prm.get_bool("Write nodal values");
    prm.leave_subsection();
    if (output.directory.empty())
      {
        const std::string stem =
          case_file.empty() ? "default" : std::filesystem::path(case_file).stem().string();
        output.directory = "results/" + stem;
      }

    contact.parse_parameters(prm);
    anatomy.parse_parameters(prm);
    instrumentation.parse_parameters(prm);
    loads.parse_parameters(prm);
    materials.parse_parameters(prm);
    region_materials.parse_parameters(prm, materials);
    MeshModelParameters::parse_parameters(prm, case_file, materials, geometry, mesh_model);
    time.parse_parameters(prm);
    activities.parse_parameters(prm);
    remodeling_settings = adaptation::parse_remodeling_settings(prm);
    remodeling = adaptation::create_remodeling_law(remodeling_settings.law, prm);
    graft_settings = adaptation::parse_graft_healing_parameters(prm);
    differentiation = adaptation::create_differentiation_law(graft_settings.law, prm);
    healing = std::make_shared<adaptation::GraftHealing>(graft_settings.parameters);
    annulus_fibres.parse(prm);
    nucleus_swelling.parse(prm);

    if (annulus_fibres.tension_only && !mechanics.finite_strain)
      throw std::invalid_argument(
        "'Annulus fibres/Law = tension only' needs 'Mechanics/Formulation = finite strain' "
        "(the linear formulation has one stiffness for stretch and shortening)");
    if (nucleus_swelling.present() && !mechanics.finite_strain)
      throw std::invalid_argument(
        "'Nucleus swelling/Volume strain' needs 'Mechanics/Formulation = finite strain' (the "
        "linear formulation has no pre-stressed rest state); set it to 0 or change the "
        "formulation");
    // The finite-strain path covers what it can model today; the rest is refused by name.
    if (mechanics.finite_strain)
      {
        const std::string what = "'Mechanics/Formulation = finite strain' ";
        if (solver.matrix_free)
          throw std::invalid_argument(what + "needs 'Solver/Stiffness operator = assembled'");
        if (contact.ligaments.finite_strain_stretch && !mechanics.newton.hold_joint_states)
          throw std::invalid_argument(
            "'Ligaments/Finite-strain band strain = stretch' needs 'Mechanics/Joint states = "
            "active set' (with semi-smooth states the intact segment does not converge)");
        if (contact.facets.compression_only && !contact.facets.sliding_joint)
          throw std::invalid_argument(
            what + "does not model compression-only facet pads: set 'Facet joints/Contact = "
                   "sliding joint' or 'bonded', or use the linear formulation");
      }

    // Implant materials must exist in the library.
    const std::vector<std::pair<std::string, std::string>> implant_materials = {
      {"Instrumentation/Pedicle screws/Material", instrumentation.screws.material},
      {"Instrumentation/Rods/Material", instrumentation.rods.material},
      {"Instrumentation/Cage/Material", instrumentation.cage.material}};
    for (const auto &[what, name] : implant_materials)
      if (!materials.has(name))
        {
          std::string valid;
          for (const std::string &n : materials::MaterialLibrary::implant_material_names())
            valid += (valid.empty() ? "" : ", ") + n;
          throw std::invalid_argument(what + ": unknown material '" + name +
                                      "' (implant materials: " + valid + ")");
        }

    // The parametric model is built (without a mesh) to run the checks that need the anatomy:
    // screws that leave the body, cages that do not fit the disc, overrides of regions that
    // do not exist.
    if (geometry.from_mesh_file && discretization.fitting.enabled)
      throw std::invalid_argument("Discretization/Fit region boundaries: only the parametric "
                                  "geometry's voxel mesh can be fitted, not the mesh file '" +
                                  geometry.mesh_file + "'");
    // Compression-only pads decide open or closed by the stress across a horizontal pad and
    // keep their shear stiffness while closed: on a near-vertical curved joint that locks the
    // joint against sliding (flexion at L4-L5 1.7 deg instead of 2.5 on pads).
    if (!geometry.from_mesh_file && contact.facets.compression_only &&
        !contact.facets.sliding_joint && anatomy.facet_surfaces == "curved")
      throw std::invalid_argument(
        "Facet joints/Contact = compression only is a model of horizontal pads, but "
        "'Geometry/Facet surfaces' is curved (the default): use 'Facet joints/Contact = "
        "sliding joint' for curved joints, or set 'Geometry/Facet surfaces = pads'");
    if (!geometry.from_mesh_file)
      {
        ParametricModel model(anatomy, instrumentation);
        if (loads.follower_through_bodies(model.model().segments.size()) &&
            loads.follower_preload > 0 && loads.follower_offset != 0)
          throw std::invalid_argument(
            "Loads/Follower path offset: the follower path through the vertebral bodies passes "
            "through their centroids (body forces have no lever arm); set the offset to 0 or "
            "use 'Loads/Follower path = loaded surface'");
        for (const auto &[region, material] : region_materials.overrides)
          if (!model.model().regions.has(region))
            {
              std::string names;
              for (const model::Region &r : model.model().regions.all())
                names += (names.empty() ? "" : ", ") + r.name;
              throw std::invalid_argument("Region materials/Overrides: this model has no region '" +
                                          region + "' (regions: " + names + ")");
            }
      }
  }

  namespace
  {
    /** The additional information of a deal.II exception, without the stack trace. */
    std::string short_message(const ExceptionBase &e)
    {
      std::ostringstream s;
      e.print_info(s);
      std::string m = s.str();
      while (!m.empty() && (m.back() == '\n' || m.back() == ' '))
        m.pop_back();
      const std::string prefix = "    ";
      std::string out;
      std::istringstream lines(m);
      for (std::string line; std::getline(lines, line);)
        out += (out.empty() ? "" : " ") + Utilities::trim(line);
      return out;
    }

    /** Applies one "A/B/Key=value" override. */
    void apply_override(ParameterHandler &prm, const std::string &assignment)
    {
      const auto eq = assignment.find('=');
      if (eq == std::string::npos)
        throw std::runtime_error("--set \"" + assignment + "\": expected \"Subsection/Key=value\"");
      const std::string path = Utilities::trim(assignment.substr(0, eq));
      const std::string value = Utilities::trim(assignment.substr(eq + 1));
      std::vector<std::string> parts;
      std::istringstream ps(path);
      for (std::string part; std::getline(ps, part, '/');)
        parts.push_back(Utilities::trim(part));
      unsigned int depth = 0;
      try
        {
          for (; depth + 1 < parts.size(); ++depth)
            prm.enter_subsection(parts[depth]);
          prm.set(parts.back(), value);
        }
      catch (const ExceptionBase &e)
        {
          for (unsigned int i = 0; i < depth; ++i)
            prm.leave_subsection();
          const bool unknown = dynamic_cast<const ParameterHandler::ExcEntryUndeclared *>(&e);
          throw std::runtime_error(
            "--set \"" + assignment +
            "\": " + (unknown ? "unknown parameter '" + path + "'" : short_message(e)) +
            " (see bonefusion --print-parameters for the valid names)");
        }
      for (unsigned int i = 0; i < depth; ++i)
        prm.leave_subsection();
    }
  } // namespace

  Parameters read_parameters(ParameterHandler &prm, const std::string &case_file,
                             const std::vector<std::string> &overrides)
  {
    Parameters::declare(prm);
    if (!case_file.empty())
      {
        check_case_file(case_file);
        try
          {
            prm.parse_input(case_file, "", false);
          }
        catch (const ExceptionBase &e)
          {
            throw std::runtime_error("case file '" + case_file + "': " + short_message(e));
          }
      }
    for (const std::string &o : overrides)
      apply_override(prm, o);
    Parameters p;
    p.case_file = case_file;
    try
      {
        p.parse(prm);
      }
    catch (const std::invalid_argument &e)
      {
        throw std::runtime_error(std::string(case_file.empty() ? "parameters" : case_file) + ": " +
                                 e.what());
      }
    return p;
  }
} // namespace bonefusion::core
