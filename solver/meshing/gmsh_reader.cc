#include "meshing/gmsh_reader.h"

#include "meshing/mesh_reader_tools.h"

#include <algorithm>
#include <climits>
#include <fstream>
#include <map>
#include <set>

namespace bonefusion::meshing
{
  namespace
  {
    using internal::fail;

    /** What a Gmsh element type is, as far as this reader cares. */
    struct GmshType
    {
      int number;
      unsigned int dim;
      unsigned int nodes;
      const char *name;
    };

    // Types read as cells or faces, and the other common ones so that an unsupported one can be
    // named and its dimension known in format 2.2.
    const GmshType gmsh_types[] = {
      {15, 0, 1, "1-node point"},         {1, 1, 2, "2-node line"},
      {8, 1, 3, "3-node line"},           {26, 1, 4, "4-node line"},
      {27, 1, 5, "5-node line"},          {28, 1, 6, "6-node line"},
      {2, 2, 3, "3-node triangle"},       {9, 2, 6, "6-node triangle"},
      {3, 2, 4, "4-node quadrangle"},     {16, 2, 8, "8-node quadrangle"},
      {10, 2, 9, "9-node quadrangle"},    {20, 2, 9, "9-node triangle"},
      {21, 2, 10, "10-node triangle"},    {4, 3, 4, "4-node tetrahedron"},
      {11, 3, 10, "10-node tetrahedron"}, {5, 3, 8, "8-node hexahedron"},
      {17, 3, 20, "20-node hexahedron"},  {12, 3, 27, "27-node hexahedron"},
      {6, 3, 6, "6-node prism"},          {13, 3, 18, "18-node prism"},
      {18, 3, 15, "15-node prism"},       {7, 3, 5, "5-node pyramid"},
      {14, 3, 14, "14-node pyramid"},     {19, 3, 13, "13-node pyramid"},
      {29, 3, 20, "20-node tetrahedron"}, {92, 3, 64, "64-node hexahedron"},
    };
    const char *supported_volumes = "4 (tet4), 11 (tet10), 5 (hex8), 17 (hex20), 12 (hex27)";
    const char *supported_faces = "2 (tri3), 9 (tri6), 3 (quad4), 16 (quad8), 10 (quad9)";

    const GmshType *find_type(const int number)
    {
      for (const auto &t : gmsh_types)
        if (t.number == number)
          return &t;
      return nullptr;
    }

    bool is_volume_type(const int t)
    {
      return t == 4 || t == 11 || t == 5 || t == 17 || t == 12;
    }
    bool is_face_type(const int t)
    {
      return t == 2 || t == 9 || t == 3 || t == 16 || t == 10;
    }
    CellShape shape_of(const int t)
    {
      return (t == 4 || t == 11) ? CellShape::tetrahedron : CellShape::hexahedron;
    }
    unsigned int order_of(const int t)
    {
      return (t == 4 || t == 5) ? 1 : 2;
    }
    /** Corner count of a supported volume or face type. */
    unsigned int corners_of(const int t)
    {
      switch (t)
        {
        case 2:
        case 9: return 3; // triangles
        case 5:
        case 17:
        case 12: return 8; // hexahedra
        default: return 4; // tetrahedra, quadrangles
        }
    }

    // Gmsh hexahedron corners: 0-3 bottom counter-clockwise, 4-7 top, as Abaqus. deal.II vertex
    // i is Gmsh node hex_corner[i].
    const unsigned int hex_corner[8] = {0, 1, 3, 2, 4, 5, 7, 6};
    // Second-order nodes in Gmsh order: hexahedron nodes 8..19 on these edges, 20..25 on these
    // faces, 26 at the centre; tetrahedron nodes 4..9 on these edges.
    const unsigned int hex_edges[12][2] = {{0, 1}, {0, 3}, {0, 4}, {1, 2}, {1, 5}, {2, 3},
                                           {2, 6}, {3, 7}, {4, 5}, {4, 7}, {5, 6}, {6, 7}};
    const unsigned int hex_faces[6][4] = {{0, 3, 2, 1}, {0, 1, 5, 4}, {0, 4, 7, 3},
                                          {1, 2, 6, 5}, {2, 3, 7, 6}, {4, 5, 6, 7}};
    const unsigned int tet_edges[6][2] = {{0, 1}, {1, 2}, {2, 0}, {3, 0}, {3, 2}, {3, 1}};

    /** A face of a physical surface as read: corner node numbers and where. */
    struct RawFace
    {
      std::vector<long long> corners;
      long long label;
      unsigned int line;
    };

