#pragma once
/**
 * @file Surgery steps: edits of the anatomy made before the implants go in and the mesh is
 * made. A discectomy removes a nucleus (its space stays empty or is packed with graft); a
 * facetectomy removes a facet joint (cartilage and both articular processes), as for the
 * approach of a TLIF or a wide decompression; a ligament resection cuts one ligament of a
 * segment (the posterior tension band of an open midline exposure, the flavum of a
 * laminotomy).
 */
#include "anatomy/anatomy.h"
#include "model/model.h"

#include <optional>
#include <string>

namespace bonefusion::hardware
{
  class SurgeryStep
  {
  public:
    virtual ~SurgeryStep() = default;
    /** For logs, e.g. "discectomy at L4-L5, nucleus space packed with graft". */
    virtual std::string description() const = 0;
    /** Edits the anatomy; `model` holds every region already (implants included). */
    virtual void apply(anatomy::Anatomy &anatomy, const model::Model &model) const = 0;
  };

  /** Removes the nucleus of a segment; its space is left empty or holds `fill_region`. */
  class Discectomy : public SurgeryStep
  {
  public:
    /** @param fill_region name of the region packed into the nucleus' space ("" = empty) */
    Discectomy(const std::string &segment, const std::string &fill_region);
    std::string description() const override;
    void apply(anatomy::Anatomy &anatomy, const model::Model &model) const override;

  private:
    std::string segment, fill;
  };

  /** Removes the facet joint of a segment on one side. */
  class Facetectomy : public SurgeryStep
  {
  public:
    Facetectomy(const std::string &segment, model::Side side);
    std::string description() const override;
    void apply(anatomy::Anatomy &anatomy, const model::Model &model) const override;

  private:
    std::string segment;
    model::Side side;
  };
  /** Cuts one ligament of a segment: its band is left out of the model. */
  class LigamentResection : public SurgeryStep
  {
  public:
    /** @param ligament one of the four ligament tissues (model::is_ligament) */
    LigamentResection(const std::string &segment, model::Tissue ligament);
    std::string description() const override;
    void apply(anatomy::Anatomy &anatomy, const model::Model &model) const override;

  private:
    std::string segment;
    model::Tissue ligament;
  };
} // namespace bonefusion::hardware
