#include "model/model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bonefusion::model
{
  void DiscShape::semi_axes(const double z, double &a, double &b) const
  {
    // Linear taper between the two endplates (t = 0 at the lower face, 1 at the upper one).
    const double t = (std::clamp(z, -height / 2, height / 2) + height / 2) / height;
    a = lower_semi_width + t * (upper_semi_width - lower_semi_width);
    b = lower_semi_depth + t * (upper_semi_depth - lower_semi_depth);
  }

  double DiscShape::annulus_depth(const dealii::Point<3> &p) const
  {
    double a, b;
    semi_axes(p[2], a, b);
    const double outline = std::pow(std::pow(std::abs(p[0]) / a, outline_exponent) +
                                       std::pow(std::abs(p[1]) / b, outline_exponent),
                                     1 / outline_exponent);
    if (!(nucleus_fraction > 0))
      return std::clamp(outline, 0.0, 1.0);
    const double f = nucleus_fraction;
    const double nucleus = std::hypot(p[0] / (f * a), (p[1] + nucleus_offset * b) / (f * b));
    // Level-set distances in units of the outline's size: the nucleus' level grows f times
    // faster with distance than the outline's.
    const double to_nucleus = std::max(nucleus - 1, 0.0) * f;
    const double to_outline = std::max(1 - outline, 0.0);
    return to_nucleus + to_outline > 0 ? to_nucleus / (to_nucleus + to_outline) : 1.0;
  }

  std::string side_name(const Side s)
  {
    return s == Side::left ? "left" : "right";
  }

  int Model::add_body(const Body &body)
  {
    for (const Body &b : bodies)
      if (b.name == body.name)
        throw std::logic_error("body '" + body.name + "' is defined twice");
    bodies.push_back(body);
    return static_cast<int>(bodies.size()) - 1;
  }

  int Model::body(const std::string &name) const
  {
    std::string valid;
    for (unsigned int b = 0; b < bodies.size(); ++b)
      {
        if (bodies[b].name == name)
          return b;
        valid += (valid.empty() ? "" : ", ") + bodies[b].name;
      }
    throw std::invalid_argument("unknown body '" + name + "' (bodies of this model: " + valid +
                                ")");
  }

  int Model::segment(const std::string &name) const
  {
    std::string valid;
    for (unsigned int s = 0; s < segments.size(); ++s)
      {
        if (segments[s].name == name)
          return s;
        valid += (valid.empty() ? "" : ", ") + segments[s].name;
      }
    throw std::invalid_argument("unknown motion segment '" + name +
                                "' (segments of this model: " + valid + ")");
  }

  bool Model::in_vertebral_body(const RegionId id, const int b) const
  {
    const Region &r = regions[id];
    return r.body == b && is_vertebral_body(r.tissue);
  }

  RegionId Model::region(const Tissue t, const int b, const int s) const
  {
    for (const Region &r : regions.all())
      if (r.tissue == t && r.body == b && r.segment == s)
        return r.id;
    throw std::invalid_argument("the model has no " + tissue_name(t) + " region" +
                                (b != no_index ? " of " + bodies.at(b).name : std::string()) +
                                (s != no_index ? " in " + segments.at(s).name : std::string()));
  }

  dealii::Tensor<1, 3> FacetJoint::layer_normal(const dealii::Point<3> &x) const
  {
    if (surface_radius <= 0)
      return frame.superior;
    dealii::Tensor<1, 3> d = surface_axis - x;
    d -= (d * frame.superior) * frame.superior;
    const double r = d.norm();
    if (r > 0)
      return d / r;
    return frame.superior;
  }

  const FacetJoint *Model::facet_joint_of(const RegionId id) const
  {
    for (const FacetJoint &j : facet_joints)
      if (j.region == id)
        return &j;
    return nullptr;
  }

  std::string Model::segment_column(const int s, const std::string &column) const
  {
    if (segments.size() <= 1)
      return column;
    std::string name = segments.at(s).name;
    std::replace(name.begin(), name.end(), '-', '_');
    return name + "_" + column;
  }

  bool Model::vertebra_above_segment(const int b, const int s) const
  {
    for (int v = segments.at(s).upper; v != no_index;)
      {
        if (v == b)
          return true;
        int up = no_index;
        for (const MotionSegment &above : segments)
          if (above.lower == v)
            up = above.upper;
        v = up;
      }
    return false;
  }

  bool Model::below_segment(const int s, const RegionId id, const dealii::Point<3> &centre) const
  {
    // Rank of a vertebra in the column: 0 for the upper vertebra of segment 0, k + 1 for the
    // lower vertebra of segment k.
    const auto rank = [this](const int b) {
      for (unsigned int k = 0; k < segments.size(); ++k)
        {
          if (segments[k].upper == b)
            return static_cast<int>(k);
          if (segments[k].lower == b)
            return static_cast<int>(k) + 1;
        }
      return no_index;
    };
    const Region &r = regions[id];
    int vertebra = no_index;
    if (r.body != no_index)
      {
        const Body &body = bodies.at(r.body);
        if (body.kind == BodyKind::vertebra)
          vertebra = r.body;
        else
          for (unsigned int b = 0; b < bodies.size(); ++b)
            if (bodies[b].kind == BodyKind::vertebra && bodies[b].name == body.level)
              vertebra = static_cast<int>(b);
      }
    if (vertebra != no_index && rank(vertebra) != no_index)
      return rank(vertebra) > s;
    if (r.segment != no_index && r.segment != s)
      return r.segment > s;
    // A curved facet joint's cartilage stands across the mid-surface between the articular
    // processes: the cut runs along its upper process' face, so that all the joint's force
    // is the cartilage's.
    if (const FacetJoint *joint = facet_joint_of(id); joint && joint->surface_radius > 0)
      return true;
    return segments.at(s).disc_frame.height_of(centre) < 0;
  }
} // namespace bonefusion::model
