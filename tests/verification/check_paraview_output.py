# Requirement: results open in ParaView — solution.pvd and solution.xdmf read back with one time step per load case, all fields present with the right components, finite, non-trivial (expected: every check passes, np = 1 and 2).
#
# Runs bonefusion on a small instrumented case (TLIF, Ti screws and rods, two load cases) and
# reads the output back with ParaView's own readers (paraview.simple, Debian python3-paraview,
# no display needed), then checks the HDF5 behind the XDMF with h5py. Must run with the
# system interpreter (/usr/bin/python3); it fails, never skips, if ParaView is missing
# (scripts/install-deps installs it).
#
# What is checked, per time step of each file:
# - time steps 0, 1, ... = load cases in solution_steps.csv order (one per load case);
# - point data displacement (3 components), strain and stress (9), von_mises_stress,
#   strain_energy_density, fibre_stretch, facet_contact_pressure and ligament_band_stress
#   (1; their values: check_tissue_fields.py); region, bone_density, mpi_rank (1): deal.II 9.4 writes its
#   "cell data" as point data of unmerged patches in VTU, so each cell's 8 points carry the
#   cell's value (checked: constant per cell); in XDMF vertices are merged and values at
#   region interfaces belong to one of the neighbouring cells (platform notes);
# - all values finite; displacement non-zero; von Mises >= 0 with max > 0 and equal to
#   sqrt(3/2 s:s) of the stress array; stress symmetric; strain energy density >= 0;
# - region ids: integers in 1..n, listed in regions.csv (one row per region of the model, e.g.
#   "L4 cortical", with its tissue kind), and the regions with cells are exactly of the
#   tissues this case builds: bone, annulus, posterior elements, facet cartilage, screw, rod,
#   cage, graft, ligaments; no nucleus (the cage replaces it) and no posterolateral graft
#   (not enabled); the tissue field agrees with regions.csv;
# - mpi_rank takes every value 0..np-1 (np = 2: both ranks own cells);
# - XDMF and PVD agree: same time steps, same displacement maximum, XDMF region values and
#   von Mises maximum within the VTU ones;
# - every HDF5 data item the XDMF references exists with the declared dimensions.
import argparse
import csv
import os
import sys
import xml.etree.ElementTree as ET

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from verification_common import Checks, add_run_arguments, run_bonefusion

try:
    from paraview import servermanager
    from paraview.simple import OpenDataFile
    from vtk.numpy_interface import dataset_adapter as dsa
except ImportError as e:
    print(f"FAIL: ParaView's Python module is not importable with {sys.executable}: {e}\n"
          "Install python3-paraview (scripts/install-deps) and run this with /usr/bin/python3.")
    sys.exit(1)
try:
    import h5py
except ImportError as e:
    print(f"FAIL: h5py is not importable with {sys.executable}: {e} (Debian: python3-h5py)")
    sys.exit(1)

LOAD_CASES = ["flexion", "compression"]
EXPECTED_TISSUES = {"cortical", "cancellous", "endplate", "annulus", "posterior",
                    "facet cartilage", "screw", "rod", "cage", "graft",
                    "anterior longitudinal ligament", "posterior longitudinal ligament",
                    "ligamentum flavum", "interspinous ligament"}
COMPONENTS = {"displacement": 3, "strain": 9, "stress": 9, "von_mises_stress": 1,
              "strain_energy_density": 1, "region": 1, "tissue": 1, "bone_density": 1,
              "mpi_rank": 1, "fibre_stretch": 1, "facet_contact_pressure": 1,
              "ligament_band_stress": 1}
TENSOR_PARTS = ["xx", "yy", "zz", "xy", "xz", "yz"]


def dataset_at(reader, time):
    """The reader's output (a vtkUnstructuredGrid, wrapped for numpy) at `time`."""
    reader.UpdatePipeline(time)
    data = reader.GetClientSideObject().GetOutputDataObject(0)
    if data.IsA("vtkMultiBlockDataSet"):
        # A single-block composite: take the block.
        data = data.GetBlock(0)
    return dsa.WrapDataObject(data)


