#include "meshing/voxel_mesh.h"

#include "meshing/boundary_fitting.h"

#include <deal.II/base/mpi.h>
#include <deal.II/grid/tria_accessor.h>
#include <deal.II/grid/tria_iterator.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <vector>

namespace bonefusion::meshing
{
  namespace
  {
    /** Cells (i, j, k) of edge h with lower corner at ((i0 + i) h, (j0 + j) h, (k0 + k) h):
     *  grid planes sit at integer multiples of h, so z = 0 is a face plane. */
    struct Grid
    {
      double h;
      long i0, j0, k0;
      std::size_t nx, ny, nz;
      std::vector<std::uint16_t> region; // region id per cell, 0 = empty

      std::size_t index(std::size_t i, std::size_t j, std::size_t k) const
      {
        return (k * ny + j) * nx + i;
      }
    };

    Grid classify_grid(const VoxelDomain &domain, const double h)
    {
      if (!(h > 0))
        throw std::runtime_error("voxel mesh: the voxel size h must be positive, got " +
                                 std::to_string(h) + " mm");
      const dealii::Point<3> &lo = domain.lower_corner, &hi = domain.upper_corner;
      Grid grid;
      grid.h = h;
      grid.i0 = static_cast<long>(std::floor(lo[0] / h));
      grid.j0 = static_cast<long>(std::floor(lo[1] / h));
      grid.k0 = static_cast<long>(std::floor(lo[2] / h));
      grid.nx = static_cast<std::size_t>(std::ceil(hi[0] / h) - grid.i0);
      grid.ny = static_cast<std::size_t>(std::ceil(hi[1] / h) - grid.j0);
      grid.nz = static_cast<std::size_t>(std::ceil(hi[2] / h) - grid.k0);
      grid.region.assign(grid.nx * grid.ny * grid.nz, 0);

      // The classifier is pure and thread-safe; slices are independent.
      bool too_large = false;
#pragma omp parallel for schedule(dynamic)
      for (long k = 0; k < static_cast<long>(grid.nz); ++k)
        for (std::size_t j = 0; j < grid.ny; ++j)
          for (std::size_t i = 0; i < grid.nx; ++i)
            {
              const dealii::Point<3> centre((grid.i0 + static_cast<long>(i) + 0.5) * h,
                                            (grid.j0 + static_cast<long>(j) + 0.5) * h,
                                            (grid.k0 + k + 0.5) * h);
              if (const auto r = domain.classify(centre))
                {
                  if (*r > std::numeric_limits<std::uint16_t>::max())
                    too_large = true;
                  grid.region[grid.index(i, j, k)] = static_cast<std::uint16_t>(*r);
                }
            }
      if (too_large)
        throw std::runtime_error("voxel mesh: more than 65535 regions");
      return grid;
    }

    /** The face-connected components of the kept voxels (flood fill, O(N)): each a list of
     *  voxel indices. */
    std::vector<std::vector<std::size_t>> components(const Grid &grid)
    {
      std::vector<bool> seen(grid.region.size(), false);
      std::vector<std::vector<std::size_t>> pieces;
      std::vector<std::size_t> stack;
      const long stride[3] = {1, static_cast<long>(grid.nx), static_cast<long>(grid.nx * grid.ny)};
      const std::size_t n[3] = {grid.nx, grid.ny, grid.nz};
      for (std::size_t start = 0; start < grid.region.size(); ++start)
        {
          if (grid.region[start] == 0 || seen[start])
            continue;
          std::vector<std::size_t> piece;
          stack.push_back(start);
          seen[start] = true;
          while (!stack.empty())
            {
              const std::size_t c = stack.back();
              stack.pop_back();
              piece.push_back(c);
              const std::size_t ijk[3] = {c % grid.nx, (c / grid.nx) % grid.ny,
                                          c / (grid.nx * grid.ny)};
              for (unsigned int d = 0; d < 3; ++d)
                for (const int s : {-1, 1})
                  {
                    if ((s < 0 && ijk[d] == 0) || (s > 0 && ijk[d] + 1 == n[d]))
                      continue;
                    const std::size_t nb = c + s * stride[d];
                    if (grid.region[nb] != 0 && !seen[nb])
                      {
                        seen[nb] = true;
                        stack.push_back(nb);
                      }
                  }
            }
          pieces.push_back(std::move(piece));
        }
      return pieces;
    }

