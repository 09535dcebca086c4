#include "meshing/mesh_reader_tools.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace bonefusion::meshing::internal
{
  std::string location(const std::string &file, const unsigned int line)
  {
    return line == 0 ? file : file + ":" + std::to_string(line);
  }

  void fail(const std::string &file, const unsigned int line, const std::string &what)
  {
    throw std::runtime_error(location(file, line) + ": " + what);
  }

  std::string trim(const std::string &s)
  {
    const char *space = " \t\r\n\f\v";
    const auto first = s.find_first_not_of(space);
    if (first == std::string::npos)
      return {};
    return s.substr(first, s.find_last_not_of(space) - first + 1);
  }

  std::string to_upper(std::string s)
  {
    for (auto &c : s)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }

  std::vector<std::string> split(const std::string &s, const char separator)
  {
    std::vector<std::string> fields;
    std::string::size_type begin = 0;
    while (true)
      {
        const auto end = s.find(separator, begin);
        fields.push_back(s.substr(begin, end == std::string::npos ? end : end - begin));
        if (end == std::string::npos)
          return fields;
        begin = end + 1;
      }
  }

  std::vector<std::string> split_whitespace(const std::string &s)
  {
    std::vector<std::string> fields;
    std::string::size_type i = 0;
    while (i < s.size())
      {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
          ++i;
        const auto begin = i;
        while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])))
          ++i;
        if (i > begin)
          fields.push_back(s.substr(begin, i - begin));
      }
    return fields;
  }

  bool parse_integer(const std::string &field, long long &value)
  {
    const std::string t = trim(field);
    if (t.empty())
      return false;
    char *end = nullptr;
    errno = 0;
    value = std::strtoll(t.c_str(), &end, 10);
    return errno == 0 && end == t.c_str() + t.size();
  }

  bool parse_real(const std::string &field, double &value)
  {
    std::string t = trim(field);
    if (t.empty())
      return false;
    for (auto &c : t)
      if (c == 'd' || c == 'D')
        c = 'e';
    char *end = nullptr;
    errno = 0;
    value = std::strtod(t.c_str(), &end);
    // strtod also accepts "nan" and "inf"; a mesh coordinate must be finite.
    return errno == 0 && end == t.c_str() + t.size() && std::isfinite(value);
  }

  std::unordered_map<long long, unsigned int>
  assemble_cells(ExternalMesh &mesh, const NodeTable &nodes, const std::vector<RawCell> &cells)
  {
    auto coordinates = [&](const RawCell &cell, const long long node) {
      const auto it = nodes.find(node);
      if (it == nodes.end())
        fail(cell.source, cell.line,
             "element " + std::to_string(cell.label) + " refers to node " + std::to_string(node) +
               ", which is not defined");
      return it->second;
    };

    // Corner nodes in ascending number: the vertex numbering then does not depend on the order
    // of the elements in the file.
    std::vector<long long> corner_nodes;
    for (const auto &cell : cells)
      for (const auto node : cell.corners)
        {
          coordinates(cell, node);
          corner_nodes.push_back(node);
        }
    std::sort(corner_nodes.begin(), corner_nodes.end());
    corner_nodes.erase(std::unique(corner_nodes.begin(), corner_nodes.end()), corner_nodes.end());

    std::unordered_map<long long, unsigned int> vertex_of_node;
    vertex_of_node.reserve(corner_nodes.size());
    mesh.vertices.clear();
    mesh.vertex_labels = corner_nodes;
    for (const auto node : corner_nodes)
      {
        vertex_of_node.emplace(node, static_cast<unsigned int>(mesh.vertices.size()));
        mesh.vertices.push_back(nodes.at(node));
      }

    mesh.cells.clear();
    mesh.cells.reserve(cells.size());
    mesh.max_midside_offset = 0;
    for (const auto &raw : cells)
      {
        ExternalMesh::Cell cell;
        cell.label = raw.label;
        cell.line = raw.line;
        cell.source = raw.source;
        for (const auto node : raw.corners)
          cell.vertices.push_back(vertex_of_node.at(node));
        mesh.cells.push_back(std::move(cell));

        for (const auto &h : raw.higher_order_nodes)
          {
            const auto x = coordinates(raw, h.node);
            std::array<double, 3> mean = {{0, 0, 0}};
            std::vector<std::array<double, 3>> parents;
            for (const auto p : h.parents)
              parents.push_back(coordinates(raw, p));
            for (const auto &p : parents)
              for (unsigned int d = 0; d < 3; ++d)
                mean[d] += p[d] / parents.size();
            // Scale: the longest distance between parents (edge length, face or cell diagonal).
            double scale = 0;
            for (std::size_t i = 0; i < parents.size(); ++i)
              for (std::size_t j = i + 1; j < parents.size(); ++j)
                scale = std::max(scale, std::hypot(parents[i][0] - parents[j][0],
                                                   parents[i][1] - parents[j][1],
                                                   parents[i][2] - parents[j][2]));
            const double offset = std::hypot(x[0] - mean[0], x[1] - mean[1], x[2] - mean[2]);
            if (scale > 0)
              mesh.max_midside_offset = std::max(mesh.max_midside_offset, offset / scale);
            // A zero-length edge is a degenerate cell; check_and_finish reports it.
          }
      }
    return vertex_of_node;
  }

  std::vector<unsigned int> face_key(std::vector<unsigned int> face)
  {
    std::sort(face.begin(), face.end());
    return face;
  }
} // namespace bonefusion::meshing::internal
