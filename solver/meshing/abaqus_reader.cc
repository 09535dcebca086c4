#include "meshing/abaqus_reader.h"

#include "meshing/mesh_reader_tools.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

namespace bonefusion::meshing
{
  namespace
  {
    using internal::fail;
    using internal::to_upper;
    using internal::trim;

    /** A non-comment line of the deck, with *INCLUDEs expanded. */
    struct DeckLine
    {
      std::string text;
      unsigned int line;
      const std::string *source; // points into Deck::sources
    };

    struct Deck
    {
      std::vector<std::unique_ptr<std::string>> sources; // stable addresses
      std::vector<DeckLine> lines;
      unsigned int main_file_lines = 0;
    };

    bool is_keyword(const std::string &text)
    {
      return text.size() > 1 && text[0] == '*';
    }

    /** A keyword line "*NAME, KEY=value, FLAG" split up. */
    struct Keyword
    {
      std::string name;                         // upper case, single blanks
      std::map<std::string, std::string> param; // upper-case key -> value as written
      bool has(const std::string &key) const { return param.count(key) > 0; }
      std::string get(const std::string &key) const
      {
        const auto it = param.find(key);
        return it == param.end() ? std::string() : it->second;
      }
    };

    Keyword parse_keyword(const std::string &text)
    {
      const auto fields = internal::split(text.substr(1), ',');
      Keyword k;
      for (const auto &word : internal::split_whitespace(to_upper(fields[0])))
        k.name += (k.name.empty() ? "" : " ") + word;
      for (std::size_t i = 1; i < fields.size(); ++i)
        {
          const auto eq = fields[i].find('=');
          const std::string key = to_upper(trim(fields[i].substr(0, eq)));
          if (key.empty())
            continue;
          std::string value = eq == std::string::npos ? "" : trim(fields[i].substr(eq + 1));
          // Abaqus allows names with blanks in double quotes.
          if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
          k.param[key] = value;
        }
      return k;
    }

    /** Reads `file` into deck.lines, expanding *INCLUDE in place. `stack` holds the files being
     *  read (normalised absolute paths) to detect include cycles. */
    void read_deck(const std::string &file, Deck &deck, std::vector<std::string> &stack,
                   const std::string &included_from, const unsigned int included_at)
    {
      std::error_code status_error;
      if (std::filesystem::exists(file, status_error) &&
          !std::filesystem::is_regular_file(file, status_error))
        {
          const std::string what = std::filesystem::is_directory(file, status_error) ?
                                     "is a directory" :
                                     "is not a regular file";
          if (included_from.empty())
            fail(file, 0, "the mesh file " + what);
          fail(included_from, included_at, "the *INCLUDE file '" + file + "' " + what);
        }
      std::ifstream in(file);
      if (!in)
        {
          if (included_from.empty())
            fail(file, 0, "cannot open the mesh file (does it exist and is it readable?)");
          fail(included_from, included_at, "cannot open the *INCLUDE file '" + file + "'");
        }
      std::error_code error;
      const std::string identity =
        std::filesystem::weakly_canonical(std::filesystem::absolute(file), error).string();
      if (std::find(stack.begin(), stack.end(), identity) != stack.end())
        {
          std::string chain;
          for (const auto &f : stack)
            chain += std::filesystem::path(f).filename().string() + " -> ";
          fail(included_from, included_at,
               "*INCLUDE of '" + file + "' forms a cycle: " + chain +
                 std::filesystem::path(file).filename().string());
        }
      stack.push_back(identity);
      deck.sources.push_back(std::make_unique<std::string>(file));
      const std::string *source = deck.sources.back().get();

      std::string raw;
      unsigned int number = 0;
      while (std::getline(in, raw))
        {
          ++number;
          std::string text = trim(raw);
          if (text.empty() || text.rfind("**", 0) == 0)
            continue;
          const unsigned int first = number;
          if (is_keyword(text))
            while (text.back() == ',' && std::getline(in, raw))
              {
                ++number;
                text += trim(raw);
              }
          if (is_keyword(text) && parse_keyword(text).name == "INCLUDE")
            {
              const auto k = parse_keyword(text);
              const std::string input = k.get("INPUT");
              if (input.empty())
                fail(file, first, "*INCLUDE needs INPUT=<file>");
              std::filesystem::path path(input);
              if (path.is_relative())
                path = std::filesystem::path(file).parent_path() / path;
              read_deck(path.lexically_normal().string(), deck, stack, file, first);
              continue;
            }
          deck.lines.push_back({text, first, source});
        }
      if (included_from.empty())
        deck.main_file_lines = number;
      stack.pop_back();
    }

