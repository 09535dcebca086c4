#include "core/parameters.h"

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

    prm.enter_subsection("Facet joints");
    prm.declare_entry(
      "Contact", "bonded", Patterns::Selection("compression only|sliding joint|bonded"),
      "How the facet cartilage pads (horizontal layers between the articular processes) "
      "transmit load. bonded: the pads are tied and also carry tension (one linear solve). "
      "compression only: a pad cell that would carry tension across the horizontal pad "
      "opens (its stiffness drops to 'Open stiffness fraction') and the load case is solved "
      "again until no cell changes (active set). sliding joint: each pad holds the real, "
      "near-vertical joint surface (facing posteromedially at 'Joint angle' to the sagittal "
      "plane): it resists only the relative motion of the articular processes along that "
      "surface's normal, and only while they are pressed together, and slides freely "
      "along it; the rest of the pad (the capsule) keeps 'Capsule stiffness fraction' of the "
      "cartilage's stiffness. The choice for range-of-motion questions. Measured on intact "
      "L4-L5 with ligaments and annulus fibres at 7.5 N m (docs/model.md). [-]");
    prm.declare_entry("Joint angle", "55", Patterns::Double(0, 90),
                      "sliding joint: angle between the facet joint surface and the sagittal "
                      "plane (0 = sagittal, the joint faces medially; 90 = coronal, it faces "
                      "posteriorly); 40-56 deg at L3-L5 (Masharawi 2004). The default is "
                      "calibrated with the two below (docs/model.md). [deg]");
    prm.declare_entry("Joint inclination", "40", Patterns::Double(0, 90),
                      "sliding joint: angle of the joint normal above the horizontal plane "
                      "(0 = a vertical joint surface that extension cannot press; 90 = the "
                      "horizontal pad, pressed by vertical compression only). An effective, "
                      "calibrated angle: it stands for the curved joint surface and the "
                      "inferior articular process' tip bearing on the lower vertebra in "
                      "extension and lateral bending. On cases/l4l5_intact_rom.prm (2.5 mm, "
                      "7.5 N m, joint angle 55 deg) extension / lateral bending are 2.24 / "
                      "4.40 deg at 40 and 1.69 / 4.13 at 50 (Niosi 2006: 3.3 +- 1.5 / 3.8 +- "
                      "1.4; docs/model.md). [deg]");
    prm.declare_entry("Capsule stiffness fraction", "8e-4", Patterns::Double(0, 1),
                      "sliding joint: stiffness of the pad apart from the joint's normal "
                      "contact (the capsule holding the joint together, in every direction), "
                      "as a fraction of the facet cartilage's. Calibrated on intact L4-L5 "
                      "(docs/model.md): flexion 2.4 deg at 8e-4 and 2.5 mm voxels (Niosi "
                      "2006: 3.7 +- 1.5); a stiffer capsule stiffens flexion about four "
                      "times more than lateral bending. [-]");
    prm.declare_entry("Open stiffness fraction", "1e-3", Patterns::Double(1e-8, 1),
                      "Stiffness of an open facet cartilage cell relative to a closed one. [-]");
    prm.declare_entry("Maximum contact iterations", "20", Patterns::Integer(1, 200),
                      "Active-set iterations per load case before the run fails (facet joints "
                      "and cage interface together). [-]");
    prm.leave_subsection();

    prm.enter_subsection("Ligaments");
    prm.declare_entry(
      "Behaviour", "linear", Patterns::Selection("linear|tension only"),
      "How the ligament bands (Geometry/Ligaments) carry load. linear: isotropic solids, "
      "one linear solve, but they also carry compression, which real ligaments do not (in "
      "extension the flavum and interspinous bands then brace the segment). tension only: "
      "each band is a family of fibres along its axis (z) with the band's modulus while its "
      "mean axial strain is tensile, slack when compressed; solved as an active set together "
      "with the facet and cage contact. Parametric segment only. [-]");
    prm.declare_entry("Slack stiffness fraction", "1e-3", Patterns::Double(1e-8, 1),
                      "tension only: stiffness of a band apart from its fibres (all that is "
                      "left when it is slack), as a fraction of its isotropic stiffness. [-]");
    prm.leave_subsection();

    prm.enter_subsection("Cage interface");
    prm.declare_entry(
      "Contact", "bonded", Patterns::Selection("bonded|sliding"),
      "How the interbody cage rests on the endplates. bonded: tied to the bone (carries "
      "tension and shear; the cage as if grown on). sliding: the cage's cells next to an "
      "endplate carry compression only (they open in tension, solved as an active set like "
      "compression-only facets) and, while closed, almost no shear along the endplate "
      "(frictionless contact): the cage as placed at surgery, held only by the preload and "
      "the fixation. The graft in the window stays tied to the endplates (bone grows from "
      "them). Used by static load cases and in every step and activity of a healing run. [-]");
    prm.declare_entry("Shear stiffness fraction", "1e-3", Patterns::Double(1e-8, 1),
                      "sliding: shear modulus across the endplate plane of a closed interface "
                      "cell relative to the cage material's. [-]");
    prm.declare_entry("Open stiffness fraction", "1e-3", Patterns::Double(1e-8, 1),
                      "sliding: stiffness of an open interface cell relative to a closed "
                      "one. [-]");
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
    geometry::SegmentParameters::declare_parameters(prm);
    loads::LoadParameters::declare_parameters(prm);
    materials::MaterialLibrary::declare_parameters(prm);
    materials::AnnulusFibres::declare(prm);
  }

  void Parameters::parse(ParameterHandler &prm)
  {
    prm.enter_subsection("Discretization");
    discretization.voxel_size = prm.get_double("Voxel size");
    discretization.refinements = prm.get_integer("Global refinements");
    discretization.degree =
      prm.get("Polynomial degree") == "auto" ? 0 : prm.get_integer("Polynomial degree");
    discretization.locking = prm.get("Volumetric locking treatment");
    discretization.b_bar_threshold = prm.get_double("B-bar threshold");
    prm.leave_subsection();

    prm.enter_subsection("Solver");
    solver.tolerance = prm.get_double("Relative tolerance");
    solver.max_iterations = prm.get_integer("Maximum iterations");
    solver.amg.aggregation_threshold = prm.get_double("AMG aggregation threshold");
    solver.amg.smoother_sweeps = prm.get_integer("AMG smoother sweeps");
    solver.matrix_free = prm.get("Stiffness operator") == "matrix-free";
    solver.chebyshev_degree = prm.get_integer("Chebyshev degree");
    if (solver.matrix_free && discretization.degree == 1)
      throw std::invalid_argument(
        "'Solver/Stiffness operator = matrix-free' needs Q2 elements, but 'Discretization/"
        "Polynomial degree' is 1: set it to 2 or auto, or use the assembled operator");
    prm.leave_subsection();

    prm.enter_subsection("Facet joints");
    facets.sliding_joint = prm.get("Contact") == "sliding joint";
    facets.compression_only = facets.sliding_joint || prm.get("Contact") == "compression only";
    facets.joint_angle = prm.get_double("Joint angle");
    facets.joint_inclination = prm.get_double("Joint inclination");
    facets.capsule_fraction = prm.get_double("Capsule stiffness fraction");
    facets.open_stiffness_fraction = prm.get_double("Open stiffness fraction");
    facets.max_iterations = prm.get_integer("Maximum contact iterations");
    prm.leave_subsection();

    prm.enter_subsection("Ligaments");
    ligaments.tension_only = prm.get("Behaviour") == "tension only";
    ligaments.slack_fraction = prm.get_double("Slack stiffness fraction");
    prm.leave_subsection();

    prm.enter_subsection("Cage interface");
    cage_interface.sliding = prm.get("Contact") == "sliding";
    cage_interface.shear_fraction = prm.get_double("Shear stiffness fraction");
    cage_interface.open_stiffness_fraction = prm.get_double("Open stiffness fraction");
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

    segment.parse_parameters(prm);
    loads.parse_parameters(prm);
    materials.parse_parameters(prm);
    MeshModelParameters::parse_parameters(prm, case_file, materials, geometry, mesh_model);
    time.parse_parameters(prm);
    activities.parse_parameters(prm);
    remodeling_settings = adaptation::parse_remodeling_settings(prm);
    remodeling = adaptation::create_remodeling_law(remodeling_settings.law, prm);
    graft_settings = adaptation::parse_graft_healing_parameters(prm);
    differentiation = adaptation::create_differentiation_law(graft_settings.law, prm);
    healing = std::make_shared<adaptation::GraftHealing>(graft_settings.parameters);
    annulus_fibres.parse(prm);

    // Implant materials must exist in the library.
    const std::vector<std::pair<std::string, std::string>> implant_materials = {
      {"Instrumentation/Pedicle screws/Material", segment.screws.material},
      {"Instrumentation/Rods/Material", segment.rods.material},
      {"Instrumentation/Cage/Material", segment.cage.material}};
    for (const auto &[what, name] : implant_materials)
      if (!materials.has(name))
        {
          std::string valid;
          for (const std::string &n : materials::MaterialLibrary::implant_material_names())
            valid += (valid.empty() ? "" : ", ") + n;
          throw std::invalid_argument(what + ": unknown material '" + name +
                                      "' (implant materials: " + valid + ")");
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
        if (!std::filesystem::exists(case_file))
          throw std::runtime_error("case file '" + case_file + "' does not exist");
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
