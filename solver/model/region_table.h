#pragma once
/**
 * @file The named regions of a model. Every cell carries the id of its region as its deal.II
 * material_id; a region knows its name ("L4 cortical", "left rod"), its tissue kind, the body
 * and motion segment it belongs to, its material, the load path it is reported under and
 * what it was before surgery. Input files and output tables use the names, never the ids.
 */
#include <deal.II/base/types.h>

#include "model/tissue.h"

#include <string>
#include <vector>

namespace bonefusion::model
{
  using RegionId = dealii::types::material_id;

  /** Index meaning "none" for bodies, segments and regions. */
  constexpr int no_index = -1;
  /** Region::preoperative of a region that was there before surgery (tissue). */
  constexpr int unchanged_by_surgery = -2;

  /** One region of the model. */
  struct Region
  {
    RegionId id = 0;  ///< material_id of its cells (1, 2, ...)
    std::string name; ///< unique, e.g. "L4 cancellous", "L4-L5 annulus", "left rod"
    Tissue tissue = Tissue::other;
    int body = no_index;    ///< owning body (vertebra, implant part), or no_index
    int segment = no_index; ///< motion segment it lies in or spans, or no_index
    std::string material;   ///< material library name ("" until materials are assigned)
    /**
     * Load path it is reported under when load crosses a disc (load sharing): "disc", "cage",
     * "graft", "rods_screws", "posterior", "posterolateral_graft", "ligaments"; empty for
     * regions that never cross a disc's mid-surface (vertebral bodies).
     */
    std::string load_path;
    /**
     * What the region's place held before surgery: the region id it replaced (a screw: the
     * vertebra's cancellous bone; a cage or interbody graft: the nucleus), or no_index for
     * nothing (rods and graft strips lie outside the anatomy). RegionTable::add() turns the
     * default, unchanged_by_surgery, into the region's own id.
     */
    int preoperative = unchanged_by_surgery;
  };

  /** The regions of a model, id = position + 1 (material id 0 is never used). */
  class RegionTable
  {
  public:
    /** Adds a region (its name must be new) and returns its id. Throws std::logic_error for
     *  a repeated name. */
    RegionId add(Region region);
    /** The region with that id; throws std::out_of_range for an unknown id. */
    const Region &operator[](RegionId id) const;
    Region &operator[](RegionId id);
    /** Id of the region called `name`; throws std::invalid_argument listing the names. */
    RegionId id(const std::string &name) const;
    /** True if a region has that name. */
    bool has(const std::string &name) const;
    /** Number of regions; ids run 1..size(). */
    unsigned int size() const { return regions.size(); }
    const std::vector<Region> &all() const { return regions; }
    std::vector<Region> &all() { return regions; }
    /** Ids of the regions of tissue `t`. */
    std::vector<RegionId> of_tissue(Tissue t) const;

  private:
    std::vector<Region> regions;
  };
} // namespace bonefusion::model
