#pragma once
/**
 * @file The anatomy seam: what a spine model is made of before the surgeon touches it.
 *
 * An anatomy registers its regions, bodies (vertebrae), motion segments and facet joints in a
 * model::Model, classifies any point into one of its regions (or none), and publishes the
 * landmarks that implants are placed by (pedicle axes, lamina, disc outline). Surgery steps
 * edit it (resect a facet joint, remove a nucleus) before the mesh is made. It is the only
 * code that knows which global direction is up; everything else reads the frames it puts in
 * the landmarks and the model.
 *
 * Implementations (anatomy_factory.cc): "lumbar column", the parametric lumbar vertebrae and
 * discs of lumbar_column.h, stacked straight.
 */
#include <deal.II/base/point.h>

#include "anatomy/primitives.h"
#include "model/model.h"

#include <optional>
#include <string>
#include <vector>

namespace bonefusion::anatomy
{
  /**
   * Where an implant can be placed on a vertebra, in the coordinates of `frame` [mm]:
   * lateral (x), anterior (y), superior (z).
   */
  struct VertebraLandmarks
  {
    std::string name;           ///< "L4"
    int body = model::no_index; ///< the vertebra's body index in the model
    model::Frame frame;         ///< the coordinates below are in this frame
    double body_bottom = 0;     ///< inferior face of the vertebral body (z)
    double body_top = 0;        ///< superior face of the vertebral body (z)
    double pedicle_x = 0;       ///< |x| of each pedicle's axis
    double pedicle_z = 0;       ///< z of the pedicle axes
    double pedicle_width = 0;   ///< (x)
    double pedicle_height = 0;  ///< (z)
    double wall_y = 0;          ///< posterior wall of the body = anterior end of the canal
    double canal_back_y = 0;    ///< posterior end of the canal = anterior face of the lamina
    double lamina_back_y = 0;   ///< posterior face of the lamina (where screws enter)
    /** Transverse processes: from canal_back_y - behind to canal_back_y + front (y), height
     *  about pedicle_z (z). */
    double transverse_behind = 0, transverse_front = 0, transverse_height = 0;
  };

  /** A disc in the frame of its motion segment (origin: centre of the mid-surface). */
  struct DiscLandmarks
  {
    std::string segment;         ///< "L4-L5"
    int index = model::no_index; ///< segment index in the model
    model::Frame frame;          ///< the disc's frame (as the segment's disc_frame)
    model::DiscShape shape;      ///< outline and height
    double posterior_cut = 1;    ///< flat posterior wall at y = -posterior_cut b [-]
  };

  /** The anatomy interface. */
  class Anatomy
  {
  public:
    virtual ~Anatomy() = default;

    /** Registers its regions, bodies, motion segments and facet joints in `model`. Called
     *  once, before classify(). */
    virtual void add_to(model::Model &model) = 0;

    /**
     * Sets the mesh resolution h [mm] that thin layers must survive (shells, endplates,
     * cartilage pads at least one or two cells thick); 0 = the physical thicknesses.
     */
    virtual void set_resolution(double h) = 0;
    /** The resolution set [mm] (0: physical thicknesses). */
    virtual double resolution() const = 0;

    /** Region at p, or std::nullopt outside the anatomy (air, canal, removed tissue). Pure and
     *  thread-safe once built. */
    virtual std::optional<model::RegionId> classify(const dealii::Point<3> &p) const = 0;

    /** Box enclosing every point classify() assigns a region. */
    virtual Box bounding_box() const = 0;

    /**
     * Factor on a region's Young's modulus that keeps the stiffness of a layer drawn thicker
     * than it is (at the resolution set) what the real layer's is; 1 for most regions.
     */
    virtual double modulus_scale(const model::Region &region) const = 0;

    /** Vertebra names from top to bottom. */
    virtual std::vector<std::string> vertebrae() const = 0;
    /** Landmarks of vertebra `name`; throws std::invalid_argument for an unknown name. */
    virtual const VertebraLandmarks &vertebra(const std::string &name) const = 0;
    /** True if p lies in vertebra `name`'s body at least `inset` [mm] inside its surface. */
    virtual bool inside_vertebral_body(const std::string &name, const dealii::Point<3> &p,
                                       double inset) const = 0;
    /** Motion segment names from top to bottom ("L4-L5"). */
    virtual std::vector<std::string> segments() const = 0;
    /** The disc of segment `name`; throws std::invalid_argument for an unknown name. */
    virtual const DiscLandmarks &disc(const std::string &segment) const = 0;

    // ---- Surgery: edits of the anatomy, applied before meshing (hardware/surgery.h) ----
    /** Removes the facet joint of `segment` on `side`: its cartilage and both articular
     *  processes. Throws std::invalid_argument if the anatomy has no such joint. */
    virtual void resect_facet_joint(const std::string &segment, model::Side side) = 0;
    /** Cuts `ligament` (one of the four ligament tissues) of `segment`: its band is left
     *  out of the mesh. Throws std::invalid_argument if the anatomy has no such band. */
    virtual void resect_ligament(const std::string &segment, model::Tissue ligament) = 0;
    /** Removes the nucleus of `segment`; its space holds region `fill` or nothing. */
    virtual void remove_nucleus(const std::string &segment,
                                std::optional<model::RegionId> fill) = 0;
  };
} // namespace bonefusion::anatomy
