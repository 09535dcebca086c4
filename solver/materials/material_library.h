#pragma once
/**
 * @file The named materials a model can use (bone tissues, disc, implant alloys, polymers,
 * graft) with published defaults, every value overridable in the input file.
 *
 * Defaults and sources: docs/sources.md, "Materials" (cited per entry in the .cc file).
 */
#include "materials/density_power_law.h"
#include "materials/linear_isotropic.h"

#include <limits>
#include <map>
#include <string>
#include <vector>

namespace dealii
{
  class ParameterHandler;
}

namespace bonefusion::materials
{
  /** A ligament's bilinear tension curve: its modulus rises from E1 to ratio x E1 beyond the
   *  transition strain. */
  struct LigamentCurve
  {
    double transition_strain = std::numeric_limits<double>::infinity(); ///< [-]
    double linear_region_ratio = 1;                                      ///< E2 / E1 [-]
  };

  /** Library of linear isotropic materials by name plus the cancellous density law. */
  class MaterialLibrary
  {
  public:
    MaterialLibrary();

    /** Declares subsection "Materials" (one subsection per material) and "Patient". */
    static void declare_parameters(dealii::ParameterHandler &prm);
    /** Reads all values and validates them; errors name "Materials/<name>/<key>". */
    void parse_parameters(dealii::ParameterHandler &prm);

    /** Material by name (e.g. "Ti-6Al-4V"); throws std::invalid_argument listing the names.
     *  "cancellous bone" is evaluated at the patient's cancellous density. */
    LinearIsotropic get(const std::string &name) const;
    /**
     * The material `spec`: a library name, or constants "E=<MPa> nu=<->" (blanks or commas
     * between). Throws std::invalid_argument naming `where` for an unknown name, malformed
     * constants or constants that fail LinearIsotropic::validate().
     */
    LinearIsotropic resolve(const std::string &spec, const std::string &where) const;
    /** All names, comma-separated (for messages). */
    std::string names_text() const;
    /** True if `name` is in the library. */
    bool has(const std::string &name) const;
    /** All names, in declaration order. */
    std::vector<std::string> names() const;
    /** Names of materials allowed for implants (screws, rods, cages). */
    static std::vector<std::string> implant_material_names();

    /** True if `name` is a ligament material with a real cross-section. */
    bool has_cross_section_area(const std::string &name) const { return areas.count(name) > 0; }
    /** Real cross-section [mm^2] of a ligament material; throws for other materials. */
    double cross_section_area(const std::string &name) const;

    /** The bilinear tension curve of a ligament material (toe region, then E2 / E1 times
     *  stiffer); a curve without transition for other materials. */
    LigamentCurve ligament_curve(const std::string &name) const;

    /** Patient's cancellous apparent density [g/cm^3]. */
    double cancellous_density() const { return density; }
    /** The cancellous density-modulus law. */
    const DensityPowerLaw &cancellous_law() const { return density_law; }
    /** "normal", "osteopenic", "osteoporotic" or "custom". */
    const std::string &bone_quality() const { return quality; }

  private:
    std::map<std::string, LinearIsotropic> linear;
    std::map<std::string, double> areas;
    std::map<std::string, LigamentCurve> curves;
    DensityPowerLaw density_law;
    double cancellous_poissons_ratio = 0.2;
    double density = 0.20;
    std::string quality = "normal";
  };
} // namespace bonefusion::materials
