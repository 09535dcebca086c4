#include "anatomy/lumbar_column.h"
#include "anatomy/lumbar_levels.h"
#include "anatomy/sagittal_alignment.h"
#include "io/number_text.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace bonefusion::anatomy
{
  namespace
  {
    using dealii::Point;
    using model::RegionId;
    using model::Tissue;
    constexpr double pi = 3.14159265358979323846;

    // ---- Shape constants of the parametric anatomy (not in the dimension table). ---------
    // Posterior body wall flattened at 90 % of the semi-depth: gives the kidney-like flat
    // wall the pedicles attach to and removes ~2 % of the ellipse's area (~3 % at n = 3).
    constexpr double posterior_cut = 0.9;
    // The shell test shrinks the outline's semi-axes by the thickness; for the ellipse that
    // curve pokes out of the true inner offset curve by < 1 % of the thickness for the aspect
    // ratios here (for n >= 3 it never does), so 2 % extra keeps every voxel within the
    // thickness of the surface in the shell.
    constexpr double shell_margin = 1.02;
    // Pedicle axis height above the body's inferior face, as a fraction of body height:
    // lumbar pedicles join the upper half of the body.
    constexpr double pedicle_level = 0.62;
    constexpr double lamina_thickness = 6.;   // mm (y), typical lumbar lamina
    constexpr double lamina_drop = 0.55;      // lamina reaches this * H below the pedicle axis
    constexpr double spinous_width = 6.;      // mm (x)
    constexpr double spinous_length = 0.85;   // * body depth (~30 mm at L4)
    constexpr double spinous_below = 0.5;     // * H below the pedicle axis
    constexpr double spinous_above = 0.15;    // * H above the pedicle axis
    constexpr double transverse_height = 10.; // mm (z) of a transverse process
    constexpr double transverse_behind = 2.;  // mm behind the canal's posterior wall
    constexpr double transverse_front = 6.;   // mm in front of it
    constexpr double facet_depth = 12.;       // mm (y) of the facet joint footprint
    constexpr double facet_width = 0.8;       // * pedicle width (x)
    constexpr double facet_lateral = 0.25;    // * pedicle width lateral of the pedicle axis
    constexpr double nucleus_shift = 0.05;    // nucleus centre behind the disc centre, * depth
    // ---- Curved facet joints (Facet surfaces = curved; drawn, not measured). -------------
    // Radius of the joint surface in the transverse plane: the J- or C-shaped, posteromedially
    // concave superior articular facets of the lower lumbar spine, drawn as one arc.
    constexpr double facet_radius = 15.;      // mm
    constexpr double facet_aspect = 1.3;      // height / width of the elliptic joint patch
    constexpr double process_thickness = 8.;  // mm, of each articular process behind its face
    // Longitudinal ligaments reach this far onto each body beyond the disc, where they attach.
    constexpr double ligament_attachment = 4.0; // mm

    // ---- Shapes of Vertebra shape = anatomical (approximate, docs/model.md). -------------
    // Waist: the body is this much narrower at mid-height than at its endplates, the
    // narrowing growing as (4 t (1 - t))^2 with t the height fraction, so that the rims under
    // the longitudinal ligaments' attachments keep the endplates' outline.
    constexpr double body_waist = 0.08;
    // Spinous process: the block's side view at its root, 15 % taller at the rounded tip and
    // hanging down (its upper border stays level), as the hatchet-shaped lumbar processes do.
    constexpr double spinous_tip_growth = 1.15;
    constexpr double spinous_tip_drop = 0.15; // * the root's half-height
    // Transverse processes: rods from the pedicle-lamina junction tapering from the block's
    // height to this radius at the rounded tip.
    constexpr double transverse_tip_radius = 3.0; // mm
    // Lamina (drawn, not measured): over the canal its lower edge lies 0.15 mm further back
    // per mm of height at the midline (about 9 deg from the frontal plane) and its lower
    // border arches up by a quarter of its height; its edges are rounded over a third of its
    // thickness. Lateral of the canal it keeps the block's shape: the inferior articular
    // processes hang from it there, and at 4 mm voxels a notch or lean there cut their tie
    // to the lamina (the TLIF's remaining joint carried 7 N instead of 29 N in axial
    // rotation).
    constexpr double lamina_lean = 0.15;
    constexpr double lamina_notch = 0.25;        // * the lamina's height
    constexpr double lamina_edge_radius = 2.0;   // mm
    // Round facet pads and articular processes: ellipses of the blocks' area.
    const double round_footprint_scale = 2 / std::sqrt(pi);
    // Concave endplates: the bony endplate above a disc (the upper vertebra's inferior face)
    // dips 1.5 mm into its body at the centre, the one below it 0.7 mm, over the central 70 %
    // of the endplate's diameter (Wang, Battie, Videman 2012, docs/sources.md); the disc fills
    // the dome. The top vertebra's superior and the lowest one's inferior face stay flat:
    // the loads act and the supports hold there.
    constexpr double cranial_concavity = 1.5; // mm
    constexpr double caudal_concavity = 0.7;  // mm
    constexpr double central_endplate = 0.7;  // * the endplate's semi-axes

    [[noreturn]] void fail(const std::string &key, const std::string &message)
    {
      throw std::invalid_argument(key + ": " + message);
    }

    bool inside_section(const double x, const double y, const double a, const double b,
                        const double inset, const double n)
    {
      return inside_superellipse_section(x, y, a, b, inset, n, posterior_cut);
    }
  } // namespace

  /** One vertebra: body and posterior elements. */
  struct LumbarColumn::Vertebra
  {
    VertebraDimensions dim;
    VertebraLandmarks landmarks;
    double z_lo = 0, z_hi = 0;     // body's inferior and superior faces
    double a_lo, b_lo, a_hi, b_hi; // semi-axes at z_lo and z_hi
    double x_pedicle, z_pedicle, y_wall, y_canal_back, y_lamina_back;
    double n_outline = 2;            // superellipse exponent of the body's cross-section
    double waist = 0;                // body_waist for the anatomical shape, else 0
    double dome_lo = 0, dome_hi = 0; // concavity of the inferior and superior faces [mm]
    std::vector<Box> blocks; // with blocks: lamina, spinous and transverse processes
    std::vector<LaminaPlate> laminae;  // anatomical lamina
    std::vector<SagittalPlate> plates; // anatomical spinous process
    std::vector<TaperedRod> rods;      // anatomical transverse processes
    bool round_articular = false;      // articular processes as elliptic columns
    /** Articular processes: one column per facet joint it takes part in, with the joint's
     *  segment and side (removed with the joint by a facetectomy). */
    struct ArticularProcess
    {
      unsigned int segment;
      model::Side side;
      Box column;
    };
    std::vector<ArticularProcess> articular;
    std::array<EllipticCylinderY, 2> pedicles;
    Box posterior_bounds;
    RegionId cortical = 0, cancellous = 0, endplate = 0, posterior = 0;

    void semi_axes(const double z, double &a, double &b) const
    {
      const double t = (z - z_lo) / (z_hi - z_lo);
      const double bulge = 4 * t * (1 - t), narrowing = 1 - waist * bulge * bulge;
      a = (a_lo + t * (a_hi - a_lo)) * narrowing;
      b = (b_lo + t * (b_hi - b_lo)) * narrowing;
    }
    /** Depth [mm] of the concave endplate of the inferior (upper = false) or superior face
     *  above (x, y): a paraboloid over the central part of the endplate. */
    double dome(const double x, const double y, const bool upper) const
    {
      const double depth = upper ? dome_hi : dome_lo;
      if (depth == 0)
        return 0;
      const double a = central_endplate * (upper ? a_hi : a_lo),
                   b = central_endplate * (upper ? b_hi : b_lo);
      const double r2 = (x / a) * (x / a) + (y / b) * (y / b);
      return r2 < 1 ? depth * (1 - r2) : 0;
    }
    /** Bottom and top of the body's bone above (x, y), the endplates' domes taken out. */
    double floor_at(const Point<3> &p) const { return z_lo + dome(p[0], p[1], false); }
    double roof_at(const Point<3> &p) const { return z_hi - dome(p[0], p[1], true); }
    bool in_body(const Point<3> &p, const double inset) const
    {
      if (p[2] < floor_at(p) + inset || p[2] > roof_at(p) - inset)
        return false;
      double a, b;
      semi_axes(p[2], a, b);
      return inside_section(p[0], p[1], a, b, inset, n_outline);
    }
    /** p in the vertebra's (straight) coordinates; the caller clips at the discs. */
    bool in_posterior(const Point<3> &p) const
    {
      if (!posterior_bounds.contains(p))
        return false;
      const auto any_contains = [&p](const auto &shapes) {
        return std::any_of(shapes.begin(), shapes.end(),
                           [&p](const auto &shape) { return shape.contains(p); });
      };
      if (any_contains(pedicles) || any_contains(blocks) || any_contains(laminae) ||
          any_contains(plates) || any_contains(rods))
        return true;
      for (const auto &a : articular)
        if (round_articular ? inside_elliptic_prism(a.column, 1.0, p) : a.column.contains(p))
          return true;
      return false;
    }
    void update_bounds()
    {
      posterior_bounds = pedicles[0].bounds();
      posterior_bounds.extend(pedicles[1].bounds());
      for (const auto &b : blocks)
        posterior_bounds.extend(b);
      for (const auto &lamina : laminae)
        posterior_bounds.extend(lamina.bounds);
      for (const auto &plate : plates)
        posterior_bounds.extend(plate.bounds);
      for (const auto &rod : rods)
        posterior_bounds.extend(rod.bounds);
      for (const auto &a : articular)
        posterior_bounds.extend(a.column);
    }
  };

  /** One motion segment: the disc below column[k] and its joints and ligaments. */
  struct LumbarColumn::Segment
  {
    std::string name;
    DiscLandmarks landmarks;
    double z = 0;              // mid-surface
    double hd = 0;             // disc height
    Box facet_joints[2];       // left (x < 0), right; in the disc's frame, z = cartilage layer
    bool round_facets = false; // pads are the ellipses inscribed in facet_joints
    // Facet surfaces = curved: the joint surfaces (disc frame), and the heights above the
    // mid-surface where the upper vertebra's inferior articular processes join its lamina
    // (process_top) and the lower one's superior processes its pedicles (process_bottom).
    bool curved_facets = false;
    FacetSurface facet_surface[2];
    double process_top = 0, process_bottom = 0;
    double tan_half = 0;       // tan(lordosis / 2): the faces' slope against the mid-surface
    bool facet_resected[2] = {false, false}; // left, right
    bool nucleus_removed = false;
    std::optional<RegionId> nucleus_fill;
    // Posterior ligaments spanning from the upper to the lower vertebra: interspinous /
    // supraspinous and ligamentum flavum.
    Box interspinous, flavum;
    RegionId annulus = 0, nucleus = 0, facet[2] = {0, 0};
    RegionId anterior_ligament = 0, posterior_ligament = 0, ligamentum_flavum = 0,
             interspinous_ligament = 0;
    std::set<Tissue> resected_ligaments; // cut by surgery: their bands are not drawn

    /** Region of ligament band `t` of this segment, or nothing once it is cut. */
    std::optional<RegionId> ligament(const Tissue t, const RegionId id) const
    {
      if (resected_ligaments.count(t))
        return std::nullopt;
      return id;
    }

    /** Half the wedge's height [mm] at y (anterior, in the disc's frame). */
    double half_height(const double y) const { return hd / 2 + y * tan_half; }
    /**
     * Height in the straight disc (uniform height hd, mid-surface 0) of a point at height
     * h and anterior position y in the disc's frame: the wedge is stretched onto the straight
     * disc, and beyond the faces heights continue unscaled.
     */
    double straight_height(const double y, const double h) const
    {
      const double half = half_height(y);
      if (half == hd / 2)
        return h;
      const double a = std::abs(h);
      const double straight = a <= half ? a * (hd / 2) / half : hd / 2 + (a - half);
      return h < 0 ? -straight : straight;
    }
  };

  LumbarColumn::~LumbarColumn() = default;

  LumbarColumn::LumbarColumn(const LumbarParameters &parameters, std::vector<std::string> vertebrae)
    : prm(parameters)
  {
    prm.check();
    nucleus_axis_fraction = std::sqrt(parameters.nucleus_area_fraction *
                                      superellipse_area_factor(parameters.outline_exponent) / pi);
    if (vertebrae.empty())
      vertebrae = prm.vertebrae();
    if (vertebrae.size() < 2)
      fail("Geometry/Levels", "a model needs at least two vertebrae");
    const std::vector<std::string> &lumbar_order = lumbar_vertebra_order();
    for (unsigned int k = 0; k + 1 < vertebrae.size(); ++k)
      {
        const auto upper = std::find(lumbar_order.begin(), lumbar_order.end(), vertebrae[k]);
        if (upper == lumbar_order.end() || upper + 1 == lumbar_order.end() ||
            *(upper + 1) != vertebrae[k + 1])
          fail("Geometry/Levels", "unknown lumbar level '" + vertebrae[k] + "-" + vertebrae[k + 1] +
                                    "' (valid: L1-L2, L2-L3, L3-L4, L4-L5, L5-S1)");
      }

    const std::string table =
      prm.dimensions_file.empty() ? default_dimension_table() : prm.dimensions_file;
    // Disc heights, bottom to top; the lowest disc's mid-surface is z = 0.
    discs.resize(vertebrae.size() - 1);
    for (unsigned int k = 0; k < discs.size(); ++k)
      {
        Segment &s = discs[k];
        s.name = vertebrae[k] + "-" + vertebrae[k + 1];
        double regression = 0;
        try
          {
            regression = disc_height_from_age(s.name, prm.age);
          }
        catch (const std::invalid_argument &e)
          {
            fail("Geometry/Levels", e.what());
          }
        s.hd = prm.disc_height > 0 ? prm.disc_height : regression;
        if (prm.facet_cartilage_thickness >= s.hd)
          fail("Geometry/Facet cartilage thickness",
               "must be less than the disc height (" + io::number_text(s.hd) + " mm), got " +
                 io::number_text(prm.facet_cartilage_thickness) + " [mm]");
      }

    column.resize(vertebrae.size());
    for (int k = static_cast<int>(column.size()) - 1; k >= 0; --k)
      {
        Vertebra &v = column[k];
        v.dim = read_vertebra_dimensions(table, vertebrae[k]);
        v.n_outline = prm.outline_exponent;
        const bool anatomical = prm.vertebra_shape == "anatomical";
        v.waist = anatomical ? body_waist : 0;
        v.dome_lo = anatomical && k + 1 < static_cast<int>(column.size()) ? cranial_concavity : 0;
        v.dome_hi = anatomical && k > 0 ? caudal_concavity : 0;
        v.round_articular = anatomical;
        const double H = v.dim.body_height;
        if (k + 1 == static_cast<int>(column.size()))
          {
            // The lowest vertebra sits below the lowest disc, centred on z = 0.
            discs[k - 1].z = 0.0;
            v.z_hi = discs[k - 1].z - discs[k - 1].hd / 2;
            v.z_lo = v.z_hi - H;
          }
        else
          {
            v.z_lo = discs[k].z + discs[k].hd / 2;
            v.z_hi = v.z_lo + H;
            if (k > 0)
              discs[k - 1].z = v.z_hi + discs[k - 1].hd / 2;
          }
        v.a_lo = v.dim.lower_endplate_width / 2, v.b_lo = v.dim.lower_endplate_depth / 2;
        v.a_hi = v.dim.upper_endplate_width / 2, v.b_hi = v.dim.upper_endplate_depth / 2;
        const double b_mid = (v.b_lo + v.b_hi) / 2;
        const double pw = v.dim.pedicle_width, ph = v.dim.pedicle_height;

        // Pedicles run from the lamina into the body; their medial walls line the canal.
        v.y_wall = -posterior_cut * b_mid;
        v.y_canal_back = v.y_wall - v.dim.canal_depth;
        v.y_lamina_back = v.y_canal_back - lamina_thickness;
        v.x_pedicle = v.dim.canal_width / 2 + pw / 2;
        v.z_pedicle = v.z_lo + pedicle_level * H;
        for (int s = 0; s < 2; ++s)
          v.pedicles[s] = {
            (s == 0 ? -1 : 1) * v.x_pedicle, v.z_pedicle, pw / 2, ph / 2, v.y_lamina_back,
            v.y_wall + 0.25 * b_mid};
        if (anatomical)
          {
            // Anatomical pedicles converge towards the body at the published transverse
            // angle of their level, turning about the isthmus (mid-canal, where their medial
            // walls line the canal and a screw's trajectory passes), so the canal keeps its
            // width there and the screws their entry.
            const double slope = std::tan(published_pedicle_transverse_angle(v.dim.name) * pi / 180);
            for (int s = 0; s < 2; ++s)
              {
                v.pedicles[s].slope = (s == 0 ? 1 : -1) * slope;
                v.pedicles[s].y_pivot = (v.y_wall + v.y_canal_back) / 2;
                v.pedicles[s].ax = pw / 2 * std::sqrt(1 + slope * slope);
              }
          }

        const double zp = v.z_pedicle, xo = v.x_pedicle + pw / 2;
        // Lamina: roof of the canal between the pedicles, reaching down behind the disc below.
        if (anatomical)
          {
            // Same top edge and midline depth as the block: the canal keeps its published
            // depth and the flavum its attachment.
            LaminaPlate lamina;
            lamina.half_width = xo;
            lamina.y_front = v.y_canal_back;
            lamina.thickness = lamina_thickness;
            lamina.z_bottom = zp - lamina_drop * H;
            lamina.z_top = zp + ph / 2;
            lamina.lean = lamina_lean;
            lamina.notch = lamina_notch * (lamina.z_top - lamina.z_bottom);
            lamina.arch_half_width = v.dim.canal_width / 2;
            lamina.edge_radius = lamina_edge_radius;
            lamina.finish();
            v.laminae.push_back(lamina);
          }
        else
          v.blocks.push_back(
            box(-xo, xo, v.y_lamina_back, v.y_canal_back, zp - lamina_drop * H, zp + ph / 2));
        // Spinous process: straight back from the lamina.
        const double y_spinous_tip = v.y_lamina_back - spinous_length * 2 * b_mid;
        const double z_spinous = zp + (spinous_above - spinous_below) / 2 * H,
                     h_spinous = (spinous_above + spinous_below) / 2 * H;
        if (anatomical)
          {
            // Same root as the block (the interspinous ligament attaches there); the rounded
            // tip ends where the block did.
            SagittalPlate plate;
            plate.half_thickness = spinous_width / 2;
            plate.h_root = h_spinous;
            plate.h_tip = spinous_tip_growth * h_spinous;
            plate.root_y = v.y_lamina_back + 1.0; // 1 mm into the lamina
            plate.root_z = z_spinous;
            plate.tip_y = y_spinous_tip + plate.h_tip;
            plate.tip_z = z_spinous - spinous_tip_drop * h_spinous;
            plate.finish();
            v.plates.push_back(plate);
          }
        else
          v.blocks.push_back(box(-spinous_width / 2, spinous_width / 2, y_spinous_tip,
                                 v.y_lamina_back, zp - spinous_below * H, zp + spinous_above * H));
        // Transverse processes: from the pedicle-lamina junction out to half the span.
        const double y_transverse = v.y_canal_back + (transverse_front - transverse_behind) / 2;
        for (const int s : {-1, 1})
          if (anatomical)
            {
              TaperedRod rod;
              rod.start = Point<3>(s * v.x_pedicle, y_transverse, zp);
              rod.axis = dealii::Tensor<1, 3>({static_cast<double>(s), 0., 0.});
              rod.r_start = transverse_height / 2;
              rod.r_tip = transverse_tip_radius;
              rod.length = v.dim.transverse_span / 2 - v.x_pedicle - rod.r_tip;
              rod.finish();
              v.rods.push_back(rod);
            }
          else
            v.blocks.push_back(box(s * v.x_pedicle, s * v.dim.transverse_span / 2,
                                   v.y_canal_back - transverse_behind,
                                   v.y_canal_back + transverse_front, zp - transverse_height / 2,
                                   zp + transverse_height / 2));

        VertebraLandmarks &l = v.landmarks;
        l.name = v.dim.name;
        l.body_bottom = v.z_lo;
        l.body_top = v.z_hi;
        l.pedicle_x = v.x_pedicle;
        l.pedicle_z = v.z_pedicle;
        l.pedicle_width = pw;
        l.pedicle_height = ph;
        l.wall_y = v.y_wall;
        l.canal_back_y = v.y_canal_back;
        l.lamina_back_y = v.y_lamina_back;
        l.transverse_behind = transverse_behind;
        l.transverse_front = transverse_front;
        l.transverse_height = transverse_height;
      }

    // Place the straight column along the sagittal curve.
    std::vector<std::string> segment_names;
    for (const Segment &s : discs)
      segment_names.push_back(s.name);
    const std::vector<double> lordosis = prm.lordosis(segment_names);
    std::vector<StraightVertebra> straight_vertebrae;
    for (const Vertebra &v : column)
      straight_vertebrae.push_back({v.z_lo, v.z_hi});
    std::vector<StraightDisc> straight_discs;
    for (unsigned int k = 0; k < discs.size(); ++k)
      straight_discs.push_back({discs[k].z, discs[k].hd, lordosis[k]});
    const AlignedColumn aligned = align_column(straight_vertebrae, straight_discs);
    for (unsigned int k = 0; k < column.size(); ++k)
      column[k].landmarks.frame = aligned.vertebrae[k];

    for (unsigned int k = 0; k < discs.size(); ++k)
      {
        Segment &s = discs[k];
        Vertebra &u = column[k], &l = column[k + 1];
        DiscLandmarks &d = s.landmarks;
        d.segment = s.name;
        d.index = k;
        d.frame = aligned.discs[k];
        s.tan_half = std::tan(lordosis[k] * pi / 360);
        d.shape.height = s.hd;
        d.shape.lower_semi_width = l.a_hi;
        d.shape.lower_semi_depth = l.b_hi;
        d.shape.upper_semi_width = u.a_lo;
        d.shape.upper_semi_depth = u.b_lo;
        d.shape.outline_exponent = prm.outline_exponent;
        d.shape.nucleus_fraction = nucleus_axis_fraction;
        d.shape.nucleus_offset = 2 * nucleus_shift; // classify_disc's nucleus centre
        d.posterior_cut = posterior_cut;

        // Facet joints: one footprint shared by both vertebrae, dorsolateral of the canal at
        // the pedicle-lamina junction; the joint surface is drawn as a pad normal to the
        // column's axis (a simplification: real lumbar facets face mostly sagittally; the
        // sliding-joint contact orients the joint inside the pad), so that only cartilage
        // crosses the disc's mid-surface.
        const double pw = (u.dim.pedicle_width + l.dim.pedicle_width) / 2;
        const double xf = (u.x_pedicle + l.x_pedicle) / 2 + facet_lateral * pw;
        // Curved joints: the processes reach from the joint to their vertebra's pedicle axis
        // (heights in the straight column, where the mid-surface is at s.z).
        s.process_top = u.z_pedicle - s.z;
        s.process_bottom = l.z_pedicle - s.z;
        const double yf = (u.y_lamina_back + l.y_lamina_back) / 2;
        // In a wedge, each vertebra is turned by half the lordosis about the disc's centre:
        // its articular process reaches past the joint by this much, and the clip at the
        // joint's cartilage (classify) cuts it where the pad begins.
        s.round_facets = prm.vertebra_shape == "anatomical";
        s.curved_facets = prm.facet_surfaces == "curved";
        const double reach =
          std::abs(s.tan_half) * (std::abs(yf) + facet_depth) * 2 + (s.tan_half != 0 ? 2.0 : 0.0);
        for (int side = 0; side < 2; ++side)
          {
            const double sx = side == 0 ? -1 : 1;
            s.facet_joints[side] =
              box(sx * (xf - facet_width * pw / 2), sx * (xf + facet_width * pw / 2), yf,
                  yf + facet_depth, 0, 0);
            if (s.round_facets)
              {
                // Round pads: the ellipses of the blocks' area, about the same centre.
                const double half_x = round_footprint_scale * facet_width * pw / 2,
                             half_y = round_footprint_scale * facet_depth / 2,
                             yc = yf + facet_depth / 2;
                s.facet_joints[side] =
                  box(sx * xf - half_x, sx * xf + half_x, yc - half_y, yc + half_y, 0, 0);
              }
            if (s.curved_facets)
              {
                // The real joint: near vertical, facing the midline at its level's published
                // angle, with the pad's area (so that the joint's normal stiffness, E A / t,
                // stays the pad's), centred where the pad was.
                FacetSurface &f = s.facet_surface[side];
                const double area = facet_width * pw * facet_depth;
                f.half_width = std::sqrt(area / (pi * facet_aspect));
                f.half_height = facet_aspect * f.half_width;
                f.radius = facet_radius;
                f.centre = Point<3>(sx * xf, yf + facet_depth / 2, 0);
                const double angle = published_facet_angle(s.name) * pi / 180;
                // Medial (-sx x) and posterior (-y).
                f.normal = dealii::Tensor<1, 3>({-sx * std::cos(angle), -std::sin(angle), 0.});
                continue;
              }
            for (Vertebra *v : {&u, &l})
              {
                // Articular process: a column from the pedicle level to the joint.
                Box process = s.facet_joints[side];
                const bool upper = v == &u;
                process.lo[2] = upper ? s.z - reach : v->z_pedicle;
                process.hi[2] = upper ? v->z_pedicle : s.z + reach;
                v->articular.push_back(
                  {k, side == 0 ? model::Side::left : model::Side::right, process});
              }
          }

        // Posterior ligaments reach 2 mm into the bone at each end (the bone wins there), so
        // they are tied to it at any voxel size.
        const auto spinous_y = [](const Vertebra &v) {
          const double b_mid = (v.b_lo + v.b_hi) / 2;
          return std::make_pair(v.y_lamina_back - spinous_length * 2 * b_mid, v.y_lamina_back);
        };
        const auto [uy0, uy1] = spinous_y(u);
        const auto [ly0, ly1] = spinous_y(l);
        s.interspinous =
          box(-spinous_width / 2, spinous_width / 2, std::max(uy0, ly0), std::min(uy1, ly1),
              l.z_pedicle + spinous_above * l.dim.body_height - 2,
              u.z_pedicle - spinous_below * u.dim.body_height + 2);
        const double half_width = std::min(u.dim.canal_width, l.dim.canal_width) / 2;
        // The flavum fills the interlaminar window up into the upper lamina's arch (where
        // the lamina is, the bone wins), so it stays tied to the lamina across its width.
        const double arch = u.laminae.empty() ? 0.0 : u.laminae.front().notch;
        s.flavum =
          box(-half_width, half_width, std::max(u.y_lamina_back, l.y_lamina_back),
              std::min(u.y_canal_back, l.y_canal_back), l.z_pedicle + l.dim.pedicle_height / 2 - 2,
              u.z_pedicle - lamina_drop * u.dim.body_height + arch + 2);
      }
    set_resolution(0);
  }

  void LumbarColumn::set_resolution(const double h)
  {
    if (!(h >= 0))
      throw std::invalid_argument("LumbarColumn::set_resolution: h must be >= 0, got " +
                                  io::number_text(h));
    h_resolution = h;
    t_cortical = std::max(prm.cortical_thickness, h);
    t_endplate = std::max(prm.endplate_thickness, h);
    t_facet = std::max(prm.facet_cartilage_thickness, 2 * h);
    t_ligament = std::max(prm.longitudinal_ligament_thickness, h);
    for (unsigned int k = 0; k < discs.size(); ++k)
      {
        Segment &s = discs[k];
        for (auto &f : s.facet_joints)
          f.lo[2] = -t_facet / 2, f.hi[2] = t_facet / 2;
      }

    // Bounding box of everything classify() can return, from the boxes of each vertebra
    // and disc in their own frames. The longitudinal ligament bands lie outside the disc
    // and bodies: leave room for them.
    const double band = prm.ligaments ? std::max(prm.longitudinal_ligament_thickness, 5.) : 0;
    for (unsigned int k = 0; k < column.size(); ++k)
      {
        Vertebra &v = column[k];
        // A rod thinner than a voxel would break into loose voxels.
        for (TaperedRod &rod : v.rods)
          {
            rod.min_radius = h;
            rod.finish();
          }
        v.update_bounds();
        const double a = std::max(v.a_lo, v.a_hi), b = std::max(v.b_lo, v.b_hi);
        Box local = box(-a - band, a + band, -b - band, b + band, v.z_lo, v.z_hi);
        local.extend(v.posterior_bounds);
        const Box global = to_global(local, v.landmarks.frame);
        if (k == 0)
          bounds = global;
        else
          bounds.extend(global);
      }
    for (const Segment &s : discs)
      if (s.curved_facets)
        for (const FacetSurface &f : s.facet_surface)
          {
            const double e = f.half_width + t_facet / 2 + process_thickness + 1;
            bounds.extend(to_global(box(f.centre[0] - e, f.centre[0] + e, f.centre[1] - e,
                                        f.centre[1] + e, s.process_bottom, s.process_top),
                                    s.landmarks.frame));
          }
    for (const Segment &s : discs)
      {
        const double a = std::max(s.landmarks.shape.lower_semi_width,
                                  s.landmarks.shape.upper_semi_width),
                     b = std::max(s.landmarks.shape.lower_semi_depth,
                                  s.landmarks.shape.upper_semi_depth);
        const double half = std::max(s.half_height(-b - band), s.half_height(b + band));
        bounds.extend(
          to_global(box(-a - band, a + band, -b - band, b + band, -half, half), s.landmarks.frame));
      }
  }

  void LumbarColumn::add_to(model::Model &m)
  {
    if (registered)
      throw std::logic_error("LumbarColumn::add_to: the anatomy is already in a model");
    registered = true;
    const auto add = [&m](const std::string &name, const Tissue tissue, const int body,
                          const int segment, const std::string &load_path) {
      model::Region r;
      r.name = name;
      r.tissue = tissue;
      r.body = body;
      r.segment = segment;
      r.load_path = load_path;
      return m.regions.add(r);
    };
    for (Vertebra &v : column)
      {
        const int b =
          m.add_body({v.dim.name, model::BodyKind::vertebra, v.dim.name, v.landmarks.frame});
        v.landmarks.body = b;
        v.cortical = add(v.dim.name + " cortical", Tissue::cortical, b, model::no_index, "");
        v.cancellous = add(v.dim.name + " cancellous", Tissue::cancellous, b, model::no_index, "");
        v.endplate = add(v.dim.name + " endplate", Tissue::endplate, b, model::no_index, "");
        v.posterior =
          add(v.dim.name + " posterior", Tissue::posterior, b, model::no_index, "posterior");
      }
    // Loaded at the top, held at the bottom.
    m.loaded_body = column.front().landmarks.body;
    m.supported_body = column.back().landmarks.body;
    for (unsigned int k = 0; k < discs.size(); ++k)
      {
        Segment &s = discs[k];
        model::MotionSegment ms;
        ms.name = s.name;
        ms.upper = column[k].landmarks.body;
        ms.lower = column[k + 1].landmarks.body;
        ms.disc_frame = s.landmarks.frame;
        ms.disc = s.landmarks.shape;
        m.segments.push_back(ms);
        const int seg = static_cast<int>(m.segments.size()) - 1;
        s.landmarks.index = seg;
        s.annulus = add(s.name + " annulus", Tissue::annulus, model::no_index, seg, "disc");
        s.nucleus = add(s.name + " nucleus", Tissue::nucleus, model::no_index, seg, "disc");
        for (int side = 0; side < 2; ++side)
          {
            const model::Side sd = side == 0 ? model::Side::left : model::Side::right;
            s.facet[side] = add(s.name + " " + model::side_name(sd) + " facet cartilage",
                                Tissue::facet_cartilage, model::no_index, seg, "posterior");
            model::FacetJoint joint;
            joint.segment = seg;
            joint.side = sd;
            joint.region = s.facet[side];
            const Box &f = s.facet_joints[side];
            const model::Frame &disc = s.landmarks.frame;
            joint.frame = disc;
            joint.frame.origin =
              disc.to_global(Point<3>((f.lo[0] + f.hi[0]) / 2, (f.lo[1] + f.hi[1]) / 2, 0));
            // Away from the midline.
            joint.frame.lateral = side == 0 ? -disc.lateral : disc.lateral;
            joint.drawn_thickness_ratio = t_facet / prm.facet_cartilage_thickness;
            joint.drawn_thickness = t_facet;
            if (s.curved_facets)
              {
                const FacetSurface &c = s.facet_surface[side];
                joint.frame.origin = disc.to_global(c.centre);
                joint.surface_radius = c.radius;
                joint.surface_axis = disc.to_global(c.centre + c.radius * c.normal);
                joint.surface_angle = published_facet_angle(s.name);
              }
            if (prm.facet_orientation == "per level")
              joint.angle_offset =
                published_facet_angle(s.name) - published_facet_angle("L4-L5");
            m.facet_joints.push_back(joint);
          }
        if (prm.ligaments)
          {
            s.anterior_ligament = add(s.name + " anterior longitudinal ligament",
                                      Tissue::anterior_ligament, model::no_index, seg, "ligaments");
            s.posterior_ligament =
              add(s.name + " posterior longitudinal ligament", Tissue::posterior_ligament,
                  model::no_index, seg, "ligaments");
            s.ligamentum_flavum = add(s.name + " ligamentum flavum", Tissue::ligamentum_flavum,
                                      model::no_index, seg, "ligaments");
            s.interspinous_ligament =
              add(s.name + " interspinous ligament", Tissue::interspinous_ligament, model::no_index,
                  seg, "ligaments");
          }
      }
  }

  std::optional<model::RegionId> LumbarColumn::classify(const Point<3> &p) const
  {
    return classify_point(p, true);
  }

  std::optional<model::RegionId> LumbarColumn::classify_point(const Point<3> &p,
                                                              const bool separate) const
  {
    // The vertebra whose zone (between the mid-surfaces of its discs) holds p.
    unsigned int v = column.size() - 1;
    for (unsigned int k = 0; k < discs.size(); ++k)
      if (discs[k].landmarks.frame.height_of(p) > 0)
        {
          v = k;
          break;
        }
    bool in_disc_band = false;
    for (const Segment &s : discs)
      {
        const Point<3> q = s.landmarks.frame.to_local(p);
        if (std::abs(q[2]) <= s.half_height(q[1]))
          {
            in_disc_band = true;
            std::optional<RegionId> region;
            if (classify_disc(s, q, region))
              return region; // empty where the nucleus was removed and nothing fills it
            break;
          }
      }
    const Vertebra &vertebra = column[v];
    const Point<3> local = vertebra.landmarks.frame.to_local(p);
    if (!in_disc_band)
      {
        // The disc fills the domes of the concave endplates; it is the disc of its face.
        const bool above_floor = local[2] >= vertebra.floor_at(local),
                   below_roof = local[2] <= vertebra.roof_at(local);
        if (local[2] >= vertebra.z_lo && local[2] <= vertebra.z_hi && !(above_floor && below_roof))
          {
            const Segment &s = above_floor ? discs[v - 1] : discs[v];
            const Point<3> q = s.landmarks.frame.to_local(p);
            // At the face of the wedge: the disc's outline there.
            const double face = (above_floor ? 1 : -1) * s.half_height(q[1]);
            std::optional<RegionId> region;
            if (classify_disc(s, Point<3>(q[0], q[1], face), region))
              return region;
          }
        if (vertebra.in_body(local, 0))
          {
            const double z = local[2];
            if (z - vertebra.floor_at(local) <= t_endplate ||
                vertebra.roof_at(local) - z <= t_endplate)
              return vertebra.endplate;
            double a, b;
            vertebra.semi_axes(z, a, b);
            return inside_section(local[0], local[1], a, b, shell_margin * t_cortical,
                                  prm.outline_exponent) ?
                     vertebra.cancellous :
                     vertebra.cortical;
          }
      }

    for (const Segment &s : discs)
      {
        if (s.curved_facets)
          continue;
        const Point<3> q = s.landmarks.frame.to_local(p);
        for (int side = 0; side < 2; ++side)
          if (!s.facet_resected[side] &&
              (s.round_facets ? inside_elliptic_prism(s.facet_joints[side], 1.0, q) :
                                s.facet_joints[side].contains(q)))
            return s.facet[side];
      }
    int process_of = -1;
    const std::optional<RegionId> joint = classify_curved_joint(p, process_of);
    if (joint && process_of < 0)
      return joint; // cartilage
    // Posterior elements stop at the facet cartilage's faces of the discs above and below,
    // so that no bone bridges a disc.
    const bool within_discs =
      (v == 0 || discs[v - 1].landmarks.frame.height_of(p) < -t_facet / 2) &&
      (v + 1 == column.size() || discs[v].landmarks.frame.height_of(p) > t_facet / 2);
    if (within_discs && vertebra.in_posterior(local))
      return vertebra.posterior;
    // A curved joint's articular process crosses the disc's mid-surface, so the clip cannot
    // keep it off the other vertebra: it gives way wherever a voxel of the other vertebra's
    // bone is among its 26 neighbours (they would share a node and bond the two bones).
    if (joint && !(separate && h_resolution > 0 && next_to_other_vertebra(p, process_of)))
      return joint;
    if (prm.ligaments)
      return classify_ligament(p);
    return std::nullopt;
  }

  std::optional<model::RegionId> LumbarColumn::classify_curved_joint(const Point<3> &p,
                                                                     int &process_of) const
  {
    process_of = -1;
    for (unsigned int k = 0; k < discs.size(); ++k)
      {
        const Segment &s = discs[k];
        if (!s.curved_facets)
          continue;
        const Point<3> q = s.landmarks.frame.to_local(p);
        if (q[2] < s.process_bottom || q[2] > s.process_top)
          continue;
        for (int side = 0; side < 2; ++side)
          {
            if (s.facet_resected[side])
              continue;
            const FacetSurface &f = s.facet_surface[side];
            const FacetSurface::Local l = f.local(q);
            if (std::abs(l.s) > t_facet / 2 + process_thickness || std::abs(l.u) > f.half_width)
              continue;
            if (std::abs(l.s) <= t_facet / 2)
              {
                if (f.in_patch(l))
                  return s.facet[side];
                continue;
              }
            // The upper vertebra's inferior process (s > 0) ends below in the patch's round
            // tip and rises to the pedicle axis; the lower one's superior process the other
            // way round.
            const bool upper = l.s > 0;
            if ((upper ? l.w >= 0 : l.w <= 0) || f.in_patch(l))
              {
                process_of = upper ? static_cast<int>(k) : static_cast<int>(k) + 1;
                return column[process_of].posterior;
              }
          }
      }
    return std::nullopt;
  }

  bool LumbarColumn::next_to_other_vertebra(const Point<3> &p, const int vertebra) const
  {
    const auto owner = [this](const RegionId r) {
      for (unsigned int k = 0; k < column.size(); ++k)
        {
          const Vertebra &v = column[k];
          if (r == v.cortical || r == v.cancellous || r == v.endplate || r == v.posterior)
            return static_cast<int>(k);
        }
      return -1;
    };
    const double h = h_resolution;
    for (int i = -1; i <= 1; ++i)
      for (int j = -1; j <= 1; ++j)
        for (int k = -1; k <= 1; ++k)
          if (i != 0 || j != 0 || k != 0)
            {
              const std::optional<RegionId> r =
                classify_point(p + dealii::Tensor<1, 3>({i * h, j * h, k * h}), false);
              if (r)
                {
                  const int o = owner(*r);
                  if (o >= 0 && o != vertebra)
                    return true;
                }
            }
    return false;
  }

  bool LumbarColumn::classify_disc(const Segment &s, const Point<3> &q,
                                   std::optional<RegionId> &region) const
  {
    double a, b;
    s.landmarks.shape.semi_axes(s.straight_height(q[1], q[2]), a, b);
    if (!inside_section(q[0], q[1], a, b, 0, prm.outline_exponent))
      return false;
    const double f = nucleus_axis_fraction;
    const double u = q[0] / (f * a), w = (q[1] + nucleus_shift * 2 * b) / (f * b);
    if (u * u + w * w > 1)
      region = s.annulus;
    else if (!s.nucleus_removed)
      region = s.nucleus;
    else
      region = s.nucleus_fill;
    return true;
  }

  std::optional<model::RegionId> LumbarColumn::classify_ligament(const Point<3> &p) const
  {
    // The posterior ligament boxes are drawn in the straight disc's coordinates.
    for (const Segment &s : discs)
      {
        const Point<3> q = s.landmarks.frame.to_local(p);
        const Point<3> straight(q[0], q[1], s.z + s.straight_height(q[1], q[2]));
        // A cut band leaves its space empty (nothing else is drawn there).
        if (s.interspinous.contains(straight))
          return s.ligament(Tissue::interspinous_ligament, s.interspinous_ligament);
        if (s.flavum.contains(straight))
          return s.ligament(Tissue::ligamentum_flavum, s.ligamentum_flavum);
      }
    // Longitudinal ligaments: bands on the anterior and posterior surface of the disc that
    // reach a few mm onto each body, where they attach.
    for (const Segment &s : discs)
      {
        const Point<3> q = s.landmarks.frame.to_local(p);
        const double z = s.straight_height(q[1], q[2]);
        if (std::abs(z) > s.hd / 2 + ligament_attachment)
          continue;
        double a, b;
        s.landmarks.shape.semi_axes(z, a, b);
        if (!inside_section(q[0], q[1], a + t_ligament, b + t_ligament, 0, prm.outline_exponent))
          return std::nullopt;
        if (q[1] > 0 && std::abs(q[0]) <= prm.anterior_ligament_width / 2)
          return s.ligament(Tissue::anterior_ligament, s.anterior_ligament);
        if (q[1] < 0 && std::abs(q[0]) <= prm.posterior_ligament_width / 2)
          return s.ligament(Tissue::posterior_ligament, s.posterior_ligament);
        return std::nullopt;
      }
    return std::nullopt;
  }

  Box LumbarColumn::bounding_box() const
  {
    return bounds;
  }

  double LumbarColumn::modulus_scale(const model::Region &region) const
  {
    // Membrane-equivalent modulus of the shells drawn thicker than they are (E t is kept);
    // the facet pads work through their thickness instead (a joint's normal stiffness is
    // E A / t), so theirs is scaled by drawn / physical thickness: without this the posterior
    // column's stiffness, and with it the rods' load share, changed by a factor of 2 between
    // 2.5 and 0.75 mm voxels.
    switch (region.tissue)
      {
      case Tissue::cortical: return std::min(1.0, prm.cortical_thickness / t_cortical);
      case Tissue::endplate: return std::min(1.0, prm.endplate_thickness / t_endplate);
      case Tissue::facet_cartilage: return std::max(1.0, t_facet / prm.facet_cartilage_thickness);
      case Tissue::interspinous_ligament:
      case Tissue::ligamentum_flavum:
        if (region.segment != model::no_index && region.segment < static_cast<int>(discs.size()))
          {
            return posterior_band_length_factor(region.segment, region.tissue);
          }
        return 1.0;
      default: return 1.0;
      }
  }

  double LumbarColumn::posterior_band_length_factor(const unsigned int segment,
                                                    const Tissue band) const
  {
    if (discs[segment].tan_half == 0)
      return 1.0;
    return posterior_band_factors()[segment][band == Tissue::interspinous_ligament ? 0 : 1];
  }

  const std::vector<std::array<double, 2>> &LumbarColumn::posterior_band_factors() const
  {
    // A wedge disc brings the spinous processes and laminae together behind it, so a
    // lordotic segment's posterior bands are shorter than the straight segment's and, at the
    // same E A, stiffer: at L5-S1 the interspinous band shrank to a third. The intact
    // calibration was made on the straight segment; these factors keep each band's axial
    // stiffness (E A times the mean of 1 / length over its depth and width) what it is there,
    // so that lordosis moves the bands but does not stiffen them. The lengths are measured
    // on the shapes as drawn (an earlier closed-form closure assumed block-shaped processes
    // and was 36 % off at L5-S1 between the anatomical hatchet-shaped ones), on intact twins
    // so that no surgery step changes them.
    if (band_factors_resolution == h_resolution && band_factors.size() == discs.size())
      return band_factors;
    band_factors.assign(discs.size(), std::array<double, 2>{{1.0, 1.0}});
    band_factors_resolution = h_resolution;
    const bool wedged =
      std::any_of(discs.begin(), discs.end(), [](const Segment &s) { return s.tan_half != 0; });
    if (!wedged)
      return band_factors;
    LumbarParameters straight_prm = prm;
    straight_prm.alignment = "straight";
    LumbarColumn lordotic(prm, vertebrae()), straight(straight_prm, vertebrae());
    model::Model scratch_lordotic, scratch_straight;
    lordotic.add_to(scratch_lordotic);
    straight.add_to(scratch_straight);
    lordotic.set_resolution(h_resolution);
    straight.set_resolution(h_resolution);
    for (unsigned int k = 0; k < discs.size(); ++k)
      {
        const Segment &a = lordotic.discs[k], &b = straight.discs[k];
        const double interspinous =
          straight.mean_inverse_band_length(b, b.interspinous, b.interspinous_ligament) /
          lordotic.mean_inverse_band_length(a, a.interspinous, a.interspinous_ligament);
        const double flavum =
          straight.mean_inverse_band_length(b, b.flavum, b.ligamentum_flavum) /
          lordotic.mean_inverse_band_length(a, a.flavum, a.ligamentum_flavum);
        band_factors[k] = {{std::isfinite(interspinous) && interspinous > 0 ? interspinous : 1.0,
                            std::isfinite(flavum) && flavum > 0 ? flavum : 1.0}};
      }
    return band_factors;
  }

  double LumbarColumn::mean_inverse_band_length(const Segment &s, const Box &band,
                                                const RegionId id) const
  {
    // Lines along the disc's normal through a grid over the band's width and depth (the box
    // is drawn in the straight disc's coordinates, whose x and y are the disc frame's).
    constexpr int nx = 3, ny = 24;
    constexpr double step = 0.1; // [mm] along the normal
    // The bands reach 2 mm into bone at each end; heights beyond the wedge's faces are those
    // of the straight disc, so the box's heights bound the band's.
    const double h_lo = band.lo[2] - s.z - 1, h_hi = band.hi[2] - s.z + 1;
    double sum = 0;
    for (int i = 0; i < nx; ++i)
      for (int j = 0; j < ny; ++j)
        {
          const double x = band.lo[0] + (i + 0.5) / nx * (band.hi[0] - band.lo[0]);
          const double y = band.lo[1] + (j + 0.5) / ny * (band.hi[1] - band.lo[1]);
          unsigned int inside = 0;
          for (double h = h_lo + step / 2; h < h_hi; h += step)
            if (classify_point(s.landmarks.frame.to_global(Point<3>(x, y, h)), false) == id)
              ++inside;
          // No bone crosses a disc's mid-surface: the posterior elements stay at least the
          // cartilage's thickness apart, and so does a band drawn between them.
          if (inside > 0)
            sum += 1 / std::max(inside * step, t_facet);
        }
    return sum / (nx * ny);
  }

  std::vector<std::string> LumbarColumn::vertebrae() const
  {
    std::vector<std::string> names;
    for (const Vertebra &v : column)
      names.push_back(v.dim.name);
    return names;
  }

  const LumbarColumn::Vertebra &LumbarColumn::find_vertebra(const std::string &name) const
  {
    std::string valid;
    for (const Vertebra &v : column)
      {
        if (v.dim.name == name)
          return v;
        valid += (valid.empty() ? "" : ", ") + v.dim.name;
      }
    throw std::invalid_argument("vertebra '" + name + "' is not in the model (" + valid + ")");
  }

  const VertebraLandmarks &LumbarColumn::vertebra(const std::string &name) const
  {
    return find_vertebra(name).landmarks;
  }

  bool LumbarColumn::inside_vertebral_body(const std::string &name, const Point<3> &p,
                                           const double inset) const
  {
    const Vertebra &v = find_vertebra(name);
    return v.in_body(v.landmarks.frame.to_local(p), inset);
  }

  std::vector<std::string> LumbarColumn::segments() const
  {
    std::vector<std::string> names;
    for (const Segment &s : discs)
      names.push_back(s.name);
    return names;
  }

  const LumbarColumn::Segment &LumbarColumn::find_segment(const std::string &name) const
  {
    std::string valid;
    for (const Segment &s : discs)
      {
        if (s.name == name)
          return s;
        valid += (valid.empty() ? "" : ", ") + s.name;
      }
    throw std::invalid_argument("motion segment '" + name + "' is not in the model (" + valid +
                                ")");
  }

  LumbarColumn::Segment &LumbarColumn::find_segment(const std::string &name)
  {
    return const_cast<Segment &>(static_cast<const LumbarColumn &>(*this).find_segment(name));
  }

  const DiscLandmarks &LumbarColumn::disc(const std::string &segment) const
  {
    return find_segment(segment).landmarks;
  }

  void LumbarColumn::resect_facet_joint(const std::string &segment, const model::Side side)
  {
    Segment &s = find_segment(segment);
    const int k = static_cast<int>(&s - discs.data());
    s.facet_resected[side == model::Side::left ? 0 : 1] = true;
    for (Vertebra *v : {&column[k], &column[k + 1]})
      v->articular.erase(std::remove_if(v->articular.begin(), v->articular.end(),
                                        [&](const Vertebra::ArticularProcess &a) {
                                          return a.segment == static_cast<unsigned int>(k) &&
                                                 a.side == side;
                                        }),
                         v->articular.end());
    set_resolution(h_resolution);
  }

  void LumbarColumn::resect_ligament(const std::string &segment, const Tissue ligament)
  {
    Segment &s = find_segment(segment);
    if (!model::is_ligament(ligament))
      throw std::invalid_argument("resect_ligament: '" + model::tissue_name(ligament) +
                                  "' is not a ligament");
    if (!prm.ligaments)
      throw std::invalid_argument("cannot cut the " + model::tissue_name(ligament) + " of " +
                                  segment + ": this model has no ligaments (Geometry/Ligaments "
                                            "= false)");
    s.resected_ligaments.insert(ligament);
  }

  void LumbarColumn::remove_nucleus(const std::string &segment,
                                    const std::optional<model::RegionId> fill)
  {
    Segment &s = find_segment(segment);
    s.nucleus_removed = true;
    s.nucleus_fill = fill;
  }

  double LumbarColumn::cortical_thickness_used() const
  {
    return t_cortical;
  }
  double LumbarColumn::endplate_thickness_used() const
  {
    return t_endplate;
  }
  double LumbarColumn::facet_cartilage_thickness_used() const
  {
    return t_facet;
  }
  const LumbarParameters &LumbarColumn::parameters() const
  {
    return prm;
  }

  std::optional<double> LumbarColumn::ligament_drawn_area(const model::Region &region) const
  {
    if (region.segment == model::no_index || region.segment >= static_cast<int>(discs.size()))
      return std::nullopt;
    const Segment &s = discs[region.segment];
    const auto xy_area = [](const Box &b) { return (b.hi[0] - b.lo[0]) * (b.hi[1] - b.lo[1]); };
    switch (region.tissue)
      {
      case Tissue::interspinous_ligament: return xy_area(s.interspinous);
      case Tissue::ligamentum_flavum: return xy_area(s.flavum);
      case Tissue::anterior_ligament: return prm.anterior_ligament_width * t_ligament;
      case Tissue::posterior_ligament: return prm.posterior_ligament_width * t_ligament;
      default: return std::nullopt;
      }
  }
} // namespace bonefusion::anatomy
