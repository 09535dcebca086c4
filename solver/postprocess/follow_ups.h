#pragma once
/**
 * @file The virtual follow-up visits of a run over time and its time to fusion: when the run
 * ends, follow_ups.csv lists each visit's CT grade and the numbers a clinic would note, and
 * the time to fusion (the last upward crossing of the bridging threshold, interpolated
 * between steps) goes to the log and the summary's metadata. Per motion segment.
 */
#include "postprocess/postprocessor.h"

namespace bonefusion::postprocess
{
  class FollowUps : public Postprocessor
  {
  public:
    using Postprocessor::evaluate;
    explicit FollowUps(const Context &context);
    void finish(const io::StatisticsTable &table,
                std::map<std::string, std::string> &metadata) override;

    /** Day [days] after which segment s's bridged fraction stays above `threshold` (NaN if
     *  it never does), linearly interpolated between the rows of `table`. */
    static double time_to_fusion(const io::StatisticsTable &table, const std::string &column,
                                 double threshold);

  private:
    const Context &context;
  };
} // namespace bonefusion::postprocess
