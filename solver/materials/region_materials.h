#pragma once
/**
 * @file Which material each region of a model gets, from the input: every tissue kind of the
 * anatomy has a material (subsection "Region materials"), implants bring theirs
 * (Instrumentation/.../Material), single regions can be given another one by name
 * ("Region materials/Overrides"), and imported meshes name one per element set.
 *
 * Layers the mesh draws thicker than they are keep their real stiffness: the anatomy's
 * modulus scale (shells: E t kept, cartilage pads: E / t kept) and, for ligament bands, the
 * ratio of the real to the meshed cross-section (E A kept) multiply the library modulus.
 */
#include "materials/linear_isotropic.h"
#include "materials/material_library.h"
#include "mechanics/cell_stiffness.h"
#include "model/model.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::materials
{
  /** How volumetric locking is treated (subsection "Discretization"). */
  struct LockingSettings
  {
    std::string treatment = "auto"; ///< auto | B-bar | none
    double b_bar_threshold = 0.45;  ///< Poisson's ratio from which auto uses B-bar [-]

    /** True if a material of Poisson's ratio nu gets the B-bar (mean dilatation) strain. */
    bool b_bar(double nu) const
    {
      return treatment == "B-bar" || (treatment == "auto" && nu >= b_bar_threshold);
    }
  };

  /** Subsection "Region materials": material per tissue kind and per named region. */
  struct RegionMaterialParameters
  {
    /** Library material of each tissue kind of the anatomy and of the grafts. */
    std::map<model::Tissue, std::string> by_tissue;
    /** Region name -> material (a library name or "E=<MPa> nu=<->"), applied last. */
    std::vector<std::pair<std::string, std::string>> overrides;

    RegionMaterialParameters();
    static void declare_parameters(dealii::ParameterHandler &prm);
    /** Reads the subsection; throws std::invalid_argument naming "Region materials/<key>"
     *  for a material not in `library`. Region names are checked when the model is known. */
    void parse_parameters(dealii::ParameterHandler &prm, const MaterialLibrary &library);
  };

  /** Material of every region of a model, indexed by region id (1..n; 0 unused). */
  class RegionMaterials
  {
  public:
    /** One region's material as the mechanics uses it. */
    struct Entry
    {
      std::string material; ///< library name or "E=... nu=..."
      LinearIsotropic law;  ///< after the thickness / cross-section scaling
      bool b_bar = false;
      LigamentCurve curve;  ///< a ligament's bilinear curve (finite strain only)
    };

    RegionMaterials() = default;

    /**
     * Assigns materials to every region of `model` and writes the names into its regions.
     * @param modulus_scale factor on a region's modulus from the way it is drawn (1 if none)
     */
    static RegionMaterials
    assign(model::Model &model, const MaterialLibrary &library,
           const RegionMaterialParameters &parameters, const LockingSettings &locking,
           const std::function<double(const model::Region &)> &modulus_scale);

    /** Materials of an imported mesh's regions, given with the model's regions. */
    static RegionMaterials assign_given(const model::Model &model,
                                        const std::vector<LinearIsotropic> &laws,
                                        const LockingSettings &locking);

    const Entry &operator[](model::RegionId id) const;
    unsigned int n_regions() const { return entries.empty() ? 0 : entries.size() - 1; }

    /** Elastic constants for the assembly (no fibres; see CellMaterials). */
    mechanics::CellElasticity elasticity(model::RegionId id) const;

  private:
    std::vector<Entry> entries;
  };
} // namespace bonefusion::materials
