# Requirement: a finite-strain run writes its moment-rotation curves, one row per converged
# load increment (moment_rotation.csv and .h5), that end at the load case's result, follow the
# applied load fraction, and are plotted with their stiffness (postprocess/
# plot_moment_rotation.py); the same with one and two ranks.
"""Runs intact L4-L5 (bonded facet joints, linear ligaments: the finite-strain solve then has
no contact state, so the path is smooth) in flexion and left axial rotation at 7.5 N m with
'Mechanics/Load increments = 4' and 'Grow load increments = false', and once more in one
increment. Asserted:
- every load case has the rows 0, 1/4, 1/2, 3/4, 1 of the load (the first at rest, all
  rotations zero) and the applied moment of each row is its fraction of 7.5 N m;
- the last row's rotations and nucleus pressure equal the load case's row of statistics.csv
  (the same state); the pressure is zero at rest and not at the end;
- the rotation grows with the moment, and the curve's first quarter extrapolates to the end
  within 2 % (a bonded segment is nearly linear: measured 0.4 % geometric nonlinearity);
- the final rotation does not depend on the load path (one increment against four) beyond
  the Newton tolerance (1e-6 relative; hyperelastic, path-independent);
- moment_rotation.h5 holds the same rows; the plot script writes its PNG and the stiffness
  table, whose first-increment stiffness is 1.875 N m over the first rotation.
"""
import csv
import math
import os
import subprocess
import sys

from verification_common import begin_check, number, run_bonefusion, \
    statistics_rows

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CASES = ["flexion", "left axial rotation"]


def settings(increments):
    return {"Discretization/Voxel size": "3",
            "Loads/Moment": "7.5",
            "Loads/Load cases": ", ".join(CASES),
            "Facet joints/Contact": "bonded",
            "Ligaments/Behaviour": "linear",
            "Mechanics/Formulation": "finite strain",
            "Mechanics/Load increments": str(increments),
            "Mechanics/Grow load increments": "false",
            "Output/Write visualization": "false"}


def main():
    args, checks, base = begin_check(__doc__)

    args.output = os.path.join(base, "four_increments")
    run_bonefusion(args, settings(4))
    path = os.path.join(args.output, "moment_rotation.csv")
    checks.check(os.path.exists(path), "moment_rotation.csv written")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    final = {r["load_case"]: r for r in statistics_rows(args.output)}
    for case in CASES:
        curve = [r for r in rows if r["load_case"] == case]
        fractions = [float(r["load_fraction"]) for r in curve]
        checks.check(fractions == [0, 0.25, 0.5, 0.75, 1.0],
                     f"{case}: rows at load fractions {fractions}")
        if len(curve) != 5:
            continue
        moments = [math.sqrt(sum(float(r[f"applied_moment_{a}_Nmm"]) ** 2 for a in "xyz"))
                   for r in curve]
        checks.check(all(abs(m - 7500 * f) < 1e-6 for m, f in zip(moments, fractions)),
                     f"{case}: applied moments {moments} N mm are the fractions of 7500")
        rotation = [float(r["primary_rotation_deg"]) for r in curve]
        checks.check(rotation[0] == 0 and all(b > a for a, b in zip(rotation, rotation[1:])),
                     f"{case}: rotation grows with the moment {rotation}")
        for column in ("rotation_x_deg", "rotation_y_deg", "rotation_z_deg",
                       "primary_rotation_deg", "nucleus_mean_pressure_MPa"):
            a, b = float(curve[-1][column]), number(final[case], column)
            checks.check(abs(a - b) <= 1e-9 * max(1.0, abs(b)),
                         f"{case}: last row {column} {a:.9g} = statistics.csv {b:.9g}")
        pressure = [float(r["nucleus_mean_pressure_MPa"]) for r in curve]
        checks.check(pressure[0] == 0 and abs(pressure[-1]) > 1e-4,
                     f"{case}: the hyperelastic nucleus pressure is 0 at rest and follows the "
                     f"load ({pressure[-1]:.4f} MPa at the end)")
        linearity = 4 * rotation[1] / rotation[-1] - 1
        print(f"{case}: rotations {', '.join(f'{r:.4f}' for r in rotation)} deg; first quarter "
              f"extrapolated {100 * linearity:+.2f} % from the end")
        checks.check(abs(linearity) < 0.02, f"{case}: nearly linear ({100 * linearity:+.2f} %)")

    import h5py
    with h5py.File(os.path.join(args.output, "moment_rotation.h5"), "r") as h5:
        stored = list(h5["statistics/primary_rotation_deg"][:])
        names = h5["statistics"].attrs["load_cases"]
        names = (names.decode() if isinstance(names, bytes) else names).split("\n")
    csv_rotation = [float(r["primary_rotation_deg"]) for r in rows]
    checks.check(len(stored) == len(rows) and names == [r["load_case"] for r in rows] and
                 max(abs(a - b) for a, b in zip(stored, csv_rotation)) < 1e-9,
                 f"moment_rotation.h5 holds the {len(rows)} rows of the CSV")

    # The same load in one increment: the same end state.
    one = args.output = os.path.join(base, "one_increment")
    run_bonefusion(args, settings(1))
    single = {r["load_case"]: r for r in statistics_rows(one)}
    for case in CASES:
        a = number(final[case], "primary_rotation_deg")
        b = number(single[case], "primary_rotation_deg")
        checks.check(abs(a / b - 1) < 1e-6,
                     f"{case}: four increments {a:.8f} deg, one increment {b:.8f} deg")

    # The plot and its stiffness table (Debian's python3 has matplotlib).
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    four = os.path.join(base, "four_increments")
    result = subprocess.run([python, os.path.join(ROOT, "postprocess", "plot_moment_rotation.py"),
                             four], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(result.stdout)
    png = os.path.join(four, "moment_rotation.png")
    checks.check(result.returncode == 0 and os.path.exists(png) and os.path.getsize(png) > 20000,
                 "moment_rotation.png written")
    with open(os.path.join(four, "moment_rotation_stiffness.csv"), newline="") as f:
        stiffness = {r["load_case"]: r for r in csv.DictReader(f)}
    for case in CASES:
        first_rotation = float([r for r in rows if r["load_case"] == case][1][
            "primary_rotation_deg"])
        k = float(stiffness[case]["first_increment_stiffness_Nm_per_deg"])
        checks.check(abs(k - 1.875 / first_rotation) < 1e-4 * k,
                     f"{case}: first-increment stiffness {k:.4f} N m/deg")
        # The elastic-zone intercept: where the last increment's tangent meets zero moment.
        third, fourth = [float(r["primary_rotation_deg"])
                         for r in rows if r["load_case"] == case][3:5]
        expected = fourth - 7.5 * (fourth - third) / 1.875
        x0 = float(stiffness[case]["elastic_zone_intercept_deg"])
        checks.check(abs(x0 - expected) < 1e-4 * abs(fourth),
                     f"{case}: elastic-zone intercept {x0:.5f} deg (expected {expected:.5f})")
    checks.finish()


if __name__ == "__main__":
    main()
