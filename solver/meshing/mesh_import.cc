#include "meshing/mesh_import.h"

#include <deal.II/base/exceptions.h>
#include <deal.II/distributed/fully_distributed_tria.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/tria.h>
#include <deal.II/grid/tria_description.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

namespace bonefusion::meshing
{
  namespace
  {
    template <typename T>
    std::string list_names(const std::map<std::string, T> &sets)
    {
      std::string s;
      for (const auto &entry : sets)
        s += (s.empty() ? "" : ", ") + entry.first;
      return s.empty() ? "(none)" : s;
    }

    std::string where(const ExternalMesh &mesh, const ExternalMesh::Cell &cell)
    {
      return "element " + std::to_string(cell.label) + " (" +
             (cell.source.empty() ? mesh.file : cell.source) + ":" + std::to_string(cell.line) +
             ")";
    }

    /** Material id (1-based) of every cell from the listed element sets. */
    std::vector<unsigned int> cell_regions(const ExternalMesh &mesh,
                                           const std::vector<std::string> &region_sets)
    {
      constexpr unsigned int none = 0;
      std::vector<unsigned int> region(mesh.cells.size(), none);
      for (unsigned int k = 0; k < region_sets.size(); ++k)
        {
          const auto *cells = find_set(mesh.cell_sets, region_sets[k]);
          if (cells == nullptr)
            throw std::runtime_error("Mesh model/Region materials: element set '" + region_sets[k] +
                                     "' is not defined in " + mesh.file +
                                     " (element sets: " + list_names(mesh.cell_sets) + ")");
          for (const unsigned int c : *cells)
            {
              if (region[c] != none && region[c] != k + 1)
                throw std::runtime_error(
                  "Mesh model/Region materials: " + where(mesh, mesh.cells[c]) + " is in both '" +
                  region_sets[region[c] - 1] + "' and '" + region_sets[k] +
                  "'; each element needs exactly one material");
              region[c] = k + 1;
            }
        }
      for (unsigned int c = 0; c < mesh.cells.size(); ++c)
        if (region[c] == none)
          {
            std::string listed;
            for (const std::string &s : region_sets)
              listed += (listed.empty() ? "" : ", ") + s;
            throw std::runtime_error("Mesh model/Region materials: " + where(mesh, mesh.cells[c]) +
                                     " belongs to none of the listed sets (" + listed +
                                     "); element sets in the file: " + list_names(mesh.cell_sets));
          }
      return region;
    }

    /** Matches boundary faces of the coarse mesh against the named sets. */
    class BoundaryNamer
    {
    public:
      BoundaryNamer(const ExternalMesh &mesh, const std::vector<std::string> &boundary_sets)
        : mesh(mesh)
        , names(boundary_sets)
        , in_vertex_set(boundary_sets.size())
        , faces_found(boundary_sets.size(), 0)
        , faces_listed(boundary_sets.size(), 0)
      {
        for (unsigned int k = 0; k < names.size(); ++k)
          {
            if (const auto *faces = find_set(mesh.face_sets, names[k]))
              {
                for (std::vector<unsigned int> f : *faces)
                  {
                    std::sort(f.begin(), f.end());
                    face_owner[f] = k;
                  }
                faces_listed[k] = faces->size();
              }
            else if (const auto *nodes = find_set(mesh.vertex_sets, names[k]))
              {
                in_vertex_set[k].assign(mesh.vertices.size(), false);
                for (const unsigned int v : *nodes)
                  in_vertex_set[k][v] = true;
              }
            else
              throw std::runtime_error("Mesh model: boundary '" + names[k] +
                                       "' is neither a surface nor a node set of " + mesh.file +
                                       " (surfaces: " + list_names(mesh.face_sets) +
                                       "; node sets: " + list_names(mesh.vertex_sets) + ")");
          }
      }

      /** Boundary id (0 = unnamed) of a boundary face with these corner vertices. */
      dealii::types::boundary_id id_of(std::vector<unsigned int> corners)
      {
        std::sort(corners.begin(), corners.end());
        int owner = -1;
        const auto claim = [&](const unsigned int k) {
          if (owner >= 0 && static_cast<unsigned int>(owner) != k)
            throw std::runtime_error("Mesh model: a boundary face of " + mesh.file + " (nodes " +
                                     labels(corners) + ") is in both '" + names[owner] + "' and '" +
                                     names[k] + "'; a face can only have one support or load");
          owner = k;
        };
        const auto f = face_owner.find(corners);
        if (f != face_owner.end())
          claim(f->second);
        for (unsigned int k = 0; k < names.size(); ++k)
          if (!in_vertex_set[k].empty() &&
              std::all_of(corners.begin(), corners.end(),
                          [&](const unsigned int v) { return in_vertex_set[k][v]; }))
            claim(k);
        if (owner < 0)
          return 0;
        ++faces_found[owner];
        return static_cast<dealii::types::boundary_id>(owner + 1);
      }

