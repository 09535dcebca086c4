#pragma once
/**
 * @file Kinds of tissue and implant material a region can be made of.
 *
 * A tissue kind says how a region behaves (which material it gets by default, whether it
 * remodels, heals, slides or goes slack); it says nothing about where the region is or which
 * vertebra it belongs to: that is the region table's job (region_table.h). The values are
 * stable: they are written to ParaView as the `tissue` field.
 */
#include <string>
#include <vector>

namespace bonefusion::model
{
  /** Kind of tissue or implant material of a region. */
  enum class Tissue : unsigned char
  {
    other = 0,                  ///< imported element set: its material is given by name
    cortical = 1,               ///< cortical shell of a vertebral body
    cancellous = 2,             ///< cancellous core of a vertebral body
    endplate = 3,               ///< bony endplate (superior/inferior face of a body)
    annulus = 4,                ///< annulus fibrosus
    nucleus = 5,                ///< nucleus pulposus
    posterior = 6,              ///< posterior elements: pedicles, lamina, processes
    facet_cartilage = 7,        ///< cartilage layer of a facet joint
    screw = 8,                  ///< pedicle screw shank and head
    rod = 9,                    ///< longitudinal rod
    cage = 10,                  ///< interbody cage wall
    graft = 11,                 ///< interbody bone graft (cage window, disc space)
    posterolateral_graft = 12,  ///< posterolateral graft between transverse processes
    anterior_ligament = 13,     ///< anterior longitudinal ligament
    posterior_ligament = 14,    ///< posterior longitudinal ligament
    ligamentum_flavum = 15,     ///< between the laminae
    interspinous_ligament = 16, ///< interspinous and supraspinous ligaments
    screw_halo = 17,            ///< fibrous tissue around a loosened pedicle screw
  };

  /** The largest Tissue value. */
  constexpr unsigned int max_tissue_id = 17;

  /** Name used in input files, tables and logs, e.g. "cortical", "posterolateral graft". */
  std::string tissue_name(Tissue t);

  /** Tissue from its name; throws std::invalid_argument listing the valid names. */
  Tissue tissue_from_name(const std::string &name);

  /** All tissue kinds of the parametric anatomy and hardware (without `other`), in id order. */
  std::vector<Tissue> all_tissues();

  /** True for the four ligament kinds. */
  constexpr bool is_ligament(const Tissue t)
  {
    return t == Tissue::anterior_ligament || t == Tissue::posterior_ligament ||
           t == Tissue::ligamentum_flavum || t == Tissue::interspinous_ligament;
  }

  /** True for the bone of a vertebral body: cortical shell, cancellous core, endplates. */
  constexpr bool is_vertebral_body(const Tissue t)
  {
    return t == Tissue::cortical || t == Tissue::cancellous || t == Tissue::endplate;
  }

  /** True for the grafts that heal: interbody and posterolateral. */
  constexpr bool is_graft(const Tissue t)
  {
    return t == Tissue::graft || t == Tissue::posterolateral_graft;
  }
} // namespace bonefusion::model
