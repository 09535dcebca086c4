#include "loads/load_case.h"

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/utilities.h>

#include <stdexcept>

namespace bonefusion::loads
{
  namespace
  {
    constexpr double newton_mm_per_newton_m = 1000.0;

    /** Rotation axis of each named moment case (see the sign convention in the header). */
    const std::vector<std::pair<std::string, dealii::Tensor<1, 3>>> &moment_axes()
    {
      static const std::vector<std::pair<std::string, dealii::Tensor<1, 3>>> axes = {
        {"flexion", dealii::Tensor<1, 3>({-1., 0., 0.})},
        {"extension", dealii::Tensor<1, 3>({1., 0., 0.})},
        {"left lateral bending", dealii::Tensor<1, 3>({0., -1., 0.})},
        {"right lateral bending", dealii::Tensor<1, 3>({0., 1., 0.})},
        {"left axial rotation", dealii::Tensor<1, 3>({0., 0., 1.})},
        {"right axial rotation", dealii::Tensor<1, 3>({0., 0., -1.})},
      };
      return axes;
    }
  } // namespace

  std::vector<std::string> known_load_case_names()
  {
    std::vector<std::string> names;
    for (const auto &a : moment_axes())
      names.push_back(a.first);
    names.push_back("compression");
    return names;
  }

  void LoadParameters::declare_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii;
    prm.enter_subsection("Loads");
    std::string names;
    for (const std::string &n : known_load_case_names())
      names += (names.empty() ? "" : "|") + n;
    prm.declare_entry("Load cases",
                      "flexion, extension, left lateral bending, right lateral bending, "
                      "left axial rotation, right axial rotation, compression",
                      Patterns::List(Patterns::Selection(names), 1),
                      "Comma-separated load cases solved in this run, each a right-hand side "
                      "for the same stiffness matrix. Pure moments act on the superior surface "
                      "of the upper vertebral body with zero net force. [-]");
    prm.declare_entry("Moment", "7.5", Patterns::Double(0),
                      "Magnitude of the pure moment of the bending and rotation cases; 7.5 N m "
                      "is the in-vitro standard of Niosi et al. 2006 (Eur Spine J 15:913). [N m]");
    prm.declare_entry("Compressive force", "400", Patterns::Double(0),
                      "Axial compressive force of the 'compression' case, uniformly distributed "
                      "over the superior surface. [N]");
    prm.declare_entry("Follower preload", "0", Patterns::Double(0),
                      "Compressive follower-type preload added to every moment case (Niosi: "
                      "600 N). In this linear single-segment model it is a compressive force "
                      "whose line of action passes through the follower path point. [N]");
    prm.declare_entry("Follower path offset", "0", Patterns::Double(),
                      "Anterior (+y) offset of the follower load path from the centroid of "
                      "the loaded surface (path 'loaded surface' only; the path through the "
                      "vertebral bodies passes through their centroids). [mm]");
    prm.declare_entry("Follower path", "auto",
                      Patterns::Selection("auto|loaded surface|vertebral bodies"),
                      "Where the follower preload acts. 'loaded surface': one force along the "
                      "top vertebra's axis on its superior surface. 'vertebral bodies': a "
                      "cable through the centroid of every vertebral body from the top to the "
                      "bottom vertebra, each vertebra pushed by the kink of the cable (a body "
                      "force on its bone), so the path follows the curve of the column and "
                      "passes near each disc's centre. auto = vertebral bodies in a model of "
                      "several levels, loaded surface for one segment. [-]");
    prm.leave_subsection();
  }

  void LoadParameters::parse_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Loads");
    cases = dealii::Utilities::split_string_list(prm.get("Load cases"));
    moment = prm.get_double("Moment");
    compression = prm.get_double("Compressive force");
    follower_preload = prm.get_double("Follower preload");
    follower_offset = prm.get_double("Follower path offset");
    follower_path = prm.get("Follower path");
    prm.leave_subsection();
    if (cases.empty())
      throw std::invalid_argument("Loads/Load cases: at least one load case is needed");
  }

  bool LoadParameters::follower_through_bodies(const std::size_t n_segments) const
  {
    return follower_path == "vertebral bodies" || (follower_path == "auto" && n_segments > 1);
  }

  std::vector<LoadCase> LoadParameters::load_cases(const bool preload_on_surface) const
  {
    const double surface_preload = preload_on_surface ? follower_preload : 0.0;
    std::vector<LoadCase> result;
    for (const std::string &name : cases)
      {
        LoadCase lc;
        lc.name = name;
        if (name == "compression")
          lc.force[2] = -compression;
        else
          {
            bool found = false;
            for (const auto &a : moment_axes())
              if (a.first == name)
                {
                  lc.primary_axis = a.second;
                  lc.moment = moment * newton_mm_per_newton_m * a.second;
                  found = true;
                }
            if (!found)
              throw std::invalid_argument("Loads/Load cases: unknown load case '" + name + "'");
            // A compressive force -F e_z acting at (0, offset) about the centroid adds the
            // moment r x F = (offset * -F, 0, 0).
            lc.force[2] = 0.0 - surface_preload; // 0 - 0 is +0, not -0, in the table
            lc.moment[0] += follower_offset * (-surface_preload);
          }
        result.push_back(lc);
      }
    return result;
  }
} // namespace bonefusion::loads