    class GmshReader
    {
    public:
      explicit GmshReader(const std::string &file)
        : in(file)
      {
        mesh.file = file;
        if (!in)
          fail(file, 0, "cannot open the mesh file (does it exist and is it readable?)");
      }

      ExternalMesh read()
      {
        std::string text;
        while (next_line(text))
          {
            if (text.empty())
              continue;
            if (text[0] != '$')
              error("expected a section such as $Nodes, found '" + text.substr(0, 40) + "'");
            const std::string section = text.substr(1);
            if (section == "MeshFormat")
              read_format();
            else if (!have_format)
              error("not a Gmsh mesh: the file must start with $MeshFormat");
            else if (section == "PhysicalNames")
              read_physical_names();
            else if (section == "Entities")
              read_entities();
            else if (section == "Nodes")
              read_nodes();
            else if (section == "Elements")
              read_elements();
            else if (section == "PartitionedEntities")
              error("partitioned Gmsh files are not supported; save the mesh unpartitioned");
            else
              {
                mesh.ignored_keywords.push_back("$" + section + " (line " +
                                                std::to_string(line_number) + ")");
                while (true)
                  {
                    if (!next_line(text))
                      error("end of file inside $" + section);
                    if (text == "$End" + section)
                      break;
                  }
              }
          }
        if (!have_format)
          fail(mesh.file, line_number, "not a Gmsh mesh: no $MeshFormat section");
        return finish();
      }

    private:
      std::ifstream in;
      ExternalMesh mesh;
      unsigned int line_number = 0;
      bool have_format = false;
      int version = 0;                                                  // 22, 40 or 41
      std::map<std::pair<int, int>, std::string> physical_names;        // (dim, tag) -> name
      std::map<std::pair<int, int>, std::vector<int>> entity_physicals; // (dim, entity)
      internal::NodeTable nodes;
      std::vector<internal::RawCell> cells;
      std::vector<std::vector<int>> cell_physicals;
      std::map<std::vector<long long>, unsigned int> cell_of_nodes; // format 2.2 duplicates
      std::map<int, std::vector<RawFace>> faces_of_physical;
      int first_volume_type = 0;
      long long first_volume_label = 0;
      unsigned int first_volume_line = 0;
      std::vector<int> first_volume_physicals;

      [[noreturn]] void error(const std::string &what) const { fail(mesh.file, line_number, what); }

      bool next_line(std::string &text)
      {
        if (!std::getline(in, text))
          return false;
        ++line_number;
        text = internal::trim(text);
        return true;
      }

      /** Fields of the next non-empty line; an error at the end of the file or at a section end
       *  (the counts in a section header promised more). */
      std::vector<std::string> next_fields(const char *section)
      {
        std::string text;
        while (next_line(text))
          if (!text.empty())
            {
              if (text[0] == '$')
                error("$" + std::string(section) + " ends early: more entries were announced");
              return internal::split_whitespace(text);
            }
        error("end of file inside $" + std::string(section));
      }

      void expect_end(const std::string &section)
      {
        std::string text;
        while (next_line(text))
          if (!text.empty())
            {
              if (text != "$End" + section)
                error("expected $End" + section + ", found '" + text.substr(0, 40) +
                      "' (more entries than announced?)");
              return;
            }
        error("end of file inside $" + section);
      }

      long long integer(const std::string &field, const char *what) const
      {
        long long value;
        if (!internal::parse_integer(field, value))
          error(std::string(what) + " '" + field + "' is not an integer");
        return value;
      }

      double real(const std::string &field, const char *what) const
      {
        double value;
        if (!internal::parse_real(field, value))
          error(std::string(what) + " '" + field + "' is not a number");
        return value;
      }

      void need(const std::vector<std::string> &f, const std::size_t n, const char *what) const
      {
        if (f.size() < n)
          error(std::string(what) + ": expected at least " + std::to_string(n) + " fields, found " +
                std::to_string(f.size()));
      }

      void read_format()
      {
        const auto f = next_fields("MeshFormat");
        need(f, 3, "$MeshFormat");
        if (f[0] == "4.1")
          version = 41;
        else if (f[0] == "4" || f[0] == "4.0")
          version = 40;
        else if (f[0] == "2.2")
          version = 22;
        else
          error("Gmsh format version " + f[0] + " is not supported (4.1, 4.0 and 2.2 are)");
        if (f[1] != "0")
          error("binary Gmsh file: save as ASCII (Mesh.Binary = 0, or gmsh -format msh41 "
                "without -bin)");
        have_format = true;
        expect_end("MeshFormat");
      }

