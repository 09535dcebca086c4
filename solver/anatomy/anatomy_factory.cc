#include "anatomy/anatomy_factory.h"

#include "anatomy/lumbar_column.h"

#include <functional>
#include <stdexcept>

namespace bonefusion::anatomy
{
  namespace
  {
    struct Entry
    {
      const char *name;
      std::function<std::unique_ptr<Anatomy>(const LumbarParameters &,
                                             const std::vector<std::string> &)>
        create;
    };

    const std::vector<Entry> &table()
    {
      static const std::vector<Entry> entries = {
        {"lumbar column",
         [](const LumbarParameters &p, const std::vector<std::string> &vertebrae) {
           return std::make_unique<LumbarColumn>(p, vertebrae);
         }},
      };
      return entries;
    }
  } // namespace

  std::unique_ptr<Anatomy> create_anatomy(const std::string &name,
                                          const LumbarParameters &parameters,
                                          const std::vector<std::string> &vertebrae)
  {
    std::string valid;
    for (const Entry &e : table())
      {
        if (name == e.name)
          return e.create(parameters, vertebrae);
        valid += (valid.empty() ? "" : ", ") + std::string(e.name);
      }
    throw std::invalid_argument("unknown anatomy '" + name + "' (valid: " + valid + ")");
  }

  std::vector<std::string> anatomy_names()
  {
    std::vector<std::string> names;
    for (const Entry &e : table())
      names.push_back(e.name);
    return names;
  }
} // namespace bonefusion::anatomy
