#pragma once
/**
 * @file Named regions (cell material ids) and named boundary surfaces of a model.
 *
 * Every cell carries a Region as its deal.II material_id; every boundary face that carries a
 * support or a load carries a Surface as its boundary_id. Input files and output tables use the
 * names, never the numbers.
 */
#include <string>
#include <vector>

namespace bonefusion::geometry
{
  /** Tissue or implant a cell belongs to. The value is the cell's material_id. */
  enum class Region : unsigned char
  {
    cortical = 1,               ///< cortical shell of a vertebral body
    cancellous = 2,             ///< cancellous core of a vertebral body
    endplate = 3,               ///< bony endplate (superior/inferior face of a body)
    annulus = 4,                ///< annulus fibrosus
    nucleus = 5,                ///< nucleus pulposus
    posterior = 6,              ///< posterior elements: pedicles, lamina, processes, facets
    facet_cartilage = 7,        ///< cartilage layer of the facet joints (tied, linear)
    screw = 8,                  ///< pedicle screw shank and head
    rod = 9,                    ///< longitudinal rod
    cage = 10,                  ///< interbody cage wall
    graft = 11,                 ///< interbody bone graft (cage window, disc space)
    posterolateral_graft = 12,  ///< posterolateral graft between transverse processes
    anterior_ligament = 13,     ///< anterior longitudinal ligament (band on the anterior disc)
    posterior_ligament = 14,    ///< posterior longitudinal ligament (band behind the disc)
    ligamentum_flavum = 15,     ///< between the laminae
    interspinous_ligament = 16, ///< interspinous and supraspinous ligaments
  };

  /** The largest Region value; material ids run 1..max_region_id. */
  constexpr unsigned int max_region_id = 16;

  /** True for the four ligament regions. */
  constexpr bool is_ligament(const Region r)
  {
    return r == Region::anterior_ligament || r == Region::posterior_ligament ||
           r == Region::ligamentum_flavum || r == Region::interspinous_ligament;
  }

  /** Name used in input files, tables and logs, e.g. "cortical", "posterolateral graft". */
  std::string region_name(Region r);

  /** Region from its name; throws std::invalid_argument listing the valid names. */
  Region region_from_name(const std::string &name);

  /** All regions in id order. */
  std::vector<Region> all_regions();

  /** Named boundary surfaces (boundary_id). 0 = free surface. */
  enum class Surface : unsigned char
  {
    free = 0,
    lower_support = 1, ///< inferior face of the lower vertebral body (fixed)
    upper_loaded = 2,  ///< superior face of the upper vertebral body (loads applied here)
  };

  /** "free", "lower support", "upper loaded". */
  std::string surface_name(Surface s);
} // namespace bonefusion::geometry
