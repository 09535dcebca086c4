#include "core/mesh_model_parameters.h"

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/utilities.h>

#include "materials/material_library.h"

#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace bonefusion::core
{
  using namespace dealii;

  void MeshModelParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Geometry");
    prm.declare_entry("Source", "parametric segment",
                      Patterns::Selection("parametric segment|mesh file"),
                      "parametric segment: the vertebral segment built from the 'Segment' and "
                      "'Instrumentation' parameters; mesh file: read 'Mesh file' and take "
                      "materials, supports and loads from 'Mesh model'. [-]");
    prm.declare_entry("Mesh file", "", Patterns::Anything(),
                      "Abaqus/CalculiX .inp (C3D8, C3D20, C3D4, C3D10; *NODE, *ELEMENT, *ELSET, "
                      "*NSET, *SURFACE, *INCLUDE) or Gmsh .msh (ASCII 4.1 or 2.2, physical groups) "
                      "file. Coordinates are read as millimetres. A relative path is relative to "
                      "the case file's folder. [path]");
    prm.leave_subsection();

    prm.enter_subsection("Mesh model");
    prm.declare_entry("Region materials", "", Patterns::Anything(),
                      "Material of each element set, 'SET: material; SET: material', where "
                      "material is a name from 'Materials' (e.g. Ti-6Al-4V, cortical bone) or "
                      "'E=<MPa> nu=<->'. Every element must belong to exactly one listed set; the "
                      "sets become the regions of the output. [-]");
    prm.declare_entry("Clamped boundaries", "", Patterns::Anything(),
                      "Comma-separated node sets or surfaces whose boundary faces are fixed "
                      "(all three displacement components zero). A face belongs to a node set "
                      "when all its corner nodes do. [-]");
    prm.declare_entry("Loaded boundary", "", Patterns::Anything(),
                      "Surface (or node set) that carries the load cases. [-]");
    prm.declare_entry("Load cases", "", Patterns::Anything(),
                      "Load cases on the loaded boundary, 'name: key=value ...; name: ...' with "
                      "pressure=<MPa> (normal, positive pushes into the body), force=<fx,fy,fz> "
                      "(N, uniform traction) and moment=<mx,my,mz> (N m about the surface "
                      "centroid, linear traction, zero net force). [-]");
    prm.declare_entry("Section plane height", "", Patterns::Anything(),
                      "If set, the force and moment carried through the plane z = this value "
                      "by each region are reported (load sharing); the plane must be a plane of "
                      "element faces of a hexahedral mesh. Empty = none. [mm]");
    prm.leave_subsection();
  }

  void MeshModelParameters::parse_parameters(ParameterHandler &prm, const std::string &case_file,
                                             const materials::MaterialLibrary &library,
                                             GeometryParameters &geometry,
                                             MeshModelParameters &model)
  {
    prm.enter_subsection("Geometry");
    geometry.from_mesh_file = prm.get("Source") == "mesh file";
    geometry.mesh_file = Utilities::trim(prm.get("Mesh file"));
    prm.leave_subsection();

    prm.enter_subsection("Mesh model");
    const std::string regions = prm.get("Region materials");
    const std::string clamped = prm.get("Clamped boundaries");
    model.loaded_boundary = Utilities::trim(prm.get("Loaded boundary"));
    const std::string cases = prm.get("Load cases");
    const std::string section = Utilities::trim(prm.get("Section plane height"));
    prm.leave_subsection();

    if (!geometry.from_mesh_file)
      return;

    if (geometry.mesh_file.empty())
      throw std::invalid_argument("Geometry/Mesh file: Source = mesh file needs a mesh file");
    std::filesystem::path path(geometry.mesh_file);
    if (path.is_relative() && !case_file.empty())
      path = std::filesystem::path(case_file).parent_path() / path;
    geometry.mesh_file = path.lexically_normal().string();
    if (!std::filesystem::exists(path))
      throw std::invalid_argument("Geometry/Mesh file: '" + geometry.mesh_file +
                                  "' does not exist");

    std::set<std::string> seen;
    for (const std::string &entry : Utilities::split_string_list(regions, ';'))
      {
        const auto colon = entry.find(':');
        const std::string where = "Mesh model/Region materials";
        if (colon == std::string::npos)
          throw std::invalid_argument(where + ": '" + entry + "' should read 'SET: material'");
        RegionMaterial r;
        r.region = Utilities::trim(entry.substr(0, colon));
        r.material = Utilities::trim(entry.substr(colon + 1));
        const std::string here = where + " (" + r.region + ")";
        if (r.region.empty() || r.material.empty())
          throw std::invalid_argument(where + ": '" + entry + "' should read 'SET: material'");
        if (!seen.insert(r.region).second)
          throw std::invalid_argument(here + ": the set is listed twice");
        r.law = library.resolve(r.material, here);
        model.regions.push_back(r);
      }
    if (model.regions.empty())
      throw std::invalid_argument(
        "Mesh model/Region materials: a mesh model needs at least one 'SET: material'");

    model.clamped_boundaries.clear();
    for (const std::string &name : Utilities::split_string_list(clamped, ','))
      if (!name.empty())
        model.clamped_boundaries.push_back(name);
    if (model.clamped_boundaries.empty())
      throw std::invalid_argument("Mesh model/Clamped boundaries: name at least one node set or "
                                  "surface to support the body (otherwise it can move freely)");
    if (model.loaded_boundary.empty())
      throw std::invalid_argument("Mesh model/Loaded boundary: name the surface that is loaded");
    for (const std::string &name : model.clamped_boundaries)
      if (name == model.loaded_boundary)
        throw std::invalid_argument("Mesh model/Loaded boundary: '" + name + "' is also clamped");
    model.load_cases = loads::parse_surface_load_cases(cases, "Mesh model/Load cases");

    model.has_section = !section.empty();
    if (model.has_section)
      {
        model.section_height =
          loads::parse_finite_number(section, "Mesh model/Section plane height [mm]");
      }
  }
} // namespace bonefusion::core
