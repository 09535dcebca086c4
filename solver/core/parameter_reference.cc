#include "core/parameter_reference.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <sstream>
#include <string>

namespace bonefusion::core
{
  namespace
  {
    /** deal.II's XML export writes every non-alphanumeric character as _XX (hex). */
    std::string demangle(const std::string &s)
    {
      std::string out;
      for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '_' && i + 2 < s.size())
          {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
          }
        else
          out += s[i];
      return out;
    }

    /** A '|' would end a Markdown table cell. */
    std::string escape_pipes(const std::string &s)
    {
      std::string out;
      for (const char c : s)
        out += (c == '|') ? std::string("\\|") : std::string(1, c);
      return out;
    }

    void walk(const boost::property_tree::ptree &tree, const std::string &path, std::ostream &out,
              const bool markdown)
    {
      // Entries first, then subsections, so each section reads as one table.
      bool header_written = false;
      for (const auto &[key, child] : tree)
        if (child.count("value") > 0)
          {
            const std::string name = demangle(key);
            const std::string def = child.get<std::string>("default_value");
            const std::string doc = child.get<std::string>("documentation");
            const std::string allowed = child.get<std::string>("pattern_description");
            if (markdown)
              {
                if (!header_written)
                  out << "\n## " << (path.empty() ? "(top level)" : path) << "\n\n"
                      << "| parameter | default | allowed | meaning [unit] |\n|---|---|---|---|\n";
                header_written = true;
                out << "| " << name << " | `" << def << "` | " << escape_pipes(allowed) << " | "
                    << escape_pipes(doc) << " |\n";
              }
            else
              out << (path.empty() ? "" : path + "/") << name << " = " << def << "\n"
                  << "    " << doc << "\n    allowed: " << allowed << "\n";
          }
      for (const auto &[key, child] : tree)
        if (child.count("value") == 0)
          walk(child, (path.empty() ? "" : path + "/") + demangle(key), out, markdown);
    }
  } // namespace

  void print_parameter_reference(const dealii::ParameterHandler &prm, std::ostream &out,
                                 const bool markdown)
  {
    std::stringstream xml;
    prm.print_parameters(xml, dealii::ParameterHandler::XML);
    boost::property_tree::ptree tree;
    boost::property_tree::read_xml(xml, tree);
    walk(tree.get_child("ParameterHandler"), "", out, markdown);
  }
} // namespace bonefusion::core
