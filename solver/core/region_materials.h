#pragma once
/**
 * @file Which material each region gets: the bridge from named regions to the material
 * library. Thin layers that the voxel mesh has to draw thicker than they are (cortical shell,
 * bony endplate) get a modulus scaled by (physical / drawn thickness), so that the layer's
 * membrane stiffness E*t does not change with the voxel size. The facet cartilage pads work
 * through their thickness instead (a joint's normal stiffness is E*A/t), so their modulus is
 * scaled by (drawn / physical thickness): without this the posterior column's stiffness, and
 * with it the rods' load share, changed by a factor of 2 between 2.5 and 0.75 mm voxels.
 */
#include "geometry/regions.h"
#include "geometry/segment_geometry.h"
#include "materials/linear_isotropic.h"
#include "mechanics/cell_stiffness.h"

#include <map>
#include <string>
#include <vector>

namespace bonefusion::core
{
  struct Parameters;

  struct RegionMaterial;

  /** Material of every region, indexed by material id (1..n_regions(); 0 is unused). */
  struct RegionMaterials
  {
    std::vector<std::string> region_name;
    std::vector<materials::LinearIsotropic> law;
    std::vector<std::string> material_name;
    std::vector<bool> b_bar;

    unsigned int n_regions() const { return law.empty() ? 0 : law.size() - 1; }

    /**
     * @param geometry the segment at the mesh's resolution (thicknesses as drawn)
     * @param ligament_areas cross-section [mm^2] of each ligament region in the mesh where it
     * crosses the disc mid-plane; the ligament's modulus is scaled by real / meshed area
     */
    static RegionMaterials build(const Parameters &p, const geometry::SegmentGeometry &geometry,
                                 const std::map<geometry::Region, double> &ligament_areas);

    /** Regions of an imported mesh: material id k + 1 is regions[k]. */
    static RegionMaterials build(const Parameters &p, const std::vector<RegionMaterial> &regions);

    /** Elastic constants for the assembly. */
    mechanics::CellElasticity elasticity(unsigned int material_id) const;

  private:
    void resize(unsigned int n_regions);
    /** B-bar per region from Discretization/Volumetric locking treatment. */
    void choose_locking_treatment(const Parameters &p);
  };
} // namespace bonefusion::core
