#!/usr/bin/env python3
"""Compares a run's statistics.csv with a reviewed reference, column by column.

A value v passes against its reference r when
    |v - r| <= rtol * max(|r|, floor * s)
where s is the largest |value| of that column in the reference: values near zero (coupled
motions, forces of absent parts) are judged against the column's scale, not their own.
Empty cells (not applicable, NaN) must be empty in both. Text columns must be equal. The
rows must be the same load cases in the same order, and the two files must have the same
columns except the skipped ones (timing, solver effort, round-off-level load-sharing error).

Optional sanity checks on the run alone: --max-load-sharing-error (every row's
load_sharing_relative_error below it), --positive-primary-rotation CASE (the row's
primary_rotation_deg > 0: the segment moves in the named direction), --max-column
COLUMN=VALUE (every row's |COLUMN| below VALUE) and --section-balance (imported meshes: the
section_<region>_force_{x,y,z}_N columns sum to applied_force_{x,y,z}_N within 1e-6 of the
largest force in the row).

Usage:
  compare_statistics.py RUN.csv [REFERENCE.csv] [--rtol 1e-5] [--floor 1e-3]
                        [--atol-force 0] [--atol-moment 0]
                        [--skip COLUMN ...] [--max-load-sharing-error 0.01]
                        [--positive-primary-rotation flexion ...]
Exit code 0 when everything agrees, 1 otherwise; the differing columns are printed.
"""
import argparse
import csv
import math
import sys

# Timing and solver effort vary between machines and rank counts; the load-sharing error is
# round-off (1e-10) whose digits vary with the rank count: it is bounded by
# --max-load-sharing-error instead. Newton iterations depend on the start (a resumed run
# steps the load from rest where a straight one starts from the previous step).
DEFAULT_SKIP = ["solve_seconds", "cg_iterations", "newton_iterations",
                "load_sharing_relative_error", "equilibrium_relative_error"]


def read(path):
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def number(text):
    """float of a cell, None for an empty or non-numeric cell."""
    text = text.strip()
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return None if math.isnan(value) else value


def compare(run_columns, run_rows, ref_columns, ref_rows, rtol, floor, skip, atol_force=0.0,
            atol_moment=0.0):
    """Returns a list of failure lines."""
    failures = []
    skipped = set(skip)
    missing = [c for c in ref_columns if c not in run_columns and c not in skipped]
    extra = [c for c in run_columns if c not in ref_columns and c not in skipped]
    if missing:
        failures.append("columns missing from the run: " + ", ".join(missing))
    if extra:
        failures.append("columns not in the reference (regenerate it?): " + ", ".join(extra))
    if len(run_rows) != len(ref_rows):
        failures.append(f"{len(run_rows)} rows in the run, {len(ref_rows)} in the reference")
        return failures
    key = [c for c in ("time_days", "load_case") if c in ref_columns and c in run_columns]
    for i, (a, b) in enumerate(zip(run_rows, ref_rows)):
        if [a[c] for c in key] != [b[c] for c in key]:
            failures.append(f"row {i + 1}: {[a[c] for c in key]} in the run, "
                            f"{[b[c] for c in key]} in the reference")
    if failures:
        return failures

    for column in ref_columns:
        if column in skipped or column not in run_columns:
            continue
        ref_values = [number(r[column]) for r in ref_rows]
        scale = max([abs(v) for v in ref_values if v is not None], default=0.0)
        worst = None  # (excess ratio, row, run text, reference text)
        for i, (a, b) in enumerate(zip(run_rows, ref_rows)):
            va, vb = number(a[column]), ref_values[i]
            label = a.get("load_case", str(i + 1))
            if vb is None or va is None:
                if a[column].strip() != b[column].strip():
                    failures.append(f"{column} [{label}]: {a[column]!r} in the run, "
                                    f"{b[column]!r} in the reference")
                continue
            atol = (atol_force if column.endswith("_N") else
                    atol_moment if column.endswith("_Nmm") else 0.0)
            tolerance = max(rtol * max(abs(vb), floor * scale), atol)
            difference = abs(va - vb)
            if difference > tolerance:
                ratio = difference / tolerance if tolerance > 0 else math.inf
                if worst is None or ratio > worst[0]:
                    worst = (ratio, label, va, vb, difference, tolerance)
        if worst is not None:
            ratio, label, va, vb, difference, tolerance = worst
            rel = difference / abs(vb) if vb != 0 else math.inf
            failures.append(f"{column}: worst row '{label}': run {va!r}, reference {vb!r}, "
                            f"|diff| {difference:.3g} (relative {rel:.3g}) > tolerance "
                            f"{tolerance:.3g}")
    return failures


