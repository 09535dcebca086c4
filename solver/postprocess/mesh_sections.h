#pragma once
/**
 * @file For imported meshes with Mesh model/Section plane height: the force and moment each
 * region carries through the plane z = height (section_<region>_force_{x,y,z}_N,
 * section_<region>_moment_{x,y,z}_Nmm, moments about the loaded surface's centroid moved into
 * the plane): load sharing on a mesh from another code.
 */
#include "postprocess/postprocessor.h"

namespace bonefusion::postprocess
{
  class MeshSections : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    /** Throws std::runtime_error if no element faces lie in the plane. */
    explicit MeshSections(const Context &context);
    void evaluate(const SolvedLoad &load, io::StatisticsTable &table) override;

  private:
    const Context &context;
  };
} // namespace bonefusion::postprocess