    /**
     * Removes the debris of the sampling: pieces that share no face with the rest and hold
     * less than 1e-3 of the largest piece's voxels (on the L3-S1 column at 1.5 mm, five
     * pieces of 1-4 voxels at the tips of thin features). Joined to the rest only at an edge
     * or a node, or not at all, they are mechanisms or float free, and they carry no load.
     * A separate part of real size stays (and is reported). Returns what was removed.
     */
    LoosePieces remove_loose_pieces(Grid &grid)
    {
      LoosePieces removed;
      const auto pieces = components(grid);
      std::size_t largest = 0;
      for (const auto &p : pieces)
        largest = std::max(largest, p.size());
      for (const auto &p : pieces)
        if (p.size() < 1e-3 * largest)
          {
            ++removed.pieces;
            removed.voxels += p.size();
            for (const std::size_t c : p)
              {
                removed.regions.insert(grid.region[c]);
                grid.region[c] = 0;
              }
          }
        else if (p.size() < largest)
          removed.separate_parts.push_back(p.size());
      return removed;
    }

  } // namespace

  unsigned long count_voxels(const VoxelDomain &domain, const double h)
  {
    Grid grid = classify_grid(domain, h);
    remove_loose_pieces(grid);
    return std::count_if(grid.region.begin(), grid.region.end(),
                         [](const std::uint16_t r) { return r != 0; });
  }