    /** An element type this reader accepts. */
    struct ElementType
    {
      const char *name;
      CellShape shape;
      unsigned int order;
      unsigned int nodes;
      bool reinterpreted; // integration scheme differs from bonefusion's (R, I variants)
    };

    const ElementType element_types[] = {
      {"C3D8", CellShape::hexahedron, 1, 8, false},
      {"C3D8R", CellShape::hexahedron, 1, 8, true},
      {"C3D8I", CellShape::hexahedron, 1, 8, true},
      {"C3D20", CellShape::hexahedron, 2, 20, false},
      {"C3D20R", CellShape::hexahedron, 2, 20, true},
      {"C3D4", CellShape::tetrahedron, 1, 4, false},
      {"C3D10", CellShape::tetrahedron, 2, 10, false},
    };
    const char *supported_types = "C3D8, C3D8R, C3D8I, C3D20, C3D20R, C3D4, C3D10";

    // deal.II vertex i is Abaqus corner node hex_corner[i] (0-based); the map is its own
    // inverse.
    const unsigned int hex_corner[8] = {0, 1, 3, 2, 4, 5, 7, 6};
    // C3D20 nodes 9..20 sit on these edges (0-based corner numbers).
    const unsigned int hex_edges[12][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6},
                                           {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
    // C3D10 nodes 5..10.
    const unsigned int tet_edges[6][2] = {{0, 1}, {1, 2}, {2, 0}, {0, 3}, {1, 3}, {2, 3}};
    // Abaqus/CalculiX face numbers S1.. as corner nodes (0-based), perimeter order.
    const unsigned int hex_faces[6][4] = {{0, 1, 2, 3}, {4, 7, 6, 5}, {0, 4, 5, 1},
                                          {1, 5, 6, 2}, {2, 6, 7, 3}, {3, 7, 4, 0}};
    const unsigned int tet_faces[4][3] = {{0, 1, 2}, {0, 3, 1}, {1, 3, 2}, {2, 3, 0}};

    /** A member of a set: an element or node number and where it was named. */
    struct Member
    {
      long long label;
      unsigned int line;
      const std::string *source;
    };

    /** A named set of elements or nodes, in the spelling of its first definition. */
    struct NamedSet
    {
      std::string name;
      std::vector<Member> members;
    };

    /** One line of a *SURFACE, TYPE=ELEMENT: elements and the face number on them. */
    struct SurfaceEntry
    {
      std::string surface;
      std::vector<Member> elements;
      unsigned int face; // 1-based Abaqus number
      unsigned int line;
      const std::string *source;
    };

    class AbaqusReader
    {
    public:
      explicit AbaqusReader(const std::string &file)
      {
        mesh.file = file;
        std::vector<std::string> stack;
        read_deck(file, deck, stack, "", 0);
      }

      ExternalMesh read()
      {
        std::size_t i = 0;
        while (i < deck.lines.size())
          {
            const DeckLine &line = deck.lines[i];
            if (!is_keyword(line.text))
              fail(*line.source, line.line, "data line before the first keyword");
            const Keyword k = parse_keyword(line.text);
            std::size_t end = i + 1;
            while (end < deck.lines.size() && !is_keyword(deck.lines[end].text))
              ++end;
            if (k.name == "NODE")
              read_nodes(k, i, end);
            else if (k.name == "ELEMENT")
              read_elements(k, i, end);
            else if (k.name == "ELSET" || k.name == "NSET")
              read_set(k, i, end);
            else if (k.name == "SURFACE")
              read_surface(k, i, end);
            else
              skip(k, i, end);
            i = end;
          }
        return finish();
      }

    private:
      ExternalMesh mesh;
      Deck deck;
      internal::NodeTable nodes;
      std::unordered_map<long long, Member> node_defined_at;
      std::vector<internal::RawCell> cells;
      std::unordered_map<long long, unsigned int> cell_of_label;
      std::map<std::string, NamedSet> elsets, nsets; // keyed by upper-case name
      std::vector<SurfaceEntry> element_surfaces;
      const ElementType *first_type = nullptr;
      std::string first_type_where;
      unsigned int parts = 0;

      std::string where(const DeckLine &l) const
      {
        return *l.source == mesh.file ? "line " + std::to_string(l.line) :
                                        *l.source + " line " + std::to_string(l.line);
      }

      [[noreturn]] void error(const DeckLine &l, const std::string &what) const
      {
        fail(*l.source, l.line, what);
      }

      long long integer(const DeckLine &l, const std::string &field, const std::string &what)
      {
        long long value;
        if (!internal::parse_integer(field, value))
          error(l, what + " '" + trim(field) + "' is not an integer");
        return value;
      }

      /** Fields of a data line, without the empty field after a trailing comma. */
      std::vector<std::string> fields(const DeckLine &l)
      {
        auto f = internal::split(l.text, ',');
        if (f.size() > 1 && trim(f.back()).empty())
          f.pop_back();
        return f;
      }

      NamedSet &set_named(std::map<std::string, NamedSet> &sets, const std::string &name)
      {
        NamedSet &s = sets[to_upper(name)];
        if (s.name.empty())
          s.name = name;
        return s;
      }

      void skip(const Keyword &k, const std::size_t begin, const std::size_t end)
      {
        const DeckLine &l = deck.lines[begin];
        if (k.name == "PART" && ++parts > 1)
          error(l, "more than one *PART: assemblies of several parts are not supported; export "
                   "a flat input file (nodes and elements without *PART/*INSTANCE)");
        if (k.name == "INSTANCE" && end > begin + 1)
          error(deck.lines[begin + 1],
                "*INSTANCE with a translation or rotation is not supported; export a flat input "
                "file (nodes and elements without *PART/*INSTANCE)");
        mesh.ignored_keywords.push_back("*" + k.name + " (" + where(l) + ")");
      }

      void read_nodes(const Keyword &k, const std::size_t begin, const std::size_t end)
      {
        const DeckLine &head = deck.lines[begin];
        if (k.has("INPUT"))
          error(head, "*NODE with INPUT= is not supported; use *INCLUDE");
        if (k.has("SYSTEM") && to_upper(k.get("SYSTEM")) != "R")
          error(head, "*NODE, SYSTEM=" + k.get("SYSTEM") +
                        " is not supported: give rectangular coordinates (SYSTEM=R)");
        NamedSet *nset = k.has("NSET") ? &set_named(nsets, k.get("NSET")) : nullptr;
        for (std::size_t i = begin + 1; i < end; ++i)
          {
            const DeckLine &l = deck.lines[i];
            const auto f = fields(l);
            // Solid elements need all three coordinates: a missing one is not silently 0.
            if (f.size() != 4)
              error(l, "a *NODE line needs a node number and three coordinates (x, y, z), "
                       "this one has " +
                         std::to_string(f.size()) + " fields");
            const long long label = integer(l, f[0], "node number");
            std::array<double, 3> x = {{0, 0, 0}};
            for (std::size_t d = 1; d < f.size(); ++d)
              if (!internal::parse_real(f[d], x[d - 1]))
                error(l, "coordinate '" + trim(f[d]) + "' of node " + std::to_string(label) +
                           " is not a number");
            const auto [it, inserted] =
              node_defined_at.emplace(label, Member{label, l.line, l.source});
            // Repeating a node with the same coordinates is harmless (some writers do it for
            // nodes shared by parts); moving it silently would not be.
            if (!inserted && nodes.at(label) != x)
              error(l, "node " + std::to_string(label) +
                         " is defined twice with different coordinates (first at " +
                         internal::location(*it->second.source, it->second.line) + ")");
            nodes.emplace(label, x);
            if (nset)
              nset->members.push_back({label, l.line, l.source});
          }
      }

      void read_elements(const Keyword &k, const std::size_t begin, const std::size_t end)
      {
        const DeckLine &head = deck.lines[begin];
        if (k.has("INPUT"))
          error(head, "*ELEMENT with INPUT= is not supported; use *INCLUDE");
        const std::string type_name = to_upper(k.get("TYPE"));
        if (type_name.empty())
          error(head,
                "*ELEMENT needs TYPE=<element type>; supported: " + std::string(supported_types));
        const ElementType *type = nullptr;
        for (const auto &t : element_types)
          if (type_name == t.name)
            type = &t;
        if (!type)
          error(head, "element type " + type_name +
                        " is not supported; supported volume elements: " + supported_types);

        const std::string elset = k.get("ELSET");
        const std::string here = "TYPE=" + type_name +
                                 (elset.empty() ? " without ELSET" : ", ELSET=" + elset) + " (" +
                                 internal::location(*head.source, head.line) + ")";
        if (!first_type)
          {
            first_type = type;
            first_type_where = here;
            mesh.shape = type->shape;
            mesh.order = type->order;
          }
        else if (type->shape != first_type->shape)
          error(head, "cannot mix hexahedra and tetrahedra in one mesh: *ELEMENT " + here +
                        " has " +
                        (type->shape == CellShape::hexahedron ? "hexahedra" : "tetrahedra") +
                        " but *ELEMENT " + first_type_where + " has " +
                        (first_type->shape == CellShape::hexahedron ? "hexahedra" : "tetrahedra"));
        else if (type->order != first_type->order)
          error(head, "cannot mix linear and quadratic elements in one mesh: *ELEMENT " + here +
                        " and *ELEMENT " + first_type_where);
        if (type->reinterpreted)
          {
            const std::string note = "TYPE=" + type_name + " (" + where(head) +
                                     "): read as plain " + std::to_string(type->nodes) +
                                     "-node hexahedra; integration follows bonefusion's element";
            if (std::none_of(
                  mesh.ignored_keywords.begin(), mesh.ignored_keywords.end(),
                  [&](const std::string &s) { return s.rfind("TYPE=" + type_name + " ", 0) == 0; }))
              mesh.ignored_keywords.push_back(note);
          }
        NamedSet *set = elset.empty() ? nullptr : &set_named(elsets, elset);

        for (std::size_t i = begin + 1; i < end; ++i)
          {
            const DeckLine &first = deck.lines[i];
            // Element number plus nodes; a line ending with a comma continues on the next one
            // while fields are still missing.
            const std::size_t needed = type->nodes + 1;
            std::vector<std::string> f;
            while (true)
              {
                const DeckLine &l = deck.lines[i];
                const bool continues = l.text.back() == ',';
                for (const auto &field : fields(l))
                  {
                    if (trim(field).empty())
                      error(l, "empty field in the definition of an element");
                    f.push_back(field);
                  }
                if (f.size() >= needed || !continues || i + 1 >= end)
                  break;
                ++i;
              }
            const long long label = integer(first, f[0], "element number");
            if (f.size() != needed)
              error(first, "element " + std::to_string(label) + " has " +
                             std::to_string(f.size() - 1) + " nodes, but TYPE=" + type_name +
                             " needs " + std::to_string(type->nodes));
            std::vector<long long> n;
            for (std::size_t j = 1; j < f.size(); ++j)
              n.push_back(integer(first, f[j], "node number"));

            internal::RawCell cell;
            cell.label = label;
            cell.line = first.line;
            cell.source = *first.source;
            if (type->shape == CellShape::hexahedron)
              {
                for (const auto c : hex_corner)
                  cell.corners.push_back(n[c]);
                if (type->order == 2)
                  for (unsigned int e = 0; e < 12; ++e)
                    cell.higher_order_nodes.push_back(
                      {n[8 + e], {n[hex_edges[e][0]], n[hex_edges[e][1]]}});
              }
            else
              {
                cell.corners.assign(n.begin(), n.begin() + 4);
                if (type->order == 2)
                  for (unsigned int e = 0; e < 6; ++e)
                    cell.higher_order_nodes.push_back(
                      {n[4 + e], {n[tet_edges[e][0]], n[tet_edges[e][1]]}});
              }

            const auto [it, inserted] =
              cell_of_label.emplace(label, static_cast<unsigned int>(cells.size()));
            if (!inserted)
              error(first, "element " + std::to_string(label) + " is defined twice (first at " +
                             internal::location(cells[it->second].source, cells[it->second].line) +
                             ")");
            cells.push_back(std::move(cell));
            if (set)
              set->members.push_back({label, first.line, first.source});
          }
      }

      /** Members of a set line: numbers, or names of sets of the same kind defined before. */
      void add_members(std::vector<Member> &to, const DeckLine &l, const std::string &field,
                       const std::map<std::string, NamedSet> &sets, const char *kind)
      {
        const std::string name = trim(field);
        if (name.empty())
          return;
        long long label;
        if (internal::parse_integer(name, label))
          {
            to.push_back({label, l.line, l.source});
            return;
          }
        const auto it = sets.find(to_upper(name));
        if (it == sets.end())
          error(l, std::string(kind) + " '" + name +
                     "' is not defined (sets must be defined "
                     "before they are used)");
        // Copy first: `to` may be the very set being referenced.
        const std::vector<Member> members = it->second.members;
        to.insert(to.end(), members.begin(), members.end());
      }

      void read_set(const Keyword &k, const std::size_t begin, const std::size_t end)
      {
        const DeckLine &head = deck.lines[begin];
        const bool elements = k.name == "ELSET";
        const std::string name = k.get(k.name);
        if (name.empty())
          error(head, "*" + k.name + " needs " + k.name + "=<name>");
        auto &sets = elements ? elsets : nsets;
        NamedSet &set = set_named(sets, name);
        for (std::size_t i = begin + 1; i < end; ++i)
          {
            const DeckLine &l = deck.lines[i];
            const auto f = fields(l);
            if (k.has("GENERATE"))
              {
                if (f.size() < 2 || f.size() > 3)
                  error(l, "a GENERATE line needs first, last[, increment]");
                const long long a = integer(l, f[0], "first number");
                const long long b = integer(l, f[1], "last number");
                const long long step = f.size() == 3 ? integer(l, f[2], "increment") : 1;
                if (step <= 0 || b < a)
                  error(l, "GENERATE needs first <= last and a positive increment");
                for (long long m = a; m <= b; m += step)
                  set.members.push_back({m, l.line, l.source});
              }
            else
              for (const auto &field : f)
                add_members(set.members, l, field, sets, elements ? "element set" : "node set");
          }
      }

      void read_surface(const Keyword &k, const std::size_t begin, const std::size_t end)
      {
        const DeckLine &head = deck.lines[begin];
        const std::string name = k.get("NAME");
        if (name.empty())
          error(head, "*SURFACE needs NAME=<name>");
        const std::string type = k.has("TYPE") ? to_upper(k.get("TYPE")) : "ELEMENT";
        if (type == "NODE")
          {
            const auto existing = nsets.find(to_upper(name));
            if (existing != nsets.end() && !existing->second.members.empty())
              error(head, "*SURFACE, TYPE=NODE '" + name +
                            "' has the name of a node set; both would be stored as vertex set '" +
                            existing->second.name + "'");
            NamedSet &set = set_named(nsets, name);
            for (std::size_t i = begin + 1; i < end; ++i)
              {
                const DeckLine &l = deck.lines[i];
                const auto f = fields(l);
                if (f.empty() || f.size() > 2)
                  error(l, "a *SURFACE, TYPE=NODE line needs a node set or node number and an "
                           "optional weight");
                add_members(set.members, l, f[0], nsets, "node set");
              }
            return;
          }
        if (type != "ELEMENT")
          error(head, "*SURFACE, TYPE=" + type + " is not supported (ELEMENT or NODE)");
        // An element surface is listed under face_sets even if it has no lines.
        surface_names.emplace(to_upper(name), name);
        for (std::size_t i = begin + 1; i < end; ++i)
          {
            const DeckLine &l = deck.lines[i];
            const auto f = fields(l);
            if (f.size() != 2)
              error(l, "a *SURFACE line needs an element set or element number and a face "
                       "identifier S1..S6 (surfaces without face identifiers are not supported)");
            SurfaceEntry entry;
            entry.surface = to_upper(name);
            entry.line = l.line;
            entry.source = l.source;
            const std::string face = to_upper(trim(f[1]));
            long long number = 0;
            if (face.size() < 2 || face[0] != 'S' ||
                !internal::parse_integer(face.substr(1), number) || number < 1 || number > 6)
              error(l, "face identifier '" + trim(f[1]) + "' is not one of S1..S6");
            entry.face = static_cast<unsigned int>(number);
            add_members(entry.elements, l, f[0], elsets, "element set");
            element_surfaces.push_back(std::move(entry));
          }
      }

      std::map<std::string, std::string> surface_names; // upper case -> as first written

      ExternalMesh finish()
      {
        if (cells.empty())
          fail(mesh.file, deck.main_file_lines,
               "end of file reached without volume elements (*ELEMENT, TYPE=" +
                 std::string(supported_types) + ")");
        const auto vertex_of_node = internal::assemble_cells(mesh, nodes, cells);

        for (const auto &[key, set] : elsets)
          {
            auto &to = mesh.cell_sets[set.name];
            for (const auto &m : set.members)
              {
                const auto it = cell_of_label.find(m.label);
                if (it == cell_of_label.end())
                  fail(*m.source, m.line,
                       "element " + std::to_string(m.label) + " in element set '" + set.name +
                         "' is not defined");
                to.push_back(it->second);
              }
          }
        for (const auto &[key, set] : nsets)
          {
            auto &to = mesh.vertex_sets[set.name];
            for (const auto &m : set.members)
              {
                if (nodes.count(m.label) == 0)
                  fail(*m.source, m.line,
                       "node " + std::to_string(m.label) + " in node set '" + set.name +
                         "' is not defined");
                // Nodes that are no cell corners (midside nodes, reference nodes) are dropped.
                const auto it = vertex_of_node.find(m.label);
                if (it != vertex_of_node.end())
                  to.push_back(it->second);
              }
          }
        for (const auto &[key, name] : surface_names)
          mesh.face_sets[name];
        const unsigned int n_faces = faces_per_cell(mesh.shape);
        for (const auto &entry : element_surfaces)
          {
            if (entry.face > n_faces)
              fail(*entry.source, entry.line,
                   "face S" + std::to_string(entry.face) + " does not exist for " +
                     (mesh.shape == CellShape::hexahedron ? "hexahedra" : "tetrahedra") +
                     " (faces S1..S" + std::to_string(n_faces) + ")");
            auto &to = mesh.face_sets[surface_names.at(entry.surface)];
            for (const auto &m : entry.elements)
              {
                const auto it = cell_of_label.find(m.label);
                if (it == cell_of_label.end())
                  fail(*m.source, m.line,
                       "element " + std::to_string(m.label) + " in surface '" +
                         surface_names.at(entry.surface) + "' is not defined");
                const auto &cell = mesh.cells[it->second];
                std::vector<unsigned int> face;
                if (mesh.shape == CellShape::hexahedron)
                  for (const auto c : hex_faces[entry.face - 1])
                    face.push_back(cell.vertices[hex_corner[c]]);
                else
                  for (const auto c : tet_faces[entry.face - 1])
                    face.push_back(cell.vertices[c]);
                to.push_back(std::move(face));
              }
          }
        check_and_finish(mesh);
        return std::move(mesh);
      }
    };
  } // namespace

  ExternalMesh read_abaqus_inp(const std::string &file)
  {
    AbaqusReader reader(file);
    return reader.read();
  }
} // namespace bonefusion::meshing
