#pragma once
/**
 * @file The parametric model of a case: the anatomy (from its factory), the surgery steps
 * and implants of the construct, the model they register, and the point classifier that
 * combines them for the mesher. Building it runs every check that needs the anatomy (screws
 * that leave the body, cages that do not fit the disc), so `bonefusion --check` builds one
 * without meshing.
 */
#include "anatomy/anatomy.h"
#include "anatomy/lumbar_parameters.h"
#include "hardware/construct.h"
#include "hardware/instrumentation_parameters.h"
#include "meshing/voxel_mesh.h"
#include "model/model.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace bonefusion::core
{
  class ParametricModel
  {
  public:
    /**
     * Builds anatomy, construct and model with thin layers drawn at least `resolution` [mm]
     * thick (0 = their physical thickness). `vertebrae`: the anatomy's vertebrae top to
     * bottom (empty = those of Geometry/Level). Throws std::invalid_argument naming the
     * parameter for anything that does not fit.
     */
    ParametricModel(const anatomy::LumbarParameters &geometry,
                    const hardware::InstrumentationParameters &instrumentation,
                    double resolution = 0, const std::vector<std::string> &vertebrae = {});

    /** Region at p: implants first (by precedence), then the anatomy, where its bone may be
     *  lined by an implant's layer (a loosened screw's halo); graft strips only where the
     *  anatomy leaves space or soft tissue. */
    std::optional<model::RegionId> classify(const dealii::Point<3> &p) const;
    /** Factor on a region's modulus from the way the anatomy or an implant draws it at the
     *  resolution of the model (1 for most regions). */
    double modulus_scale(const model::Region &region) const;
    /** Box enclosing every point classify() assigns a region. */
    anatomy::Box bounding_box() const;
    /** What the voxel mesher needs: classifier, box, and the support and loaded surfaces
     *  (the inferior face of the lowest and the superior face of the top vertebral body). */
    meshing::VoxelDomain voxel_domain() const;
    std::vector<meshing::VoxelSurface> voxel_surfaces() const;
    /** The groups of regions whose surfaces boundary fitting fits (BoundaryFitting::
     *  group_of): each body (a vertebra, an implant part) is one group, every region of no
     *  body (disc, cartilage, ligaments, graft) its own. The boundaries between a vertebra's
     *  cortical shell, cancellous bone and endplates stay on the voxels, where the shell's
     *  drawn thickness (and its modulus scaling) is defined. */
    std::function<unsigned int(unsigned int)> fitting_groups() const;

    const model::Model &model() const { return the_model; }
    model::Model &model() { return the_model; }
    const anatomy::Anatomy &anatomy() const { return *the_anatomy; }
    const hardware::Construct &construct() const { return the_construct; }

  private:
    model::Model the_model;
    std::unique_ptr<anatomy::Anatomy> the_anatomy;
    double resolution = 0; ///< [mm] thin layers drawn at least this thick (the voxel size)
    hardware::Construct the_construct;
    std::vector<const hardware::Implant *> replacing, filling; // by precedence
    /** Geometry/Column rotation (quarter turns about z): anatomy and implants are built
     *  unturned; classify() turns the point back, the model's frames are turned once. cos and
     *  sin of the angle, exactly 0 or +-1. */
    double turn_cos = 1, turn_sin = 0;
    dealii::Point<3> turned(const dealii::Point<3> &p, double sign) const;
  };
} // namespace bonefusion::core