      /** Checks that every named boundary was found and every listed face is on the boundary. */
      std::vector<unsigned long> finish() const
      {
        for (unsigned int k = 0; k < names.size(); ++k)
          {
            if (faces_found[k] == 0)
              throw std::runtime_error(
                "Mesh model: '" + names[k] + "' of " + mesh.file +
                " contains no boundary face of the mesh (a node set must hold all corner nodes "
                "of at least one boundary face)");
            if (faces_listed[k] > faces_found[k])
              throw std::runtime_error(
                "Mesh model: surface '" + names[k] + "' of " + mesh.file + " lists " +
                std::to_string(faces_listed[k] - faces_found[k]) + " of its " +
                std::to_string(faces_listed[k]) +
                " faces inside the body; supports and loads act on boundary faces only");
          }
        return faces_found;
      }

    private:
      std::string labels(const std::vector<unsigned int> &corners) const
      {
        std::string s;
        for (const unsigned int v : corners)
          s += (s.empty() ? "" : " ") + std::to_string(mesh.vertex_labels[v]);
        return s;
      }

      const ExternalMesh &mesh;
      const std::vector<std::string> &names;
      std::map<std::vector<unsigned int>, unsigned int> face_owner;
      std::vector<std::vector<bool>> in_vertex_set;
      std::vector<unsigned long> faces_found, faces_listed;
    };

    /** Sets boundary ids on the level-0 cells of `tria` (all of them exist on every rank). */
    void name_boundaries(dealii::Triangulation<3> &tria, const ExternalMesh &mesh,
                         const std::vector<std::string> &boundary_sets, ImportedNames &names)
    {
      BoundaryNamer namer(mesh, boundary_sets);
      for (const auto &cell : tria.cell_iterators_on_level(0))
        for (const unsigned int f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            {
              std::vector<unsigned int> corners;
              for (const unsigned int v : cell->face(f)->vertex_indices())
                corners.push_back(cell->face(f)->vertex_index(v));
              cell->face(f)->set_boundary_id(namer.id_of(corners));
            }
      names.boundary_faces = namer.finish();
    }

    std::string deal_message(const dealii::ExceptionBase &e)
    {
      std::ostringstream s;
      e.print_info(s);
      std::string m = s.str();
      std::replace(m.begin(), m.end(), '\n', ' ');
      return m;
    }
  } // namespace

  std::unique_ptr<dealii::parallel::TriangulationBase<3>>
  make_triangulation(const ExternalMesh &mesh, const std::vector<std::string> &region_sets,
                     const std::vector<std::string> &boundary_sets, const unsigned int refinements,
                     MPI_Comm comm, ImportedNames &names)
  {
    names.regions = region_sets;
    names.boundaries = boundary_sets;
    const std::vector<unsigned int> region = cell_regions(mesh, region_sets);

    std::vector<dealii::Point<3>> vertices(mesh.vertices.size());
    for (unsigned int v = 0; v < vertices.size(); ++v)
      vertices[v] = dealii::Point<3>(mesh.vertices[v][0], mesh.vertices[v][1], mesh.vertices[v][2]);
    std::vector<dealii::CellData<3>> cells(mesh.cells.size());
    for (unsigned int c = 0; c < cells.size(); ++c)
      {
        cells[c].vertices = mesh.cells[c].vertices;
        cells[c].material_id = region[c];
      }

    try
      {
        if (mesh.shape == CellShape::hexahedron)
          {
            auto tria = std::make_unique<dealii::parallel::distributed::Triangulation<3>>(comm);
            tria->create_triangulation(vertices, cells, dealii::SubCellData());
            name_boundaries(*tria, mesh, boundary_sets, names);
            if (refinements > 0)
              tria->refine_global(refinements);
            return tria;
          }
        // Tetrahedra: serial mesh on every rank -> METIS partition -> keep the local part.
        dealii::Triangulation<3> serial;
        serial.create_triangulation(vertices, cells, dealii::SubCellData());
        name_boundaries(serial, mesh, boundary_sets, names);
        if (refinements > 0)
          serial.refine_global(refinements);
        const unsigned int ranks = dealii::Utilities::MPI::n_mpi_processes(comm);
        if (ranks > 1)
          dealii::GridTools::partition_triangulation(ranks, serial);
        const auto description =
          dealii::TriangulationDescription::Utilities::create_description_from_triangulation(serial,
                                                                                             comm);
        auto tria = std::make_unique<dealii::parallel::fullydistributed::Triangulation<3>>(comm);
        tria->create_triangulation(description);
        return tria;
      }
    catch (const dealii::ExceptionBase &e)
      {
        throw std::runtime_error(mesh.file + ": the mesh cannot be built: " + deal_message(e));
      }
  }
} // namespace bonefusion::meshing
