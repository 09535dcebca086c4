#pragma once
/**
 * @file For imported meshes: volume-mean and peak von Mises stress of every region
 * (von_mises_mean_<region>_MPa, von_mises_peak_<region>_MPa).
 */
#include "postprocess/postprocessor.h"

namespace bonefusion::postprocess
{
  class RegionStresses : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    explicit RegionStresses(const Context &context);
    void evaluate(const SolvedLoad &load, io::StatisticsTable &table) override;

  private:
    const Context &context;
  };
} // namespace bonefusion::postprocess
