# Requirement: cutting the posterior tension band of L4-L5 (interspinous/supraspinous ligament
# and ligamentum flavum, Instrumentation/Resected ligaments) as a surgery step removes those
# bands from the mesh and the model: flexion ROM rises, extension hardly moves (tension-only
# bands are slack in extension and carried almost nothing there), the ligaments' part of the
# flexion moment falls, and the load-sharing parts still sum to the applied moment.
"""Runs cases/l4l5_intact_rom.prm (sliding facet joints, tension-only ligaments) in flexion and
extension twice, intact and with the L4-L5 interspinous ligament and ligamentum flavum cut,
and compares.

Asserted: the cut regions have no cells (regions.csv) and the log lists both resections;
flexion rises by more than 10 %; extension changes by less than 2 %; the ligaments' moment
about the flexion axis falls by more than half; the load-sharing relative error stays below
1e-6 in both runs. Printed, not asserted: the rise against in-vitro stepwise-reduction
studies (docs/model.md), which this linear model is not calibrated against.
"""
import argparse
import csv
import os

from verification_common import Checks, add_run_arguments, number, run_bonefusion, \
    statistics_rows

CUT = ["L4-L5 interspinous ligament", "L4-L5 ligamentum flavum"]


def run(args, output, cut):
    args.output = output
    settings = {"Discretization/Voxel size": args.voxel,
                "Loads/Load cases": "flexion, extension",
                "Output/Write visualization": "false"}
    if cut:
        settings["Instrumentation/Resected ligaments"] = ", ".join(CUT)
    run_bonefusion(args, settings)
    rows = {r["load_case"]: r for r in statistics_rows(output)}
    with open(os.path.join(output, "regions.csv"), newline="") as f:
        cells = {r["region"]: int(r["cells"]) for r in csv.DictReader(f)}
    with open(os.path.join(output, "log.txt")) as f:
        log = f.read()
    return rows, cells, log


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    add_run_arguments(parser)
    parser.add_argument("--voxel", default="2.5", help="voxel size [mm]")
    args = parser.parse_args()
    base = os.path.abspath(args.output)
    intact, intact_cells, _ = run(args, os.path.join(base, "intact"), False)
    cut, cut_cells, log = run(args, os.path.join(base, "resected"), True)

    checks = Checks()
    for name in CUT:
        checks.check(intact_cells.get(name, 0) > 0, f"intact model: no cells of {name}")
        checks.check(cut_cells.get(name, 0) == 0,
                     f"{name} was cut but still has {cut_cells.get(name)} cells")
        checks.check(f"surgery: resection of the {name.split(' ', 1)[1]} at L4-L5" in log,
                     f"the log does not list the resection of {name}")
    flexion = [number(r["flexion"], "primary_rotation_deg") for r in (intact, cut)]
    extension = [number(r["extension"], "primary_rotation_deg") for r in (intact, cut)]
    ligaments = [abs(number(r["flexion"], "share_ligaments_moment_x_Nmm")) for r in (intact, cut)]
    print(f"flexion {flexion[0]:.3f} -> {flexion[1]:.3f} deg "
          f"({100 * (flexion[1] / flexion[0] - 1):+.1f} %)")
    print(f"extension {extension[0]:.3f} -> {extension[1]:.3f} deg "
          f"({100 * (extension[1] / extension[0] - 1):+.2f} %)")
    print(f"ligaments' flexion moment {ligaments[0]:.0f} -> {ligaments[1]:.0f} N mm")
    checks.check(flexion[1] > 1.1 * flexion[0],
                 f"flexion rose only from {flexion[0]:.3f} to {flexion[1]:.3f} deg")
    checks.check(abs(extension[1] / extension[0] - 1) < 0.02,
                 f"extension moved from {extension[0]:.3f} to {extension[1]:.3f} deg")
    checks.check(ligaments[1] < 0.5 * ligaments[0],
                 f"the ligaments still carry {ligaments[1]:.0f} of {ligaments[0]:.0f} N mm")
    for label, rows in (("intact", intact), ("resected", cut)):
        for case, r in rows.items():
            error = number(r, "load_sharing_relative_error")
            checks.check(error < 1e-6, f"{label} {case}: load-sharing error {error:.2e}")
    checks.finish()


if __name__ == "__main__":
    main()