  FittingReport build_voxel_mesh(const VoxelDomain &domain, const double h,
                                 const std::vector<VoxelSurface> &surfaces,
                                 dealii::Triangulation<3> &tria, const BoundaryFitting &fitting,
                                 LoosePieces *report_loose)
  {
    Grid grid = classify_grid(domain, h);
    const LoosePieces loose = remove_loose_pieces(grid);
    if (report_loose)
      *report_loose = loose;

    // Each surface's grid axis and direction, and its outermost layer (global index along
    // the axis) among the cells of its regions.
    struct Layer
    {
      unsigned int axis = 2;
      int sign = 1;
      long extreme = 0;
      bool found = false;
    };
    std::vector<Layer> layers(surfaces.size());
    for (unsigned int s = 0; s < surfaces.size(); ++s)
      {
        const dealii::Tensor<1, 3> &n = surfaces[s].outward;
        unsigned int axis = 0;
        for (unsigned int d = 1; d < 3; ++d)
          if (std::abs(n[d]) > std::abs(n[axis]))
            axis = d;
        layers[s].axis = axis;
        layers[s].sign = n[axis] > 0 ? 1 : -1;
      }

    // Vertices only of kept cells, deduplicated through a dense index over the grid nodes.
    constexpr unsigned int none = std::numeric_limits<unsigned int>::max();
    const std::size_t mx = grid.nx + 1, my = grid.ny + 1;
    std::vector<unsigned int> vertex_of_node(mx * my * (grid.nz + 1), none);
    std::vector<dealii::Point<3>> vertices;
    std::vector<dealii::CellData<3>> cells;
    std::vector<std::array<std::size_t, 3>> cell_voxel; // grid indices of each cell
    for (std::size_t k = 0; k < grid.nz; ++k)
      for (std::size_t j = 0; j < grid.ny; ++j)
        for (std::size_t i = 0; i < grid.nx; ++i)
          {
            const std::uint16_t r = grid.region[grid.index(i, j, k)];
            if (r == 0)
              continue;
            const long global[3] = {grid.i0 + static_cast<long>(i), grid.j0 + static_cast<long>(j),
                                    grid.k0 + static_cast<long>(k)};
            for (unsigned int s = 0; s < surfaces.size(); ++s)
              if (surfaces[s].regions.count(r))
                {
                  Layer &l = layers[s];
                  const long g = global[l.axis];
                  if (!l.found || l.sign * g > l.sign * l.extreme)
                    l.extreme = g, l.found = true;
                }
            dealii::CellData<3> cell;
            // deal.II's lexicographic hex numbering: vertex v at (v&1, (v>>1)&1, (v>>2)&1).
            for (unsigned int v = 0; v < 8; ++v)
              {
                const std::size_t a = i + (v & 1), b = j + ((v >> 1) & 1), c = k + ((v >> 2) & 1);
                unsigned int &id = vertex_of_node[(c * my + b) * mx + a];
                if (id == none)
                  {
                    id = static_cast<unsigned int>(vertices.size());
                    vertices.emplace_back((grid.i0 + static_cast<long>(a)) * h,
                                          (grid.j0 + static_cast<long>(b)) * h,
                                          (grid.k0 + static_cast<long>(c)) * h);
                  }
                cell.vertices[v] = id;
              }
            cell.material_id = r;
            cells.push_back(cell);
            cell_voxel.push_back({{i, j, k}});
          }
    if (cells.empty())
      throw std::runtime_error("voxel mesh: no voxel of size " + std::to_string(h) +
                               " mm lies inside the geometry");
    vertex_of_node = {};

    if (!loose.separate_parts.empty() &&
        dealii::Utilities::MPI::this_mpi_process(tria.get_communicator()) == 0)
      std::cerr << "Warning: the voxel mesh at h = " << h << " mm has "
                << loose.separate_parts.size() + 1 << " separate parts (" << cells.size()
                << " cells in all); parts that touch nothing float free in the mechanics.\n";

    // Fitted positions are computed first but applied after the boundary ids, which are
    // chosen on the voxels' grid positions.
    FittedMesh fitted;
    if (fitting.enabled)
      {
        // The nodes of a flat surface chosen by its outermost layer (a loaded or supported
        // end of the model) keep their coordinate along its axis, so that the surface stays
        // a plane: the loads' resultants are computed for a plane section, and a test rig's
        // potting is flat. Its rim is still rounded within the plane.
        std::vector<int> locked_axis(vertices.size(), -1);
        for (std::size_t c = 0; c < cells.size(); ++c)
          for (unsigned int s = 0; s < surfaces.size(); ++s)
            {
              const Layer &l = layers[s];
              if (surfaces[s].depth > 0 || !l.found ||
                  !surfaces[s].regions.count(cells[c].material_id))
                continue;
              std::array<long, 3> index = {{static_cast<long>(cell_voxel[c][0]),
                                            static_cast<long>(cell_voxel[c][1]),
                                            static_cast<long>(cell_voxel[c][2])}};
              const long origin[3] = {grid.i0, grid.j0, grid.k0};
              if (index[l.axis] + origin[l.axis] != l.extreme)
                continue;
              index[l.axis] += l.sign;
              const long n[3] = {static_cast<long>(grid.nx), static_cast<long>(grid.ny),
                                 static_cast<long>(grid.nz)};
              if (index[l.axis] >= 0 && index[l.axis] < n[l.axis] &&
                  grid.region[grid.index(index[0], index[1], index[2])] != 0)
                continue;
              for (unsigned int v = 0; v < 8; ++v)
                if (((v >> l.axis) & 1) == (l.sign > 0 ? 1u : 0u))
                  locked_axis[cells[c].vertices[v]] = static_cast<int>(l.axis);
            }
        fitted = fit_region_boundaries(domain.classify, h, cells, vertices, fitting.minimum_quality,
                                       locked_axis, fitting.group_of);
        vertices = std::move(fitted.initial);
        cells = std::move(fitted.cells);
      }

    tria.create_triangulation(vertices, cells, dealii::SubCellData());

    // Coarse cells carry the boundary ids; refined children (also in p4est) inherit them.
    for (const auto &cell : tria.cell_iterators_on_level(0))
      for (unsigned int s = 0; s < surfaces.size(); ++s)
        {
          const Layer &l = layers[s];
          if (!l.found || !surfaces[s].regions.count(cell->material_id()))
            continue;
          if (surfaces[s].depth > 0)
            {
              const dealii::Tensor<1, 3> n = surfaces[s].outward / surfaces[s].outward.norm();
              if ((cell->center() - surfaces[s].plane_point) * n < -surfaces[s].depth)
                continue;
              for (const unsigned int face : cell->face_indices())
                if (cell->face(face)->at_boundary() &&
                    (face % 2 == 1 ? 1.0 : -1.0) * n[face / 2] > 0.25)
                  cell->face(face)->set_boundary_id(surfaces[s].id);
              continue;
            }
          const long g = std::lround(cell->center()[l.axis] / h - 0.5);
          // Voxel faces 2a and 2a + 1 are normal to axis a, facing -a and +a.
          const unsigned int face = 2 * l.axis + (l.sign > 0 ? 1 : 0);
          if (g == l.extreme && cell->face(face)->at_boundary())
            cell->face(face)->set_boundary_id(surfaces[s].id);
        }

    if (fitting.enabled)
      {
        // create_triangulation keeps the order of the vertices it is given.
        const std::vector<dealii::Point<3>> &stored = tria.get_vertices();
        if (stored.size() != vertices.size() ||
            !std::equal(stored.begin(), stored.end(), vertices.begin()))
          throw std::logic_error("voxel mesh: the triangulation renumbered its vertices");
        for (const auto &cell : tria.cell_iterators_on_level(0))
          for (const unsigned int v : cell->vertex_indices())
            cell->vertex(v) = fitted.fitted[cell->vertex_index(v)];
      }
    return fitted.report;
  }
} // namespace bonefusion::meshing
