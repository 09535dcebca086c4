#include "anatomy/sagittal_alignment.h"

#include <cmath>
#include <stdexcept>

namespace bonefusion::anatomy
{
  model::Frame rotated_about_lateral(const model::Frame &frame, const double angle)
  {
    model::Frame r = frame;
    const double c = std::cos(angle), s = std::sin(angle);
    r.anterior = c * frame.anterior + s * frame.superior;
    r.superior = -s * frame.anterior + c * frame.superior;
    return r;
  }

  AlignedColumn align_column(const std::vector<StraightVertebra> &vertebrae,
                             const std::vector<StraightDisc> &discs)
  {
    if (vertebrae.size() != discs.size() + 1)
      throw std::invalid_argument("align_column: " + std::to_string(vertebrae.size()) +
                                  " vertebrae need " + std::to_string(vertebrae.size() - 1) +
                                  " discs, got " + std::to_string(discs.size()));
    AlignedColumn column;
    column.vertebrae.resize(vertebrae.size());
    column.discs.resize(discs.size());
    bool straight = true;
    for (const StraightDisc &d : discs)
      straight = straight && d.lordosis == 0;
    if (straight)
      {
        // The straight column is the reference itself: exact global frames.
        for (unsigned int k = 0; k < discs.size(); ++k)
          column.discs[k].origin = dealii::Point<3>(0, 0, discs[k].mid_height);
        return column;
      }

    constexpr double degree = 3.14159265358979323846 / 180;
    // Top down: the upper endplate of a disc is turned by +half its angle against the
    // disc's frame, the lower by -half, each endplate centre half the height from the
    // mid-surface's centre along the disc's normal.
    for (unsigned int k = 0; k < discs.size(); ++k)
      {
        const double half = discs[k].lordosis * degree / 2;
        const model::Frame &upper = column.vertebrae[k];
        model::Frame disc = rotated_about_lateral(upper, -half);
        const dealii::Point<3> upper_endplate =
          upper.to_global(dealii::Point<3>(0, 0, vertebrae[k].inferior));
        disc.origin = upper_endplate - discs[k].height / 2 * disc.superior;
        model::Frame lower = rotated_about_lateral(disc, -half);
        const dealii::Point<3> lower_endplate = disc.origin - discs[k].height / 2 * disc.superior;
        lower.origin = lower_endplate - vertebrae[k + 1].superior * lower.superior;
        column.discs[k] = disc;
        column.vertebrae[k + 1] = lower;
      }
    // The lowest disc's centre at the origin.
    const dealii::Tensor<1, 3> shift = -(column.discs.back().origin - dealii::Point<3>());
    for (model::Frame &f : column.vertebrae)
      f.origin += shift;
    for (model::Frame &f : column.discs)
      f.origin += shift;
    return column;
  }
} // namespace bonefusion::anatomy
