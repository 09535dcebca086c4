#pragma once
/**
 * @file The hardware seam: an implant places itself on the anatomy (from its landmarks),
 * registers its bodies and regions in the model and classifies its own points.
 *
 * How an implant combines with the anatomy is its Precedence: screws, rods and cages replace
 * whatever tissue is where they are (the surgeon drilled or cut it away); graft strips fill
 * only space the anatomy leaves empty or holds soft tissue in, packed around the bone.
 *
 * Implementations, one per file, built by hardware_factory.cc: pedicle screws, rods,
 * interbody cage (TLIF, PLIF), posterolateral graft.
 */
#include <deal.II/base/point.h>

#include "anatomy/primitives.h"
#include "model/model.h"

#include <optional>
#include <string>

namespace bonefusion::hardware
{
  /** What an implant says about a point. */
  struct Claim
  {
    bool claimed = false;                  ///< the implant decides this point
    std::optional<model::RegionId> region; ///< its region there, or nothing (a hollow part)

    static Claim none() { return {}; }
    static Claim of(const std::optional<model::RegionId> r) { return {true, r}; }
  };

  /** Order in which implants and the anatomy decide a point (lower values first). */
  enum class Precedence
  {
    rod = 0,   ///< rods pass through the screw heads: they win there
    screw = 1, ///< screws replace the bone they are driven into
    cage = 2,  ///< cages replace the disc tissue they are inserted into
    /** Packed graft: only where the anatomy has nothing or soft tissue (ligaments). */
    fills_soft_tissue = 3,
  };

  class Implant
  {
  public:
    virtual ~Implant() = default;
    /** Short description for logs, e.g. "4 pedicle screws (Ti-6Al-4V)". */
    virtual std::string description() const = 0;
    virtual Precedence precedence() const = 0;
    /** Registers the implant's bodies and regions (with their materials) in the model;
     *  called once, before classify(). */
    virtual void add_to(model::Model &model) = 0;
    /** Whether the implant decides point p, and the region it puts there. */
    virtual Claim classify(const dealii::Point<3> &p) const = 0;
    /** Box enclosing every point the implant claims. */
    virtual anatomy::Box bounding_box() const = 0;
    /**
     * Whether the implant puts a layer of its own into the bone at p (the fibrous halo of a
     * loosened screw), and its region there. Asked only where the anatomy has bone and no
     * implant has claimed the point; none by default.
     */
    virtual Claim classify_bone_lining(const dealii::Point<3> &) const { return Claim::none(); }
    /**
     * Factor on the modulus of one of the implant's regions from the way it is drawn at the
     * resolution set (a layer drawn thicker than it is keeps its stiffness through its
     * thickness); 1 by default.
     */
    virtual double modulus_scale(const model::Region &) const { return 1; }
  };
} // namespace bonefusion::hardware
