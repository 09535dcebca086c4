// The Simulator's model: the parametric anatomy and construct on a voxel mesh, or a mesh file
// with its named sets; the regions' materials; the output directory; the discrete system
// with its per-cell materials and unilateral layers.
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>
#include <deal.II/distributed/tria.h>

#include "core/parametric_model.h"
#include "core/simulator.h"
#include "hardware/pedicle_screws.h"
#include "meshing/external_mesh.h"
#include "meshing/voxel_mesh.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <set>

namespace bonefusion::core
{
  void Simulator::make_model()
  {
    dealii::Timer timer;
    if (prm.geometry.from_mesh_file)
      make_mesh_model();
    else
      make_parametric_model();
    setup_seconds += timer.wall_time();
    for (const model::Region &r : model.regions.all())
      {
        const auto &m = region_materials[r.id];
        log << "  region " << std::setw(36) << std::left << r.name << std::right << " "
            << std::setw(20) << m.material << "  E = " << std::setw(9) << m.law.youngs_modulus
            << " MPa, nu = " << m.law.poissons_ratio << (m.b_bar ? "  (B-bar)" : "") << std::endl;
      }
  }

  void Simulator::make_parametric_model()
  {
    const double h = prm.discretization.voxel_size;
    const ParametricModel parametric(prm.anatomy, prm.instrumentation, h);
    degree =
      prm.discretization.degree > 0 ? prm.discretization.degree : (prm.solver.matrix_free ? 2 : 1);
    auto voxels = std::make_unique<dealii::parallel::distributed::Triangulation<3>>(mpi);
    model = parametric.model();
    meshing::BoundaryFitting fitting_settings = prm.discretization.fitting;
    fitting_settings.group_of = parametric.fitting_groups();
    meshing::LoosePieces loose;
    const meshing::FittingReport fitting = meshing::build_voxel_mesh(
      parametric.voxel_domain(), h, parametric.voxel_surfaces(), *voxels, fitting_settings, &loose);
    if (prm.discretization.refinements > 0)
      voxels->refine_global(prm.discretization.refinements);
    triangulation = std::move(voxels);
    loaded_boundary = static_cast<dealii::types::boundary_id>(model::Boundary::loaded);
    supports = {static_cast<dealii::types::boundary_id>(model::Boundary::support)};
    support_names = {"support"};

    // Cross-section of each ligament band where it crosses its segment's mid-surface, from
    // the cells around it: its modulus is scaled so that E A is the real one's. Each cell
    // counts its volume over its extent e along the disc's normal, weighted by a hat of
    // half-width 2 e centred half a cell below the mid-surface and divided by 2, so that a
    // band of uniform section gives its area. Counting only the layer of cells just below
    // (a box of width e, as until 2026-12-07) is exact on an axis-aligned disc, but on a
    // tilted one the staircase made the count jump: the same band's modulus changed by up to
    // 5 times with the voxel size or the levels in the model (docs/model.md).
    constexpr double area_kernel = 2; // hat half-width over the cell's extent
    std::vector<double> area(model.regions.size() + 1, 0.0);
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const model::Region &r = model.regions[cell->material_id()];
          if (!model::is_ligament(r.tissue))
            continue;
          const model::Frame &frame = model.segments.at(r.segment).disc_frame;
          unsigned int axis = 0; // the cell's axis closest to the disc normal
          for (unsigned int d = 1; d < 3; ++d)
            if (std::abs(frame.superior[d]) > std::abs(frame.superior[axis]))
              axis = d;
          const double e = cell->extent_in_direction(axis);
          const double height = frame.height_of(cell->center());
          const double weight = 1 - std::abs(height + e / 2) / (area_kernel * e);
          if (weight > 0)
            area[r.id] += weight * cell->measure() / (area_kernel * e);
        }
    dealii::Utilities::MPI::sum(area, mpi, area);
    const auto scale = [&](const model::Region &r) {
      double factor = parametric.modulus_scale(r);
      // Same axial stiffness E A as the real ligament, whatever the meshed band's size.
      if (model::is_ligament(r.tissue) && prm.materials.has_cross_section_area(r.material) &&
          area[r.id] > 0)
        factor *= prm.materials.cross_section_area(r.material) / area[r.id];
      return factor;
    };
    region_materials = materials::RegionMaterials::assign(
      model, prm.materials, prm.region_materials, prm.discretization.locking, scale);