      void read_physical_names()
      {
        const long long n = integer(next_fields("PhysicalNames").at(0), "number of names");
        for (long long i = 0; i < n; ++i)
          {
            const auto f = next_fields("PhysicalNames");
            need(f, 3, "physical name");
            const int dim = static_cast<int>(integer(f[0], "dimension"));
            const int tag = static_cast<int>(integer(f[1], "physical tag"));
            std::string name = f[2];
            for (std::size_t j = 3; j < f.size(); ++j)
              name += " " + f[j];
            if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
              name = name.substr(1, name.size() - 2);
            physical_names[{dim, tag}] = name;
          }
        expect_end("PhysicalNames");
      }

      void read_entities()
      {
        const auto counts = next_fields("Entities");
        need(counts, 4, "$Entities counts");
        for (int dim = 0; dim < 4; ++dim)
          {
            const long long n = integer(counts[dim], "number of entities");
            for (long long i = 0; i < n; ++i)
              {
                const auto f = next_fields("Entities");
                // tag, then a point (4.1 points) or a bounding box (everything else).
                const std::size_t first_count = (version == 41 && dim == 0) ? 4 : 7;
                need(f, first_count + 1, "entity");
                const int tag = static_cast<int>(integer(f[0], "entity tag"));
                const long long n_physical = integer(f[first_count], "number of physical tags");
                need(f, first_count + 1 + n_physical, "entity");
                auto &physicals = entity_physicals[{dim, tag}];
                for (long long j = 0; j < n_physical; ++j)
                  physicals.push_back(
                    static_cast<int>(integer(f[first_count + 1 + j], "physical tag")));
              }
          }
        expect_end("Entities");
      }

      void add_node(const long long tag, const std::vector<std::string> &xyz, const std::size_t at)
      {
        const std::array<double, 3> x = {{real(xyz[at], "coordinate"),
                                          real(xyz[at + 1], "coordinate"),
                                          real(xyz[at + 2], "coordinate")}};
        const auto [it, inserted] = nodes.emplace(tag, x);
        if (!inserted && it->second != x)
          error("node " + std::to_string(tag) + " is defined twice with different coordinates");
      }

      void read_nodes()
      {
        const auto header = next_fields("Nodes");
        if (version == 22)
          {
            const long long n = integer(header.at(0), "number of nodes");
            for (long long i = 0; i < n; ++i)
              {
                const auto f = next_fields("Nodes");
                need(f, 4, "node");
                add_node(integer(f[0], "node tag"), f, 1);
              }
            expect_end("Nodes");
            return;
          }
        need(header, 2, "$Nodes header");
        const long long blocks = integer(header[0], "number of node blocks");
        const long long announced = integer(header[1], "number of nodes");
        long long read = 0;
        for (long long b = 0; b < blocks; ++b)
          {
            const auto block = next_fields("Nodes");
            need(block, 4, "node block header");
            const long long n = integer(block[3], "number of nodes in the block");
            read += n;
            if (version == 40)
              for (long long i = 0; i < n; ++i)
                {
                  const auto f = next_fields("Nodes");
                  need(f, 4, "node");
                  add_node(integer(f[0], "node tag"), f, 1);
                }
            else
              {
                // 4.1: all tags of the block, then all coordinates.
                std::vector<long long> tags;
                while (static_cast<long long>(tags.size()) < n)
                  for (const auto &field : next_fields("Nodes"))
                    tags.push_back(integer(field, "node tag"));
                if (static_cast<long long>(tags.size()) != n)
                  error("more node tags than the block announces");
                for (long long i = 0; i < n; ++i)
                  {
                    const auto f = next_fields("Nodes");
                    need(f, 3, "node coordinates");
                    add_node(tags[i], f, 0);
                  }
              }
          }
        // The header's total must match the blocks: a count that promises more (or fewer)
        // nodes than the file holds is a damaged file, not a smaller mesh.
        if (read != announced)
          error("$Nodes announces " + std::to_string(announced) + " nodes, its blocks hold " +
                std::to_string(read));
        expect_end("Nodes");
      }

      std::string describe_groups(const int dim, const std::vector<int> &physicals) const
      {
        if (physicals.empty())
          return "no physical group";
        std::string s = dim == 3 ? "physical volume " : "physical surface ";
        for (std::size_t i = 0; i < physicals.size(); ++i)
          s += (i ? ", '" : "'") + group_name(dim, physicals[i]) + "'";
        return s;
      }

      std::string group_name(const int dim, const int tag) const
      {
        const auto it = physical_names.find({dim, tag});
        return it != physical_names.end() ? it->second : "physical_" + std::to_string(tag);
      }