def array(data, name):
    """Point or cell array `name` as a 2-D numpy array (rows = tuples), or None."""
    for arrays in (data.PointData, data.CellData):
        if name in arrays.keys():
            a = np.asarray(arrays[name], dtype=float)
            return a.reshape(len(a), -1)
    return None


def check_fields(checks, label, data, np_ranks, region_ids):
    """Checks common to the PVD and XDMF read-back; returns the arrays by name."""
    fields = {}
    for name, n in COMPONENTS.items():
        a = array(data, name)
        if name in ("strain", "stress") and label.startswith("xdmf"):
            continue  # checked separately (tensor layout of the HDF5 writer)
        if not checks.check(a is not None, f"{label}: array '{name}' missing"):
            continue
        checks.check(a.shape[1] == n, f"{label}: '{name}' has {a.shape[1]} components, "
                                      f"expected {n}")
        checks.check(bool(np.all(np.isfinite(a))), f"{label}: '{name}' has non-finite values")
        fields[name] = a
    if "displacement" in fields:
        u_max = np.linalg.norm(fields["displacement"], axis=1).max()
        checks.check(u_max > 0, f"{label}: displacement is zero everywhere")
    if "von_mises_stress" in fields:
        vm = fields["von_mises_stress"][:, 0]
        checks.check(vm.max() > 0, f"{label}: von Mises stress max {vm.max()} is not > 0")
        checks.check(vm.min() >= 0, f"{label}: von Mises stress min {vm.min()} < 0")
    if "strain_energy_density" in fields:
        w = fields["strain_energy_density"][:, 0]
        checks.check(w.min() >= -1e-6 * max(w.max(), 1e-300),
                     f"{label}: strain energy density min {w.min()} < 0")
    if "region" in fields:
        r = fields["region"][:, 0]
        ids = set(np.unique(r).tolist())
        checks.check(all(float(i).is_integer() and 1 <= i <= len(region_ids) for i in ids),
                     f"{label}: region values {sorted(ids)} are not integers in "
                     f"1..{len(region_ids)}")
        checks.check(ids <= set(region_ids), f"{label}: region values {sorted(ids)} not all "
                                             f"listed in regions.csv {sorted(region_ids)}")
    if "mpi_rank" in fields:
        ranks = set(np.unique(fields["mpi_rank"][:, 0]).tolist())
        checks.check(ranks == set(range(np_ranks)),
                     f"{label}: mpi_rank values {sorted(ranks)}, expected 0..{np_ranks - 1}")
    if "bone_density" in fields:
        checks.check(fields["bone_density"].min() >= 0, f"{label}: negative bone_density")
    return fields


