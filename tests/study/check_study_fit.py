#!/usr/bin/python3
"""study_fit.py on a made-up study output: two cases with known moment-rotation curves and
measured points for every case ('*') and for one case; the errors, RMS values, ranking,
validation points and points beyond a curve are checked against numbers worked out by hand.
Exit 0 when every check passes."""

import csv
import math
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "postprocess"))
import study_fit  # noqa: E402
import study_design  # noqa: E402

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def write_curve(folder, slope_deg_per_Nm, pressure_per_Nm):
    """A case whose flexion turns slope * M degrees (and its nucleus pressure p * M) at 0, 2,
    4 N m about x; extension is not run."""
    os.makedirs(folder)
    with open(os.path.join(folder, "moment_rotation.csv"), "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["load_case", "load_fraction", "primary_rotation_deg",
                      "applied_moment_x_Nmm", "applied_moment_y_Nmm", "applied_moment_z_Nmm",
                      "nucleus_mean_pressure_MPa"])
        for moment in (0.0, 2.0, 4.0):
            out.writerow(["flexion", moment / 4, slope_deg_per_Nm * moment, moment * 1000, 0, 0,
                          pressure_per_Nm * moment])


def main():
    output = tempfile.mkdtemp(prefix="study_fit_")
    try:
        write_curve(os.path.join(output, "cases", "soft"), 2.0, 0.1)
        write_curve(os.path.join(output, "cases", "stiff"), 1.0, 0.05)
        data = os.path.join(output, "data.csv")
        with open(data, "w") as handle:
            handle.write("# made-up points\n"
                         "case,load_case,moment_Nm,rotation_deg,sd_deg,pressure_MPa,source,role\n"
                         "*,flexion,1.0,1.5,,0.2,A,fit\n"        # soft 2.0 (+0.5); stiff 1.0 (-0.5)
                         "*,flexion,3.0,4.0,,,A,\n"              # soft 6.0 (+2); stiff 3.0 (-1)
                         "*,flexion,6.0,9.0,,,A,fit\n"           # beyond both curves
                         "*,extension,1.0,1.0,,,A,fit\n"         # load case not run
                         "stiff,flexion,2.0,1.0,0.5,,B,validation\n")  # stiff 2.0 (+1)
        study_design._check_data_file(data, "test")
        points, ranking = study_fit.score(output, ["soft", "stiff"])
        by_case = {s["case"]: s for s in ranking}
        check([s["case"] for s in ranking] == ["stiff", "soft"],
              "ranking best first: %s" % [s["case"] for s in ranking])
        check(math.isclose(by_case["stiff"]["fit_rms_deg"], math.sqrt((0.25 + 1) / 2)),
              "stiff: fit RMS sqrt((0.5^2 + 1^2)/2) = 0.7906, got %.6f"
              % by_case["stiff"]["fit_rms_deg"])
        check(math.isclose(by_case["soft"]["fit_rms_deg"], math.sqrt((0.25 + 4) / 2)),
              "soft: fit RMS sqrt((0.5^2 + 2^2)/2) = 1.4577, got %.6f"
              % by_case["soft"]["fit_rms_deg"])
        check(by_case["soft"]["fit_points"] == 2 and by_case["soft"]["outside_curve"] == 2,
              "soft: 2 points scored, 2 beyond its curve (6 N m; extension not run)")
        check(by_case["stiff"]["validation_points"] == 1 and
              math.isclose(by_case["stiff"]["validation_rms_deg"], 1.0) and
              by_case["soft"]["validation_points"] == 0,
              "a case's own validation point is scored for it alone, and does not rank")
        check(math.isclose(by_case["soft"]["fit_pressure_rms_MPa"], 0.1) and
              math.isclose(by_case["stiff"]["fit_pressure_rms_MPa"], 0.15),
              "pressure error at 1 N m (the only measured one): soft |0.1 - 0.2|, stiff "
              "|0.05 - 0.2|")
        error = [p["rotation_error_deg"] for p in points
                 if p["case"] == "soft" and p["moment_Nm"] == 3.0][0]
        check(math.isclose(error, 2.0), "soft at 3 N m: interpolated 6.0 - 4.0 = 2.0")
        paths = study_fit.write(os.path.join(output, "report"), points, ranking)
        with open(paths[1], newline="") as handle:
            rows = list(csv.DictReader(handle))
        check(rows[0]["case"] == "stiff" and abs(float(rows[0]["fit_rms_deg"]) - 0.790569) < 1e-5,
              "fit_ranking.csv: best case first with its RMS")
        # A role other than fit / validation is refused, naming the row.
        with open(data, "a") as handle:
            handle.write("*,flexion,2.0,1.0,,,A,check\n")
        try:
            study_design._check_data_file(data, "test")
            check(False, "an unknown role is refused")
        except study_design.StudyError as error:
            check("role 'check'" in str(error) and "row" in str(error),
                  "an unknown role is refused: %s" % error)
    finally:
        shutil.rmtree(output)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
