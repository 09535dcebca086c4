#include "core/case_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <vector>

namespace bonefusion::core
{
  namespace
  {
    std::string trim(const std::string &s)
    {
      const auto b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? "" : s.substr(b, e - b + 1);
    }

    /** Collapses runs of blanks to one (ParameterHandler compares names that way). */
    std::string normalised(const std::string &s)
    {
      std::string out;
      for (const char c : trim(s))
        if (!(c == ' ' || c == '\t') || (!out.empty() && out.back() != ' '))
          out += (c == '\t' ? ' ' : c);
      return out;
    }
  } // namespace

  void check_case_file(const std::string &path)
  {
    const std::string name = "case file '" + path + "'";
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status))
      throw std::runtime_error(name + " does not exist");
    if (std::filesystem::is_directory(status))
      throw std::runtime_error(name + " is a directory, not a case file (.prm)");
    if (!std::filesystem::is_regular_file(status))
      throw std::runtime_error(name + " is not a regular file");
    errno = 0;
    std::ifstream in(path);
    if (!in)
      throw std::runtime_error(name + " cannot be read (" +
                               std::string(errno ? std::strerror(errno) : "unknown reason") + ")");

    // Subsection path -> line where it was opened; parameter path -> line where it was set.
    std::map<std::string, unsigned int> opened, set;
    std::vector<std::string> stack;
    const auto path_of = [&stack](const std::string &leaf) {
      std::string p;
      for (const auto &s : stack)
        p += s + "/";
      return p + leaf;
    };
    unsigned int line_no = 0, entries = 0;
    std::string line;
    while (std::getline(in, line))
      {
        ++line_no;
        // A trailing backslash continues the line (ParameterHandler's syntax).
        while (!line.empty() && trim(line).back() == '\\' && std::getline(in, line))
          ++line_no;
        std::string text = line;
        if (const auto hash = text.find('#'); hash != std::string::npos)
          text = text.substr(0, hash);
        text = trim(text);
        if (text.empty())
          continue;
        if (text.rfind("subsection ", 0) == 0 || text.rfind("subsection\t", 0) == 0)
          {
            stack.push_back(normalised(text.substr(11)));
            const auto [it, inserted] = opened.emplace(path_of(""), line_no);
            if (!inserted)
              throw std::runtime_error(
                name + ", line " + std::to_string(line_no) + ": subsection '" +
                path_of("").substr(0, path_of("").size() - 1) +
                "' is opened a second time (first on line " + std::to_string(it->second) +
                "); merge the two blocks so that no value is silently "
                "replaced");
          }
        else if (text == "end")
          {
            if (!stack.empty())
              stack.pop_back();
          }
        else if (text.rfind("set ", 0) == 0 || text.rfind("set\t", 0) == 0)
          {
            ++entries;
            const auto eq = text.find('=');
            const std::string key =
              normalised(text.substr(4, eq == std::string::npos ? std::string::npos : eq - 4));
            const auto [it, inserted] = set.emplace(path_of(key), line_no);
            if (!inserted)
              throw std::runtime_error(name + ", line " + std::to_string(line_no) + ": '" +
                                       path_of(key) + "' is set a second time (first on line " +
                                       std::to_string(it->second) +
                                       "); the earlier value would be ignored silently");
          }
      }
    if (entries == 0)
      throw std::runtime_error(name + " sets no parameter (it is empty or holds only comments); "
                                      "to run the built-in defaults give no case file, e.g. "
                                      "bonefusion --set \"Output/Directory=results/default\"");
  }
} // namespace bonefusion::core
