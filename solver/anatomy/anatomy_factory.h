#pragma once
/**
 * @file The anatomy factory: every anatomy the project has, by name (one table in
 * anatomy_factory.cc).
 */
#include "anatomy/anatomy.h"
#include "anatomy/lumbar_parameters.h"

#include <memory>
#include <string>
#include <vector>

namespace bonefusion::anatomy
{
  /**
   * The anatomy called `name` ("lumbar column"), built from the Geometry parameters with the
   * vertebrae `vertebrae` (top to bottom; empty = those of Geometry/Level). Throws
   * std::invalid_argument for an unknown name, listing the known ones.
   */
  std::unique_ptr<Anatomy> create_anatomy(const std::string &name,
                                          const LumbarParameters &parameters,
                                          const std::vector<std::string> &vertebrae = {});

  /** Names of all anatomies, in the factory's order. */
  std::vector<std::string> anatomy_names();
} // namespace bonefusion::anatomy