def sanity(columns, rows, max_error, positive_cases, max_columns=(), section_balance=False):
    failures = []
    if max_error is not None:
        # Every segment's load paths sum to the applied load: its relative error column
        # (load_sharing_relative_error, or <segment>_load_sharing_relative_error in models
        # of several segments) stays below the bound on every row.
        error_columns = [c for c in columns if c.endswith("load_sharing_relative_error")]
        if not error_columns:
            failures.append("no load_sharing_relative_error column to check")
        for column in error_columns:
            for r in rows:
                v = number(r[column])
                if v is None or not v < max_error:
                    failures.append(f"{column} [{r.get('load_case')}] = {r[column]!r}, must be "
                                    f"below {max_error} (the load paths do not sum to the "
                                    f"applied load)")
    for spec in max_columns:
        column, _, limit = spec.partition("=")
        if column not in columns:
            failures.append(f"no column {column}")
            continue
        for r in rows:
            v = number(r[column])
            if v is None or not abs(v) < float(limit):
                failures.append(f"{column} [{r.get('load_case')}] = {r[column]!r}, "
                                f"must be below {limit} in magnitude")
    if section_balance:
        parts = {d: [c for c in columns if c.startswith("section_") and c.endswith(f"_force_{d}_N")]
                 for d in "xyz"}
        if not parts["z"]:
            failures.append("no section_<region>_force_z_N columns")
        for r in rows:
            values = [abs(number(r[c]) or 0.0) for d in "xyz" for c in parts[d]]
            values += [abs(number(r.get(f"applied_force_{d}_N", "")) or 0.0) for d in "xyz"]
            scale = max(values + [1e-12])
            for d in "xyz":
                total = sum(number(r[c]) or 0.0 for c in parts[d])
                applied = number(r.get(f"applied_force_{d}_N", ""))
                if applied is None or abs(total - applied) > 1e-6 * scale:
                    failures.append(f"sections sum to {total!r} N in {d} [{r.get('load_case')}], "
                                    f"applied force is {r.get(f'applied_force_{d}_N')!r} N")
    for case in positive_cases:
        found = [r for r in rows if r.get("load_case") == case]
        if not found:
            failures.append(f"no row for load case '{case}'")
        for r in found:
            v = number(r.get("primary_rotation_deg", ""))
            if v is None or not v > 0:
                failures.append(f"primary_rotation_deg [{case}] = "
                                f"{r.get('primary_rotation_deg')!r}, must be > 0")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", help="statistics.csv of the run")
    parser.add_argument("reference", nargs="?", help="reviewed reference CSV")
    parser.add_argument("--rtol", type=float, default=1e-5, help="relative tolerance [-]")
    parser.add_argument("--floor", type=float, default=1e-3,
                        help="fraction of the column's largest |value| below which values "
                             "are compared absolutely [-]")
    parser.add_argument("--atol-force", type=float, default=0.0,
                        help="absolute difference that always passes in force columns (*_N), "
                             "for columns that are round-off, e.g. reactions across the load [N]")
    parser.add_argument("--atol-moment", type=float, default=0.0,
                        help="the same for moment columns (*_Nmm) [N mm]")
    parser.add_argument("--skip", action="append", default=None,
                        help="column not compared (repeatable; default: "
                             + ", ".join(DEFAULT_SKIP) + ")")
    parser.add_argument("--max-load-sharing-error", type=float, default=None)
    parser.add_argument("--positive-primary-rotation", action="append", default=[],
                        metavar="CASE")
    parser.add_argument("--max-column", action="append", default=[], metavar="COLUMN=VALUE")
    parser.add_argument("--section-balance", action="store_true")
    args = parser.parse_args()

    run_columns, run_rows = read(args.run)
    failures = sanity(run_columns, run_rows, args.max_load_sharing_error,
                      args.positive_primary_rotation, args.max_column, args.section_balance)
    if args.reference:
        ref_columns, ref_rows = read(args.reference)
        skip = args.skip if args.skip is not None else DEFAULT_SKIP
        failures += compare(run_columns, run_rows, ref_columns, ref_rows, args.rtol,
                            args.floor, skip, args.atol_force, args.atol_moment)
        compared = len([c for c in ref_columns if c not in skip])
        print(f"compared {compared} columns x {len(ref_rows)} rows of {args.run} with "
              f"{args.reference} (rtol {args.rtol:g}, floor {args.floor:g} x column scale)")
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("OK")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
