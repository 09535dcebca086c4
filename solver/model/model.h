#pragma once
/**
 * @file What a model is made of, independent of its mesh: the regions, the bodies (each
 * vertebra and each implant part, with its name and level) and the motion segments (two
 * vertebrae, the disc between them with its mid-surface and frame, the grafts and cages in
 * it), plus the facet joints and the named boundary surfaces.
 *
 * Everything downstream of the anatomy asks the model: which cells form the upper vertebral
 * body of a segment, where a disc's mid-surface is and which way it faces, which side a facet
 * joint is on. Nothing outside anatomy/ compares coordinates to tell up from down.
 */
#include <deal.II/base/types.h>

#include "model/frame.h"
#include "model/region_table.h"

#include <string>
#include <vector>

namespace bonefusion::model
{
  /** What a body is. */
  enum class BodyKind
  {
    vertebra,
    implant
  };

  /** A vertebra or an implant part: a named, rigid-ish piece of the model. */
  struct Body
  {
    std::string name; ///< "L4", "left rod", "L4 left pedicle screw"
    BodyKind kind = BodyKind::vertebra;
    std::string level; ///< vertebra or segment it belongs to: "L4", "L4-L5"
    Frame frame;       ///< the body's anatomical frame (vertebrae)
  };

  /**
   * The disc of a motion segment as a superellipse prism that tapers linearly from the lower
   * vertebra's superior endplate to the upper one's inferior endplate, in the disc's frame
   * (origin at the centre of the mid-surface, `superior` its normal).
   */
  struct DiscShape
  {
    double height = 0;           ///< [mm]
    double lower_semi_width = 0; ///< a at the lower face (lateral) [mm]
    double lower_semi_depth = 0; ///< b at the lower face (anteroposterior) [mm]
    double upper_semi_width = 0; ///< a at the upper face [mm]
    double upper_semi_depth = 0; ///< b at the upper face [mm]
    double outline_exponent = 2; ///< n of |x/a|^n + |y/b|^n = 1 [-]
    /** The nucleus: an ellipse with semi-axes nucleus_fraction x (a, b) at every height,
     *  centred nucleus_offset x b behind the disc's centre (0: no nucleus) [-]. */
    double nucleus_fraction = 0;
    double nucleus_offset = 0;

    /** Semi-axes a, b [mm] at height z above the mid-surface (clamped to the disc). */
    void semi_axes(double z, double &a, double &b) const;
    /** Radial position of a point p (disc frame) in the annulus: 0 on the nucleus boundary,
     *  1 on the outline, in proportion to the distances to the two at p's height [-]. */
    double annulus_depth(const dealii::Point<3> &p) const;
  };

  /** Two vertebrae and the disc between them. */
  struct MotionSegment
  {
    std::string name;     ///< "L4-L5"
    int upper = no_index; ///< body index of the upper vertebra
    int lower = no_index; ///< body index of the lower vertebra
    Frame disc_frame;     ///< origin: centre of the disc's mid-surface; superior: its normal
    DiscShape disc;
  };

  /** Which side of the body a paired structure is on. */
  enum class Side
  {
    left,
    right
  };

  /** "left" or "right". */
  std::string side_name(Side s);

  /** One facet joint: the cartilage region between the articular processes and its frame. */
  struct FacetJoint
  {
    int segment = no_index;
    Side side = Side::left;
    RegionId region = 0; ///< facet cartilage region
    /** Frame of the joint: `lateral` points away from the midline, `anterior` and `superior`
     *  as the segment's; the pad is drawn normal to `superior`. */
    Frame frame;
    /** Thickness of the pad as drawn in the mesh / the real cartilage thickness [-] (>= 1). */
    double drawn_thickness_ratio = 1;
    /** Thickness of the pad or curved layer as drawn, along its normal [mm]. */
    double drawn_thickness = 0;
    /** This joint's angle to the sagittal plane minus the L4-L5 joints' (the calibrated
     *  'Facet joints/Joint angle') [deg]: 0 unless Geometry/Facet orientation = per level. */
    double angle_offset = 0;
    /** The cartilage as drawn: 0 for a pad normal to `superior`; else a layer about a
     *  cylinder of this radius [mm] whose axis runs along `superior` through `surface_axis`
     *  (Geometry/Facet surfaces = curved). */
    double surface_radius = 0;
    dealii::Point<3> surface_axis;
    /** Angle of the drawn surface's normal at the joint's centre to the sagittal plane
     *  [deg] (curved surfaces). */
    double surface_angle = 0;

    /** Normal of the drawn cartilage layer at x: `superior` for a pad; for a curved surface
     *  the horizontal direction from x towards the axis (from the lower vertebra's superior
     *  articular facet towards the upper one's inferior process). */
    dealii::Tensor<1, 3> layer_normal(const dealii::Point<3> &x) const;
  };

  /** Boundary ids of the named surfaces; 0 is a free surface. */
  enum class Boundary : dealii::types::boundary_id
  {
    free = 0,
    support = 1, ///< where the model is held (inferior face of the lowest vertebra)
    loaded = 2,  ///< where the loads act (superior face of the top vertebra)
  };

  /** The model: regions, bodies, motion segments, facet joints. */
  class Model
  {
  public:
    RegionTable regions;
    std::vector<Body> bodies;
    std::vector<MotionSegment> segments;
    std::vector<FacetJoint> facet_joints;
    /** The vertebra the loads act on (Boundary::loaded: its superior face) and the one
     *  that is held (Boundary::support: its inferior face). */
    int loaded_body = no_index, supported_body = no_index;

    /** Adds a body and returns its index; throws std::logic_error for a repeated name. */
    int add_body(const Body &body);
    /** Index of the body called `name`; throws std::invalid_argument listing the names. */
    int body(const std::string &name) const;
    /** Index of the segment called `name`; throws std::invalid_argument listing the names. */
    int segment(const std::string &name) const;

    /** True if region `id` is bone of the vertebral body of body `b` (shell, core,
     *  endplates): the part whose rigid motion is the vertebra's motion. */
    bool in_vertebral_body(RegionId id, int b) const;

    /** The region of tissue `t` owned by body `b` (segment: no_index) or lying in segment `s`
     *  (body: no_index); throws std::invalid_argument if there is none. */
    RegionId region(Tissue t, int b, int s = no_index) const;

    /** The facet joint whose cartilage is region `id`, or nullptr. */
    const FacetJoint *facet_joint_of(RegionId id) const;

    /**
     * Name of a statistics column for motion segment s: `column` itself in a model with one
     * segment (the tables of single-segment models keep their names), "<segment>_<column>"
     * with the segment's name written with '_' ("L4_L5_rotation_x_deg") when there are
     * several.
     */
    std::string segment_column(int s, const std::string &column) const;

    /**
     * True if a cell of region `id` with centre `centre` belongs to the part of the column
     * below motion segment s's mid-surface: bone of the vertebrae below it (and implants
     * named after such a vertebra, as its screws), tissue of the segments below it, and of
     * everything else (segment s's own disc, joints and ligaments; rods, cages, grafts) the
     * cells whose centre lies below the mid-surface. A cut between this part and the rest
     * follows one disc and crosses no other level, however tilted the discs are.
     */
    bool below_segment(int s, RegionId id, const dealii::Point<3> &centre) const;

    /** True if body b is the upper vertebra of motion segment s or a vertebra above it. */
    bool vertebra_above_segment(int b, int s) const;
  };
} // namespace bonefusion::model
