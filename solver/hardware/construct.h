#pragma once
/**
 * @file The surgical construct of a case: the surgery steps and the implants, built from the
 * Instrumentation parameters by the one factory of the hardware seam (construct.cc holds the
 * name -> constructor table).
 */
#include "anatomy/anatomy.h"
#include "hardware/implant.h"
#include "hardware/instrumentation_parameters.h"
#include "hardware/surgery.h"

#include <memory>
#include <string>
#include <vector>

namespace bonefusion::hardware
{
  struct Construct
  {
    std::vector<std::unique_ptr<SurgeryStep>> surgery;
    /** In the order they were placed (screws before the rods that join them). */
    std::vector<std::unique_ptr<Implant>> implants;

    /** The first implant of type T, or nullptr. */
    template <typename T>
    const T *find() const
    {
      for (const auto &i : implants)
        if (const T *t = dynamic_cast<const T *>(i.get()))
          return t;
      return nullptr;
    }
  };

  /**
   * Places the implants the parameters ask for on `anatomy`, at the vertebrae and discs their
   * Levels name (screws: every vertebra by default; cages and posterolateral grafts: the
   * model's only segment by default, named in a model of several), and lists the surgery
   * steps they need (a discectomy per cage, the facetectomies of the approach and of
   * Instrumentation/Facetectomy). Throws std::invalid_argument naming the parameter when a
   * level is not in the model or an implant does not fit.
   */
  Construct build_construct(const InstrumentationParameters &parameters,
                            const anatomy::Anatomy &anatomy);

  /** Names of the implant types in the factory's table, in placement order. */
  std::vector<std::string> implant_types();
} // namespace bonefusion::hardware