      /** One element: type, number, node numbers, physical groups it belongs to. */
      void add_element(const int type, const long long label, const std::vector<long long> &n,
                       const std::vector<int> &physicals, const unsigned int dim)
      {
        const GmshType *t = find_type(type);
        if (dim <= 1)
          return;
        if (dim == 2)
          {
            if (!is_face_type(type))
              error("element type " + std::to_string(type) +
                    (t ? std::string(" (") + t->name + ")" : std::string()) +
                    " is not supported for surfaces; supported: " + supported_faces);
            for (const int p : physicals)
              faces_of_physical[p].push_back(
                {std::vector<long long>(n.begin(), n.begin() + corners_of(type)), label,
                 line_number});
            return;
          }
        if (!is_volume_type(type))
          error("element type " + std::to_string(type) +
                (t ? std::string(" (") + t->name + ")" : std::string()) +
                " is not supported; supported volume elements: " + supported_volumes);
        if (first_volume_type == 0)
          {
            first_volume_type = type;
            first_volume_label = label;
            first_volume_line = line_number;
            first_volume_physicals = physicals;
            mesh.shape = shape_of(type);
            mesh.order = order_of(type);
          }
        else if (shape_of(type) != mesh.shape || order_of(type) != mesh.order)
          {
            const bool shapes = shape_of(type) != mesh.shape;
            error(std::string("cannot mix ") +
                  (shapes ? "hexahedra and tetrahedra" : "linear and second-order elements") +
                  " in one mesh: element " + std::to_string(label) + " (" + find_type(type)->name +
                  ", " + describe_groups(3, physicals) + ") and element " +
                  std::to_string(first_volume_label) + " (line " +
                  std::to_string(first_volume_line) + ", " + find_type(first_volume_type)->name +
                  ", " + describe_groups(3, first_volume_physicals) + ")");
          }

        if (version == 22)
          {
            // Gmsh 2.2 repeats an element once per physical group it belongs to.
            std::vector<long long> key = n;
            std::sort(key.begin(), key.end());
            const auto [it, inserted] =
              cell_of_nodes.emplace(key, static_cast<unsigned int>(cells.size()));
            if (!inserted)
              {
                auto &p = cell_physicals[it->second];
                p.insert(p.end(), physicals.begin(), physicals.end());
                return;
              }
          }

        internal::RawCell cell;
        cell.label = label;
        cell.line = line_number;
        cell.source = mesh.file;
        if (mesh.shape == CellShape::hexahedron)
          {
            for (const auto c : hex_corner)
              cell.corners.push_back(n[c]);
            if (mesh.order == 2)
              for (unsigned int e = 0; e < 12; ++e)
                cell.higher_order_nodes.push_back(
                  {n[8 + e], {n[hex_edges[e][0]], n[hex_edges[e][1]]}});
            if (type == 12)
              {
                for (unsigned int f = 0; f < 6; ++f)
                  {
                    internal::HigherOrderNode h{n[20 + f], {}};
                    for (const auto c : hex_faces[f])
                      h.parents.push_back(n[c]);
                    cell.higher_order_nodes.push_back(h);
                  }
                cell.higher_order_nodes.push_back(
                  {n[26], std::vector<long long>(n.begin(), n.begin() + 8)});
              }
          }
        else
          {
            cell.corners.assign(n.begin(), n.begin() + 4);
            if (mesh.order == 2)
              for (unsigned int e = 0; e < 6; ++e)
                cell.higher_order_nodes.push_back(
                  {n[4 + e], {n[tet_edges[e][0]], n[tet_edges[e][1]]}});
          }
        cells.push_back(std::move(cell));
        cell_physicals.push_back(physicals);
      }

      /** Node numbers of an element line from field `first` on, checked against the type. */
      std::vector<long long> element_nodes(const std::vector<std::string> &f,
                                           const std::size_t first, const int type,
                                           const long long label)
      {
        std::vector<long long> n;
        for (std::size_t i = first; i < f.size(); ++i)
          n.push_back(integer(f[i], "node tag"));
        const GmshType *t = find_type(type);
        if (t && n.size() != t->nodes)
          error("element " + std::to_string(label) + " has " + std::to_string(n.size()) +
                " nodes, type " + std::to_string(type) + " (" + t->name + ") has " +
                std::to_string(t->nodes));
        return n;
      }

