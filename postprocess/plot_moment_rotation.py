#!/usr/bin/env python3
"""Plots the moment-rotation curves of a finite-strain run (moment_rotation.csv, one row per
converged load increment, written with 'Mechanics/Formulation = finite strain') as one PNG:
a panel per load case, a curve per motion segment, the applied moment [N m] against the
segment's rotation about the load's axis [deg]. Also writes moment_rotation_stiffness.csv
and prints, per load case and segment, the stiffness of the first increment (from rest) and
of the last one [N m/deg] (their ratio shows how much the segment stiffens along the curve)
and the nucleus pressure at the end of the load case [MPa].

It also writes the elastic-zone intercept [deg]: where the tangent of the last increment
(the elastic zone) crosses zero moment, rotation_end - moment_end / k_last. It is the part of
the motion that happens before the segment reaches its end stiffness: 0 for a straight curve,
larger the softer the curve starts. A cadaver's neutral zone proper (the lax range left after
unloading, or the low-stiffness range of a loading-unloading loop) needs hysteresis, which a
hyperelastic model has none of; this loading-curve measure can be taken on measured curves
too (Heuer's disc-alone flexion: 10.11 - 7.5 / (2.5 / 1.73) = 4.9 deg).

Usage: python3 postprocess/plot_moment_rotation.py RESULTS_DIR [OUT.png]
       (default RESULTS_DIR/moment_rotation.png)
Needs matplotlib (Debian: python3-matplotlib).
"""
import csv
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SUFFIX = "primary_rotation_deg"


def moment_Nm(row):
    return math.sqrt(sum(float(row[f"applied_moment_{a}_Nmm"]) ** 2 for a in "xyz")) / 1000


PRESSURE = "nucleus_mean_pressure_MPa"


def curves(rows):
    """{load case: {segment prefix: [(rotation deg, moment N m, nucleus pressure MPa), ...]}}
    in increment order (pressure nan where the table has none)."""
    prefixes = [c[:-len(SUFFIX)] for c in rows[0] if c.endswith(SUFFIX)]
    out = {}
    for row in rows:
        per_case = out.setdefault(row["load_case"], {p: [] for p in prefixes})
        for p in prefixes:
            pressure = float(row.get(p + PRESSURE) or "nan")
            per_case[p].append((float(row[p + SUFFIX]), moment_Nm(row), pressure))
    return out


def stiffness(points):
    """(first, last) increment stiffness [N m/deg]; nan where a rotation does not change."""
    def slope(a, b):
        d = b[0] - a[0]
        return (b[1] - a[1]) / d if abs(d) > 1e-12 else math.nan
    if len(points) < 2:
        return math.nan, math.nan
    return slope(points[0], points[1]), slope(points[-2], points[-1])


def elastic_zone_intercept(points):
    """Rotation [deg] where the last increment's tangent crosses zero moment (nan without
    two points or with a flat last increment)."""
    _, last = stiffness(points)
    if not math.isfinite(last) or last == 0:
        return math.nan
    return points[-1][0] - points[-1][1] / last


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__)
        return 2
    directory = argv[0]
    out = argv[1] if len(argv) > 1 else os.path.join(directory, "moment_rotation.png")
    path = os.path.join(directory, "moment_rotation.csv")
    if not os.path.exists(path):
        print(f"{path} not found: moment-rotation curves are written by finite-strain runs "
              "('Mechanics/Formulation = finite strain')", file=sys.stderr)
        return 1
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        print(f"{path} has no rows", file=sys.stderr)
        return 1
    data = curves(rows)
    cases = [c for c in data if any(abs(p[1]) > 0 for pts in data[c].values() for p in pts)]
    if not cases:
        print(f"{path}: no load case applies a moment", file=sys.stderr)
        return 1
    columns = min(3, len(cases))
    lines = math.ceil(len(cases) / columns)
    figure, axes = plt.subplots(lines, columns, figsize=(5 * columns, 4 * lines),
                                constrained_layout=True, squeeze=False)
    table = []
    for axis, case in zip(axes.flat, cases):
        for prefix, points in data[case].items():
            label = prefix.rstrip("_").replace("_", "-") or "segment"
            axis.plot([p[0] for p in points], [p[1] for p in points], "o-", ms=3, label=label)
            first, last = stiffness(points)
            table.append((case, label, len(points) - 1, points[-1][1], points[-1][0], first,
                          last, elastic_zone_intercept(points), points[-1][2]))
        axis.set_title(case)
        axis.set_xlabel("rotation about the load's axis [deg]")
        axis.set_ylabel("moment [N m]")
        axis.grid(alpha=0.3)
        if len(data[case]) > 1:
            axis.legend(fontsize=7)
    for axis in list(axes.flat)[len(cases):]:
        axis.set_visible(False)
    figure.suptitle("Moment-rotation curves (one point per load increment)")
    figure.savefig(out, dpi=110)
    stiffness_path = os.path.join(os.path.dirname(os.path.abspath(out)),
                                  "moment_rotation_stiffness.csv")
    with open(stiffness_path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["load_case", "segment", "increments", "moment_Nm", "rotation_deg",
                         "first_increment_stiffness_Nm_per_deg",
                         "last_increment_stiffness_Nm_per_deg", "elastic_zone_intercept_deg",
                         "nucleus_pressure_MPa"])
        for row in table:
            writer.writerow([row[0], row[1], row[2]] + [f"{v:.6g}" for v in row[3:]])
    print(f"{'load case':24s} {'segment':8s} {'incr':>4s} {'M [N m]':>8s} {'rot [deg]':>9s} "
          f"{'k first':>8s} {'k last':>8s} {'EZ x0':>7s} {'p [MPa]':>8s}  (k in N m/deg; EZ x0: "
          "elastic-zone intercept [deg]; p: nucleus at the end)")
    for case, label, n, m, r, first, last, x0, p in table:
        print(f"{case:24s} {label:8s} {n:4d} {m:8.3f} {r:9.3f} {first:8.3f} {last:8.3f} "
              f"{x0:7.3f} {p:8.3f}")
    print(f"wrote {out} and {stiffness_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
