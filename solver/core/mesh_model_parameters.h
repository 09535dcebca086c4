#pragma once
/**
 * @file Parameters of a model read from a mesh file (Geometry/Source = mesh file): which
 * material each element set gets, which named boundaries are clamped, which one is loaded and
 * the load cases on it. Names are those of the mesh file (Abaqus *ELSET / *NSET / *SURFACE,
 * Gmsh physical groups); coordinates in the mesh file are millimetres.
 */
#include "loads/surface_load_case.h"
#include "materials/linear_isotropic.h"

#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::materials
{
  class MaterialLibrary;
}

namespace bonefusion::core
{
  /** Where the geometry comes from. */
  struct GeometryParameters
  {
    bool from_mesh_file = false; ///< false = the parametric segment
    std::string mesh_file;       ///< resolved against the case file's folder
  };

  /** One element set and its material. */
  struct RegionMaterial
  {
    std::string region;   ///< element set / physical volume name
    std::string material; ///< library name, or "E=..., nu=..." as written
    materials::LinearIsotropic law;
  };

  /** Supports, loads and materials of an imported mesh. */
  struct MeshModelParameters
  {
    std::vector<RegionMaterial> regions;
    std::vector<std::string> clamped_boundaries;
    std::string loaded_boundary;
    std::vector<loads::SurfaceLoadCase> load_cases;
    bool has_section = false;  ///< report per-region resultants through z = section_height
    double section_height = 0; ///< [mm]

    /** Declares subsections "Geometry" and "Mesh model". */
    static void declare_parameters(dealii::ParameterHandler &prm);
    /**
     * Reads both subsections. Relative mesh paths are taken relative to the folder of
     * `case_file`. Throws std::invalid_argument naming the parameter.
     */
    static void parse_parameters(dealii::ParameterHandler &prm, const std::string &case_file,
                                 const materials::MaterialLibrary &library,
                                 GeometryParameters &geometry, MeshModelParameters &model);
  };
} // namespace bonefusion::core