    std::string vertebrae, heights;
    for (const model::Body &b : model.bodies)
      if (b.kind == model::BodyKind::vertebra)
        vertebrae += (vertebrae.empty() ? "" : " over ") + b.name;
    std::string segments;
    for (const model::MotionSegment &s : model.segments)
      {
        segments += (segments.empty() ? "" : ", ") + s.name;
        std::ostringstream height;
        height << s.disc.height;
        heights += (heights.empty() ? "" : ", ") + height.str();
      }
    log << "Model: " << segments << " (" << vertebrae << "), disc height " << heights << " mm, "
        << "voxel " << h << " mm, " << triangulation->n_global_active_cells() << " cells"
        << std::endl;
    if (loose.pieces > 0)
      {
        std::string names;
        for (const auto id : loose.regions)
          names += (names.empty() ? "" : ", ") + model.regions[id].name;
        log << "  removed " << loose.pieces << " loose piece(s) of the voxel sampling ("
            << loose.voxels << " voxels joined to the rest at most by an edge; " << names << ")"
            << std::endl;
      }
    if (prm.discretization.fitting.enabled)
      log << "  boundary fitting: " << fitting.moved_nodes << " of " << fitting.boundary_nodes
          << " surface nodes moved onto the surfaces (mean " << fitting.mean_move << " mm), "
          << fitting.held_back << " held short by the quality bound, " << fitting.pillow_cells
          << " boundary-layer cells, " << fitting.relabelled_voxels
          << " voxels relabelled; smallest scaled Jacobian " << fitting.minimum_quality
          << std::endl;
    model_description.clear();
    for (const auto &step : parametric.construct().surgery)
      log << "  surgery: " << step->description() << std::endl;
    for (const auto &implant : parametric.construct().implants)
      {
        log << "  implant: " << implant->description() << std::endl;
        model_description += (model_description.empty() ? "" : "; ") + implant->description();
      }
    if (const auto *screws = parametric.construct().find<hardware::PedicleScrews>())
      if (screws->parameters().interface == "loosened" &&
          screws->drawn_halo_thickness() > 2 * screws->parameters().halo_thickness)
        log << "  Warning: Instrumentation/Pedicle screws/Halo thickness: the "
            << screws->parameters().halo_thickness << " mm halo is drawn "
            << screws->drawn_halo_thickness() << " mm thick at " << h
            << " mm voxels (its modulus scaled to match), so it also replaces the pedicle's "
               "bone that far from each screw; voxels of "
            << 2 * screws->parameters().halo_thickness / std::sqrt(3.)
            << " mm or less draw it at most twice its thickness" << std::endl;
  }

  void Simulator::make_mesh_model()
  {
    const meshing::ExternalMesh mesh = meshing::read_mesh_file(prm.geometry.mesh_file);
    const bool hex = mesh.shape == meshing::CellShape::hexahedron;
    degree = prm.discretization.degree > 0 ? prm.discretization.degree :
                                             (prm.solver.matrix_free ? 2 : mesh.order);
    std::vector<std::string> region_sets, boundary_sets = prm.mesh_model.clamped_boundaries;
    for (const RegionMaterial &r : prm.mesh_model.regions)
      region_sets.push_back(r.region);
    boundary_sets.push_back(prm.mesh_model.loaded_boundary);
    triangulation = meshing::make_triangulation(mesh, region_sets, boundary_sets,
                                                prm.discretization.refinements, mpi, imported);
    // The element sets are the regions (material id k + 1 = set k), of no known tissue.
    std::vector<materials::LinearIsotropic> laws;
    for (const RegionMaterial &r : prm.mesh_model.regions)
      {
        model::Region region;
        region.name = r.region;
        region.material = r.material;
        model.regions.add(region);
        laws.push_back(r.law);
      }
    region_materials =
      materials::RegionMaterials::assign_given(model, laws, prm.discretization.locking);
    support_names = prm.mesh_model.clamped_boundaries;
    supports.clear();
    for (unsigned int k = 0; k < support_names.size(); ++k)
      supports.push_back(k + 1);
    loaded_boundary = static_cast<dealii::types::boundary_id>(support_names.size() + 1);

    mesh_description = std::string(hex ? "hexahedra" : "tetrahedra") + ", file order " +
                       std::to_string(mesh.order) + ", " + (hex ? "Q" : "P") +
                       std::to_string(degree) + " elements";
    log << "Model: mesh " << prm.geometry.mesh_file << " (" << mesh.cells.size() << " "
        << mesh_description << ", " << mesh.vertices.size() << " corner nodes [mm]), "
        << triangulation->n_global_active_cells() << " cells after "
        << prm.discretization.refinements << " refinement(s)" << std::endl;
    if (mesh.max_midside_offset > 1e-6)
      log << "  Warning: midside nodes lie off the straight edges by up to "
          << 100 * mesh.max_midside_offset
          << " % of the edge length; bonefusion uses straight-sided elements" << std::endl;
    if (!mesh.ignored_keywords.empty())
      {
        log << "  Not used from the mesh file (materials, steps and loads come from the case):";
        for (const std::string &k : mesh.ignored_keywords)
          log << " " << k;
        log << std::endl;
      }
    for (unsigned int k = 0; k < imported.boundaries.size(); ++k)
      log << "  boundary " << std::setw(20) << std::left << imported.boundaries[k] << std::right
          << " " << imported.boundary_faces[k] << " faces, "
          << (k + 1 < imported.boundaries.size() ? "clamped" : "loaded") << std::endl;
  }

  void Simulator::prepare_output_directory()
  {
    const std::string dir = prm.output.directory;
    resuming = prm.time.enabled && prm.time.resume &&
               dealii::Utilities::MPI::broadcast(
                 mpi, std::filesystem::exists(dir + "/checkpoint.bin") ? 1 : 0, 0) == 1;
    // Cells per region, so that users see which regions this model actually contains.
    std::vector<double> cells_per_region(model.regions.size() + 1, 0.0);
    for (const auto &cell : triangulation->active_cell_iterators())
      if (cell->is_locally_owned())
        cells_per_region[cell->material_id()] += 1;
    dealii::Utilities::MPI::sum(cells_per_region, mpi, cells_per_region);
    // Rank 0 touches the file system; every rank learns whether it worked, so that all of
    // them fail together instead of waiting for a rank that has thrown.
    std::string failure;
    if (dealii::Utilities::MPI::this_mpi_process(mpi) == 0)
      try
        {
          std::filesystem::create_directories(dir);
          // Results of an earlier run must not be mistaken for this one's. A run over time
          // that resumes from a checkpoint keeps the ParaView files of the steps before it.
          for (const char *stale : {"statistics.csv", "summary.h5", "COMPLETED", "FAILED",
                                    "STOPPED", "follow_ups.csv", "healing.png"})
            std::filesystem::remove(dir + "/" + stale);
          if (!resuming)
            {
              std::filesystem::remove(dir + "/checkpoint.bin");
              for (const char *stale : {"solution.pvd", "solution.xdmf", "solution_steps.csv"})
                std::filesystem::remove(dir + "/" + stale);
              for (const auto &entry : std::filesystem::directory_iterator(dir))
                if (entry.path().filename().string().rfind("solution_", 0) == 0 ||
                    entry.path().filename().string().rfind("nodal_values_", 0) == 0)
                  std::filesystem::remove(entry.path());
            }
          std::ofstream out(dir + "/parameters.prm");
          expanded.print_parameters(out, dealii::ParameterHandler::PRM);
          std::ofstream regions(dir + "/regions.csv");
          regions << "region_id,region,tissue_id,tissue,body,segment,material,"
                     "youngs_modulus_MPa,poissons_ratio,cells\n";
          for (const model::Region &r : model.regions.all())
            {
              const auto &m = region_materials[r.id];
              regions << r.id << ',' << r.name << ',' << static_cast<unsigned int>(r.tissue) << ','
                      << model::tissue_name(r.tissue) << ','
                      << (r.body != model::no_index ? model.bodies[r.body].name : "") << ','
                      << (r.segment != model::no_index ? model.segments[r.segment].name : "") << ','
                      << m.material << ',' << m.law.youngs_modulus << ',' << m.law.poissons_ratio
                      << ',' << static_cast<unsigned long>(cells_per_region[r.id]) << '\n';
            }
          if (!out || !regions)
            failure = "cannot write files into '" + dir + "'";
        }
      catch (const std::exception &e)
        {
          failure = e.what();
        }
    failure = dealii::Utilities::MPI::broadcast(mpi, failure, 0);
    if (!failure.empty())
      throw std::runtime_error("Output/Directory = " + dir + ": " + failure);
    log.open_file(dir + "/log.txt", resuming);
  }

  void Simulator::setup_system()
  {
    dealii::Timer timer;
    mechanics::MatrixFreeSettings matrix_free;
    matrix_free.chebyshev_degree = prm.solver.chebyshev_degree;
    system = std::make_unique<mechanics::ElasticSystem>(
      *triangulation, degree, prm.solver.matrix_free ? &matrix_free : nullptr);
    system->setup(std::set<dealii::types::boundary_id>(supports.begin(), supports.end()));
    cell_materials =
      std::make_unique<materials::CellMaterials>(model, region_materials, prm.annulus_fibres,
                                                 prm.discretization.locking, prm.nucleus_swelling);
    layers = std::make_unique<mechanics::ContactLayers>(model, *triangulation, prm.contact);
    layers->set_finite_strain(prm.mechanics.finite_strain);
    solver = std::make_unique<mechanics::ActiveSetSolver>(*system, *layers, prm.solver.linear);
    setup_seconds += timer.wall_time();
    log << "System: " << system->dofs().n_dofs() << " DoFs (" << (system->simplex() ? "P" : "Q")
        << degree << "), " << dealii::Utilities::MPI::n_mpi_processes(mpi) << " MPI rank(s)";
    if (system->matrix_free())
      log << ", matrix-free with a Q1 correction space of " << system->n_coarse_dofs() << " DoFs";
    log << std::endl;
    // Imported meshes name no facet pads or cage seats: say so rather than ignore it.
    if (prm.geometry.from_mesh_file && prm.contact.any())
      log << "Note: 'Facet joints/Contact', 'Cage interface/Contact' and 'Ligaments/"
             "Behaviour' act on the parametric segment only; the imported mesh's regions "
             "stay bonded and linear."
          << std::endl;
  }
} // namespace bonefusion::core