def check_pvd(checks, directory, np_ranks, region_ids, region_tissues, tissue_ids):
    reader = OpenDataFile(os.path.join(directory, "solution.pvd"))
    checks.check(reader is not None, "ParaView could not open solution.pvd")
    if reader is None:
        return {}
    times = list(reader.TimestepValues)
    checks.check(times == [float(i) for i in range(len(LOAD_CASES))],
                 f"solution.pvd time steps {times}, expected one per load case "
                 f"{list(range(len(LOAD_CASES)))}")
    summary = {}
    for t in times:
        label = f"pvd t={t:g}"
        data = dataset_at(reader, t)
        fields = check_fields(checks, label, data, np_ranks, region_ids)
        if "stress" in fields and "von_mises_stress" in fields:
            s = fields["stress"].reshape(-1, 3, 3)
            scale = np.abs(s).max()
            checks.check(np.abs(s - s.transpose(0, 2, 1)).max() <= 1e-5 * scale,
                         f"{label}: stress tensor not symmetric")
            dev = s - np.trace(s, axis1=1, axis2=2)[:, None, None] / 3 * np.eye(3)
            vm = np.sqrt(1.5 * np.einsum("kij,kij->k", dev, dev))
            err = np.abs(vm - fields["von_mises_stress"][:, 0]).max()
            checks.check(err <= 1e-4 * vm.max(), f"{label}: von_mises_stress differs from "
                                                 f"sqrt(3/2 s:s) by {err:g} MPa")
        if "region" in fields:
            # Each cell's points carry the cell's value (unmerged patches): constant per cell.
            conn = np.asarray(data.Cells).reshape(-1, 9)
            checks.check(bool(np.all(conn[:, 0] == 8)), f"{label}: not all cells are hexahedra")
            per_cell = fields["region"][conn[:, 1:], 0]
            checks.check(bool(np.all(per_cell == per_cell[:, :1])),
                         f"{label}: region is not constant within cells")
            present = {region_tissues[int(i)] for i in np.unique(per_cell[:, 0])}
            checks.check(present == EXPECTED_TISSUES,
                         f"{label}: tissues {sorted(present)}, expected {sorted(EXPECTED_TISSUES)}")
            if "tissue" in fields:
                tissue = fields["tissue"][conn[:, 1:], 0][:, 0]
                expected = np.array([tissue_ids[int(i)] for i in per_cell[:, 0]])
                checks.check(bool(np.all(tissue == expected)),
                             f"{label}: the tissue field disagrees with regions.csv")
        summary[t] = {
            "u_max": np.linalg.norm(fields["displacement"], axis=1).max()
            if "displacement" in fields else None,
            "vm_max": fields["von_mises_stress"].max() if "von_mises_stress" in fields else None,
            "regions": set(np.unique(fields["region"]).tolist()) if "region" in fields else set(),
        }
        print(f"  {label}: {data.GetNumberOfCells()} cells, |u|max = {summary[t]['u_max']:.6g} mm, "
              f"von Mises max = {summary[t]['vm_max']:.6g} MPa", flush=True)
    if len(times) == 2 and all(summary[t]["u_max"] for t in times):
        checks.check(summary[times[0]]["u_max"] != summary[times[1]]["u_max"],
                     "solution.pvd: both time steps have the same displacement maximum")
    return summary


def check_xdmf(checks, directory, np_ranks, region_ids, pvd_summary):
    # The XDMF reader aborts on a bare file name: always an absolute path (platform notes).
    reader = OpenDataFile(os.path.abspath(os.path.join(directory, "solution.xdmf")))
    checks.check(reader is not None, "ParaView could not open solution.xdmf")
    if reader is None:
        return
    times = list(reader.TimestepValues)
    checks.check(times == sorted(pvd_summary.keys()),
                 f"solution.xdmf time steps {times} differ from solution.pvd's "
                 f"{sorted(pvd_summary.keys())}")
    for t in times:
        label = f"xdmf t={t:g}"
        data = dataset_at(reader, t)
        fields = check_fields(checks, label, data, np_ranks, region_ids)
        for tensor in ("strain", "stress"):
            whole = array(data, tensor)
            parts = [array(data, f"{tensor}_{p}") for p in TENSOR_PARTS]
            complete = (whole is not None and whole.shape[1] in (6, 9)) or all(
                p is not None for p in parts)
            checks.check(complete, f"{label}: '{tensor}' is not complete in the XDMF/HDF5 output: "
                         + (f"{whole.shape[1]} components (deal.II's HDF5 writer keeps only "
                            f"the first 3 of a tensor, xx xy xz)" if whole is not None
                            else "missing") + f"; expected 9 (or 6) components or scalar "
                         f"{tensor}_xx .. {tensor}_yz")
            if tensor == "stress" and all(p is not None for p in parts) and \
                    "von_mises_stress" in fields:
                # Merged vertices take all fields from the same cell: von Mises must match.
                xx, yy, zz, xy, xz, yz = (p[:, 0] for p in parts)
                vm = np.sqrt(0.5 * ((xx - yy) ** 2 + (yy - zz) ** 2 + (zz - xx) ** 2)
                             + 3 * (xy ** 2 + xz ** 2 + yz ** 2))
                err = np.abs(vm - fields["von_mises_stress"][:, 0]).max()
                checks.check(err <= 1e-4 * vm.max(), f"{label}: von_mises_stress differs from "
                                                     f"the stress_* components by {err:g} MPa")
        ref = pvd_summary.get(t)
        if ref and "displacement" in fields and ref["u_max"]:
            u_max = np.linalg.norm(fields["displacement"], axis=1).max()
            checks.check(abs(u_max - ref["u_max"]) <= 1e-5 * ref["u_max"],
                         f"{label}: |u|max {u_max:.8g} differs from the PVD's {ref['u_max']:.8g}")
        if ref and "von_mises_stress" in fields and ref["vm_max"]:
            vm_max = fields["von_mises_stress"].max()
            checks.check(0 < vm_max <= ref["vm_max"] * (1 + 1e-5),
                         f"{label}: von Mises max {vm_max:.8g} not in (0, PVD's {ref['vm_max']:.8g}]")
        if ref and "region" in fields:
            ids = set(np.unique(fields["region"]).tolist())
            checks.check(ids <= ref["regions"], f"{label}: region values {sorted(ids)} not "
                                                f"among the PVD's {sorted(ref['regions'])}")


