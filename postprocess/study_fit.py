#!/usr/bin/python3
"""How well the finite-strain cases of a design study match its measured curves.

The study's data file ('data =' in the study file, copied to <output>/data.csv) lists measured
points: case ('*' for every case), load_case, moment_Nm, rotation_deg, optionally sd_deg,
source, pressure_MPa (nucleus pressure at that moment) and role ('fit' or 'validation'; empty
means fit). For every completed case with moment_rotation.csv the model's rotation about the
load's axis (and its nucleus pressure) is interpolated linearly at each measured moment
between the converged load increments, and the case is scored by the root-mean-square error
of its 'fit' points, in degrees. 'validation' points are scored separately and never rank.

Writes <output>/report/fit_points.csv (one row per case and point) and fit_ranking.csv (one row
per case, best first). Used by study_report.py for the calibration table; run alone:

  study_fit.py OUTPUT_DIR     prints the ranking
"""

import csv
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import study_design  # noqa: E402

ROTATION_SUFFIX = "primary_rotation_deg"
PRESSURE_COLUMN = "nucleus_mean_pressure_MPa"


def measured_points(output):
    """The rows of <output>/data.csv as dicts with numbers ([] without a data file)."""
    path = os.path.join(output, "data.csv")
    if not os.path.isfile(path):
        return []
    points = []
    for _, row in study_design.read_data_file(path):
        def number(column):
            text = (row.get(column) or "").strip()
            return float(text) if text else math.nan
        points.append({"case": row["case"].strip(), "load_case": row["load_case"].strip(),
                       "moment_Nm": float(row["moment_Nm"]),
                       "rotation_deg": float(row["rotation_deg"]),
                       "sd_deg": number("sd_deg"), "pressure_MPa": number("pressure_MPa"),
                       "source": (row.get("source") or "").strip() or "data",
                       "role": (row.get("role") or "").strip() or "fit"})
    return points


def read_curves(case_dir):
    """{load case: {segment prefix: (moments [N m], rotations [deg], pressures [MPa])}} of
    one case's moment_rotation.csv, in increment order ('' is the prefix of a single segment,
    'L4_L5_' one level of several; pressure NaN where the table has none), or None when the
    file is missing or empty."""
    path = os.path.join(case_dir, "moment_rotation.csv")
    if not os.path.isfile(path):
        return None
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        return None
    prefixes = [c[:-len(ROTATION_SUFFIX)] for c in rows[0] if c.endswith(ROTATION_SUFFIX)]
    curves = {}
    for row in rows:
        moment = math.sqrt(sum(float(row["applied_moment_%s_Nmm" % a]) ** 2
                               for a in "xyz")) / 1000
        per_segment = curves.setdefault(row["load_case"], {})
        for prefix in prefixes:
            pressure = row.get(prefix + PRESSURE_COLUMN)
            m, r, p = per_segment.setdefault(prefix, ([], [], []))
            m.append(moment)
            r.append(float(row[prefix + ROTATION_SUFFIX]))
            p.append(float(pressure) if pressure else math.nan)
    return curves


def model_curves(case_dir):
    """{load case: (moments, rotations, pressures)} of a single-segment case (read_curves), or
    None when the file is missing or belongs to a model of several levels (whose measured
    rotation would be ambiguous)."""
    curves = read_curves(case_dir)
    if not curves or any(len(segments) != 1 for segments in curves.values()):
        return None
    return {load_case: next(iter(segments.values())) for load_case, segments in curves.items()}


def interpolate(xs, ys, x):
    """Linear interpolation of ys(xs) at x; NaN outside [min xs, max xs]. xs increase."""
    for i in range(1, len(xs)):
        if xs[i - 1] <= x <= xs[i] and xs[i] > xs[i - 1]:
            t = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
            return ys[i - 1] + t * (ys[i] - ys[i - 1])
    return math.nan


def _rms(values):
    values = [v for v in values if math.isfinite(v)]
    return math.sqrt(sum(v * v for v in values) / len(values)) if values else math.nan


def score(output, case_names):
    """(points, ranking): every measured point of every case with the model's value at its
    moment, and one summary per case sorted by the RMS rotation error of its fit points
    (cases without fit points last)."""
    measured = measured_points(output)
    points, ranking = [], []
    for case in case_names:
        curves = model_curves(os.path.join(output, "cases", case))
        mine = [p for p in measured if p["case"] in (case, "*")]
        if curves is None or not mine:
            continue
        for p in mine:
            m, r, pr = curves.get(p["load_case"], ([], [], []))
            model = interpolate(m, r, p["moment_Nm"])
            pressure = interpolate(m, pr, p["moment_Nm"])
            points.append(dict(p, case=case, model_rotation_deg=model,
                               rotation_error_deg=model - p["rotation_deg"],
                               model_pressure_MPa=pressure,
                               pressure_error_MPa=pressure - p["pressure_MPa"]))
        own = [p for p in points if p["case"] == case]
        summary = {"case": case}
        for role in ("fit", "validation"):
            errors = [p["rotation_error_deg"] for p in own if p["role"] == role]
            finite = [e for e in errors if math.isfinite(e)]
            summary[role + "_points"] = len(finite)
            summary[role + "_rms_deg"] = _rms(errors)
            summary[role + "_max_abs_deg"] = max((abs(e) for e in finite), default=math.nan)
            summary[role + "_pressure_rms_MPa"] = _rms(
                [p["pressure_error_MPa"] for p in own if p["role"] == role])
        summary["outside_curve"] = sum(1 for p in own if not math.isfinite(p["model_rotation_deg"]))
        ranking.append(summary)
    ranking.sort(key=lambda s: (not math.isfinite(s["fit_rms_deg"]),
                                s["fit_rms_deg"] if math.isfinite(s["fit_rms_deg"]) else 0))
    return points, ranking


POINT_COLUMNS = ["case", "source", "role", "load_case", "moment_Nm", "rotation_deg", "sd_deg",
                 "model_rotation_deg", "rotation_error_deg", "pressure_MPa",
                 "model_pressure_MPa", "pressure_error_MPa"]
RANKING_COLUMNS = ["case", "fit_points", "fit_rms_deg", "fit_max_abs_deg",
                   "fit_pressure_rms_MPa", "validation_points", "validation_rms_deg",
                   "validation_max_abs_deg", "validation_pressure_rms_MPa", "outside_curve"]


def _text(value):
    if isinstance(value, float):
        return "" if math.isnan(value) else "%.6g" % value
    return str(value)


def write(folder, points, ranking):
    """fit_points.csv and fit_ranking.csv in ``folder``; returns their paths."""
    os.makedirs(folder, exist_ok=True)
    paths = []
    for name, columns, rows in (("fit_points.csv", POINT_COLUMNS, points),
                                ("fit_ranking.csv", RANKING_COLUMNS, ranking)):
        path = os.path.join(folder, name)
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_text(row[c]) for c in columns])
        paths.append(path)
    return paths


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="the study's output directory")
    args = parser.parse_args(argv)
    cases = sorted(os.listdir(os.path.join(args.output, "cases")))
    points, ranking = score(args.output, cases)
    if not ranking:
        print("study_fit: no case with moment_rotation.csv and measured points in %s"
              % args.output, file=sys.stderr)
        return 1
    for path in write(os.path.join(args.output, "report"), points, ranking):
        print("wrote " + path)
    for s in ranking:
        print("%-40s fit RMS %6.3f deg (max %6.3f, %d points)   validation RMS %6.3f deg"
              % (s["case"], s["fit_rms_deg"], s["fit_max_abs_deg"], s["fit_points"],
                 s["validation_rms_deg"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