      void read_elements()
      {
        const auto header = next_fields("Elements");
        if (version == 22)
          {
            const long long count = integer(header.at(0), "number of elements");
            for (long long i = 0; i < count; ++i)
              {
                const auto f = next_fields("Elements");
                need(f, 3, "element");
                const long long label = integer(f[0], "element tag");
                const int type = static_cast<int>(integer(f[1], "element type"));
                const long long n_tags = integer(f[2], "number of tags");
                need(f, 3 + n_tags, "element");
                const GmshType *t = find_type(type);
                if (!t)
                  error("unknown element type " + std::to_string(type) + "; supported: " +
                        supported_volumes + " for volumes, " + supported_faces + " for surfaces");
                std::vector<int> physicals;
                if (n_tags > 0)
                  {
                    const int p = static_cast<int>(integer(f[3], "physical tag"));
                    if (p != 0)
                      physicals.push_back(p);
                  }
                add_element(type, label, element_nodes(f, 3 + n_tags, type, label), physicals,
                            t->dim);
              }
            expect_end("Elements");
            return;
          }
        need(header, 2, "$Elements header");
        const long long blocks = integer(header[0], "number of element blocks");
        const long long announced = integer(header[1], "number of elements");
        long long read = 0;
        for (long long b = 0; b < blocks; ++b)
          {
            const auto block = next_fields("Elements");
            need(block, 4, "element block header");
            // 4.1: dim, entity; 4.0: entity, dim.
            const int dim = static_cast<int>(integer(block[version == 41 ? 0 : 1], "dimension"));
            const int entity =
              static_cast<int>(integer(block[version == 41 ? 1 : 0], "entity tag"));
            const int type = static_cast<int>(integer(block[2], "element type"));
            const long long count = integer(block[3], "number of elements in the block");
            read += count;
            const auto it = entity_physicals.find({dim, entity});
            const std::vector<int> physicals =
              it == entity_physicals.end() ? std::vector<int>() : it->second;
            for (long long i = 0; i < count; ++i)
              {
                const auto f = next_fields("Elements");
                need(f, 2, "element");
                const long long label = integer(f[0], "element tag");
                if (dim <= 1)
                  continue;
                add_element(type, label, element_nodes(f, 1, type, label), physicals,
                            static_cast<unsigned int>(dim));
              }
          }
        if (read != announced)
          error("$Elements announces " + std::to_string(announced) +
                " elements, its blocks "
                "hold " +
                std::to_string(read));
        expect_end("Elements");
      }

      ExternalMesh finish()
      {
        if (cells.empty())
          fail(mesh.file, line_number,
               "end of file reached without volume elements (Gmsh types " +
                 std::string(supported_volumes) +
                 "); was the mesh generated in 3D (gmsh -3) and are all volumes in physical "
                 "groups?");
        const auto vertex_of_node = internal::assemble_cells(mesh, nodes, cells);
        for (unsigned int c = 0; c < cells.size(); ++c)
          for (const int p : cell_physicals[c])
            mesh.cell_sets[group_name(3, p)].push_back(c);
        // Physical volumes without elements of their own are still listed.
        for (const auto &[key, name] : physical_names)
          if (key.first == 3)
            mesh.cell_sets[name];

        if (!faces_of_physical.empty())
          {
            // Every face of every cell, to check that surfaces lie on the meshed volume.
            std::set<std::vector<unsigned int>> cell_faces;
            for (unsigned int c = 0; c < mesh.cells.size(); ++c)
              for (unsigned int f = 0; f < faces_per_cell(mesh.shape); ++f)
                cell_faces.insert(internal::face_key(cell_face(mesh, c, f)));
            for (const auto &[physical, faces] : faces_of_physical)
              {
                const std::string name = group_name(2, physical);
                auto &to = mesh.face_sets[name];
                for (const auto &raw : faces)
                  {
                    std::vector<unsigned int> face;
                    for (const auto node : raw.corners)
                      {
                        const auto it = vertex_of_node.find(node);
                        if (it == vertex_of_node.end())
                          fail(mesh.file, raw.line,
                               "surface element " + std::to_string(raw.label) +
                                 " of physical surface '" + name + "' uses node " +
                                 std::to_string(node) +
                                 ", which is not a corner of any volume "
                                 "element");
                        face.push_back(it->second);
                      }
                    if (cell_faces.count(internal::face_key(face)) == 0)
                      fail(mesh.file, raw.line,
                           "surface element " + std::to_string(raw.label) +
                             " of physical surface '" + name +
                             "' is not a face of any volume element");
                    to.push_back(std::move(face));
                  }
              }
          }
        for (const auto &[key, name] : physical_names)
          if (key.first == 2)
            mesh.face_sets[name];
        check_and_finish(mesh);
        return std::move(mesh);
      }
    };
  } // namespace

  ExternalMesh read_gmsh_msh(const std::string &file)
  {
    GmshReader reader(file);
    return reader.read();
  }
} // namespace bonefusion::meshing