def check_hdf5(checks, directory):
    """Every HDF5 data item of the XDMF exists with the declared dimensions."""
    root = ET.parse(os.path.join(directory, "solution.xdmf")).getroot()
    grids = [g for g in root.iter("Grid") if g.get("GridType") == "Uniform"]
    checks.check(len(grids) == len(LOAD_CASES),
                 f"solution.xdmf has {len(grids)} grids, expected one per load case")
    n_items = 0
    for grid in grids:
        for item in grid.iter("DataItem"):
            if item.get("Format") != "HDF":
                continue
            n_items += 1
            file_name, _, path = item.text.strip().partition(":")
            dims = tuple(int(d) for d in item.get("Dimensions").split())
            h5 = os.path.join(directory, file_name)
            if not checks.check(os.path.exists(h5), f"{file_name} (referenced by the XDMF) missing"):
                continue
            with h5py.File(h5, "r") as f:
                if checks.check(path in f, f"{file_name}:{path} missing"):
                    checks.check(f[path].shape == dims, f"{file_name}:{path} has shape "
                                                        f"{f[path].shape}, XDMF says {dims}")
                    if f[path].dtype.kind == "f":
                        checks.check(bool(np.all(np.isfinite(f[path][...]))),
                                     f"{file_name}:{path} has non-finite values")
    checks.check(n_items > 0, "solution.xdmf references no HDF5 data")
    print(f"  HDF5: {n_items} data items in {len(grids)} grids checked", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    add_run_arguments(parser)
    args = parser.parse_args()
    run_bonefusion(args, {"Discretization/Voxel size": "2.5",
                          "Loads/Load cases": ", ".join(LOAD_CASES),
                          "Output/Write visualization": "true"})
    directory = os.path.abspath(args.output)
    checks = Checks()

    with open(os.path.join(directory, "regions.csv")) as f:
        rows = list(csv.DictReader(f))
    region_tissues = {int(r["region_id"]): r["tissue"] for r in rows}
    tissue_ids = {int(r["region_id"]): int(r["tissue_id"]) for r in rows}
    # regions.csv counts the cells of each region: exactly the expected tissues have cells.
    with_cells = {r["tissue"] for r in rows if int(r["cells"]) > 0}
    checks.check(with_cells == EXPECTED_TISSUES,
                 f"regions.csv: tissues with cells {sorted(with_cells)}, "
                 f"expected {sorted(EXPECTED_TISSUES)}")
    with open(os.path.join(directory, "solution_steps.csv")) as f:
        steps = list(csv.DictReader(f))
    checks.check([s["label"] for s in steps] == LOAD_CASES,
                 f"solution_steps.csv labels {[s['label'] for s in steps]}, expected {LOAD_CASES}")
    checks.check([float(s["time"]) for s in steps] == [float(i) for i in range(len(LOAD_CASES))],
                 "solution_steps.csv times are not 0, 1, ...")

    pvd_summary = check_pvd(checks, directory, args.np, region_tissues.keys(), region_tissues,
                            tissue_ids)
    check_xdmf(checks, directory, args.np, region_tissues.keys(), pvd_summary)
    check_hdf5(checks, directory)
    checks.finish()


if __name__ == "__main__":
    main()
