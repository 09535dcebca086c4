#!/usr/bin/env python3
"""Requirement (issue 16): the lordotic L3-S1 column runs end to end and gives the same
per-level results on 1 and 2 ranks; the hybrid protocol (scripts/bonefusion-hybrid) brings the
two-level L4-S1 construct to the intact column's total motion within 1 %, the free level
above the fusion moves more and the fused levels less; a failed comparison leaves no
hybrid.csv and names the problem.

  check_column.py ranks  --bonefusion EXE --case cases/l3s1_intact.prm --output DIR
  check_column.py hybrid --bonefusion EXE --case cases/l3s1_intact.prm
                         --instrumented cases/l4s1_tlif_ti.prm --output DIR [--np 2]
  check_column.py follower --bonefusion EXE --case cases/l3s1_intact.prm --output DIR [--np 2]
  check_column.py rotation --bonefusion EXE --case cases/l3s1_intact.prm --output DIR [--np 2]
  check_column.py facets --bonefusion EXE --case cases/l3s1_intact.prm --output DIR [--np 2]
  check_column.py curved --bonefusion EXE --case cases/l3s1_intact.prm --output DIR [--np 2]
  check_column.py healing --bonefusion EXE --case cases/l4s1_tlif_healing.prm --output DIR
                          [--np 2]
  check_column.py held --bonefusion EXE --case cases/l3s1_intact.prm --output DIR [--np 2]
All at 4 mm voxels with flexion and left axial rotation (coarse: minutes, not hours). The
follower check: a 400 N preload along the curve of the lordotic column (a cable through the
vertebral bodies) compresses it with much less sagittal rotation at every level than the same
preload along the top vertebra's axis, and the per-disc load sharing, kink forces included,
sums to the load above each disc. The rotation check: the column turned a quarter turn about
the vertical axis (Geometry/Column rotation = 90, which maps the voxel grid onto itself) gives
every per-level result of the unturned one (frames, loads in the top vertebra's frame).
The facets check: with Geometry/Facet orientation = per level the upper lumbar joints turn
towards the sagittal plane (L1-L2 by 22 deg, L2-L3 by 16 deg), and sagittal joints stop
axial rotation and extension sooner: both fall by more than 1 % at L1-L2 and L2-L3 of an
L1-L3 column against uniform joints (measured -2.7 to -3.6 %). A sign error in the offset
would turn them coronal instead: all joints at 75 deg change the same four motions by -0.7
to +1.2 %, which fails the check.
The curved check: with Geometry/Facet surfaces = curved every level's load paths still sum
to the applied load, extension closes both joints equally, left axial rotation presses the
right joints (more than three times the left's force), the column turned a quarter turn
gives the same per-level results (the surfaces' axes turn with it), one rank gives those of
two, and an unknown surface fails naming the parameter.
The healing check: a two-level L4-S1 TLIF healing over 12 months inside an L3-S1 column (4 mm)
keeps one graft per fused level: each has its own follow-up rows, grade IV at 6 weeks and
grade I at 12 months, its own time to fusion between the 3- and the 12-month visit and a
graft that stiffens; the free level above reports no graft; at every step each fused level's
standing-load shares (graft and cage, rods and screws, posterior elements, disc, ligaments)
sum to one; the fused levels stiffen (flexion-extension down by more than 2 %: measured 31 % at
L4-L5, 5 % at L5-S1, where the rods carry more) while the free level's motion
stays within 5 % (nothing of the grafts' state leaks into it).
The held check (issue 17): the finite-strain path on L1-S1 in flexion (4 mm, 4 load
increments) with the joints' and bands' states held by an outer active-set iteration
(Mechanics/Joint states = active set) reaches the equilibrium of the semi-smooth iteration:
every per-level result within 1e-5 of its column's scale, with at least one state update.
With bands that measure their stretch (Ligaments/Finite-strain band strain = stretch) every
level's load sharing sums to the moment within 2e-2, where the axial strain's imbalance
exceeds 4e-2 at L4-L5.
"""
import argparse
import csv
import math
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verification_common import Checks, add_run_arguments, bonefusion_command, run_bonefusion  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COARSE = {"Discretization/Voxel size": "4",
          "Loads/Load cases": "flexion, left axial rotation"}


def run_serial(args, settings, output):
    """Runs the case on one rank with `settings` into `output` (bad-input checks expect it to
    fail); returns the finished process with its combined output in .stdout."""
    one_rank = argparse.Namespace(**dict(vars(args), np=1, output=output))
    return subprocess.run(bonefusion_command(one_rank, settings), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def rows(directory):
    with open(os.path.join(directory, "statistics.csv"), newline="") as f:
        return list(csv.DictReader(f))


def check_ranks(args, checks):
    """np 1 and np 2 give the same per-level results (CG tolerance)."""
    base = os.path.abspath(args.output)
    results = {}
    for np in (1, 2):
        args.np, args.output = np, os.path.join(base, "np%d" % np)
        run_bonefusion(args, COARSE)
        results[np] = rows(args.output)
    per_level = [c for c in results[1][0] if c[:2] in ("L3", "L4", "L5")
                 and not c.endswith("relative_error")]
    checks.check(len(per_level) > 60, f"{len(per_level)} per-level columns (3 levels)")
    worst, where = 0.0, ""
    for a, b in zip(results[1], results[2]):
        for c in per_level:
            va, vb = float(a[c] or "nan"), float(b[c] or "nan")
            if math.isnan(va) and math.isnan(vb):
                continue
            scale = max(abs(float(r[c] or 0)) for r in results[1]) or 1.0
            if abs(va - vb) / scale > worst:
                worst, where = abs(va - vb) / scale, f"{c} [{a['load_case']}]"
    print(f"np 1 vs np 2: largest difference {worst:.1e} of a column's scale ({where})")
    checks.check(worst < 1e-5, f"np 1 and np 2 agree to {worst:.1e} of each column's scale "
                 f"(worst {where})")
    for r in results[2]:
        for level in ("L3_L4", "L4_L5", "L5_S1"):
            e = float(r[level + "_load_sharing_relative_error"])
            checks.check(e < 1e-6, f"{r['load_case']}: {level} load sharing sums to the "
                         f"applied moment ({e:.1e})")
        checks.check(all(float(r[level + "_primary_rotation_deg"]) > 0.3
                         for level in ("L3_L4", "L4_L5", "L5_S1")),
                     f"{r['load_case']}: every level moves in the loaded direction")


def hybrid_command(args, instrumented, output):
    # The script runs with its own interpreter (Debian's python3, which has matplotlib).
    command = [os.path.join(ROOT, "scripts", "bonefusion-hybrid"), args.case,
               instrumented, "--output", output, "--bonefusion", args.bonefusion,
               "--np", str(args.np)]
    for key, value in COARSE.items():
        command += ["--set", f"{key}={value}"]
    return command


def check_hybrid(args, checks):
    output = os.path.abspath(args.output)
    shutil.rmtree(output, ignore_errors=True)
    command = hybrid_command(args, args.instrumented, output)
    env = dict(os.environ, BONEFUSION_MPIRUN=args.mpirun)
    print("running:", " ".join(command), flush=True)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    print(result.stdout[-3000:])
    checks.check(result.returncode == 0, f"bonefusion-hybrid exits 0 (got {result.returncode})")
    table = os.path.join(output, "hybrid.csv")
    png = os.path.join(output, "hybrid.png")
    checks.check(os.path.exists(table) and os.path.exists(png) and os.path.getsize(png) > 10000,
                 "hybrid.csv and hybrid.png written")
    if not os.path.exists(table):
        return
    with open(table, newline="") as f:
        hybrid = list(csv.DictReader(f))
    for case in ("flexion", "left axial rotation"):
        r = {row["level"]: row for row in hybrid if row["load_case"] == case}
        checks.check(set(r) == {"L3-L4", "L4-L5", "L5-S1"}, f"{case}: three levels reported")
        if len(r) != 3:
            continue
        intact, construct = float(r["L3-L4"]["intact_total_deg"]), \
            float(r["L3-L4"]["instrumented_total_deg"])
        checks.check(abs(construct / intact - 1) <= 0.01,
                     f"{case}: construct total {construct:.3f} deg = intact {intact:.3f} deg "
                     f"within 1 %")
        moment = float(r["L3-L4"]["hybrid_moment_Nm"])
        checks.check(moment > 7.5, f"{case}: the stiffer construct needs more than the intact "
                     f"7.5 N m ({moment:.2f} N m)")
        above = float(r["L3-L4"]["rotation_change_percent"])
        checks.check(above > 10, f"{case}: the free level above the fusion moves more "
                     f"({above:+.1f} %)")
        for level in ("L4-L5", "L5-S1"):
            fused = float(r[level]["rotation_change_percent"])
            checks.check(fused < -50, f"{case}: fused {level} moves less ({fused:+.1f} %)")

    # Bad input: a construct on other levels than the intact model fails, with no table.
    other = os.path.join(output, "l4s1_only.prm")
    with open(args.instrumented) as src, open(other, "w") as dst:
        dst.write(src.read().replace("set Levels = L3-S1", "set Levels = L4-S1"))
    bad = os.path.join(output, "bad")
    result = subprocess.run(hybrid_command(args, other, bad), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    checks.check(result.returncode == 1 and "different levels" in result.stdout and
                 not os.path.exists(os.path.join(bad, "hybrid.csv")),
                 "models on different levels: exit 1 naming it, no hybrid.csv "
                 f"(exit {result.returncode}: {result.stdout.strip().splitlines()[-1:]})")
    result = subprocess.run(hybrid_command(args, os.path.join(output, "missing.prm"), bad),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    checks.check(result.returncode == 1 and "missing.prm" in result.stdout,
                 "a missing case file: exit 1 naming it")


def check_follower(args, checks):
    base = os.path.abspath(args.output)
    rotation = {}
    for path in ("vertebral bodies", "loaded surface"):
        args.output = os.path.join(base, path.replace(" ", "_"))
        run_bonefusion(args, {"Discretization/Voxel size": "4",
                              "Loads/Load cases": "flexion", "Loads/Moment": "0",
                              "Loads/Follower preload": "400", "Loads/Follower path": path})
        row = rows(args.output)[0]
        rotation[path] = {level: float(row[level + "_rotation_x_deg"])
                          for level in ("L3_L4", "L4_L5", "L5_S1")}
        print(f"400 N preload through the {path}: sagittal rotation per level (deg) "
              + ", ".join(f"{k} {v:+.4f}" for k, v in rotation[path].items()))
        for level in ("L3_L4", "L4_L5", "L5_S1"):
            e = float(row[level + "_load_sharing_relative_error"])
            checks.check(e < 1e-6, f"preload through the {path}: {level} load sharing sums "
                         f"to the load above the disc ({e:.1e})")
    along = max(abs(v) for v in rotation["vertebral bodies"].values())
    top = max(abs(v) for v in rotation["loaded surface"].values())
    checks.check(along < 0.25 * top, f"the path along the column bends the levels at most "
                 f"{along:.4f} deg, under a quarter of the {top:.4f} deg of the preload along "
                 "the top vertebra's axis")
    # Bad input: an offset cannot go with the path through the bodies; named, non-zero exit.
    args.output = os.path.join(base, "offset")
    result = run_serial(args, {"Loads/Follower preload": 400, "Loads/Follower path offset": 5,
                               "Discretization/Voxel size": 4}, args.output)
    checks.check(result.returncode != 0 and "Loads/Follower path offset" in result.stdout,
                 f"a path offset with the path through the bodies fails naming the parameter "
                 f"(exit {result.returncode})")


def largest_difference(reference, other):
    """Largest difference between the per-level and applied-load columns of two runs, each
    relative to the largest magnitude of its column in `reference`; and where it is."""
    compared = [c for c in reference[0] if c[:2] in ("L3", "L4", "L5")
                and not c.endswith("relative_error")] + \
        [c for c in reference[0] if c.startswith("applied_")]
    worst, where = 0.0, ""
    for a, b in zip(reference, other):
        for c in compared:
            va, vb = float(a[c] or "nan"), float(b[c] or "nan")
            if math.isnan(va) and math.isnan(vb):
                continue
            scale = max(abs(float(r[c] or 0)) for r in reference) or 1.0
            if not abs(va - vb) / scale <= worst:
                worst, where = abs(va - vb) / scale, f"{c} [{a['load_case']}]"
    return worst, where, len(compared)


def check_rotation(args, checks):
    base = os.path.abspath(args.output)
    results = {}
    for turn in ("0", "90"):
        args.output = os.path.join(base, "turn" + turn)
        run_bonefusion(args, {"Discretization/Voxel size": "4",
                              "Loads/Load cases": "flexion, left lateral bending, "
                                                  "left axial rotation",
                              "Geometry/Column rotation": turn})
        results[turn] = rows(args.output)
    worst, where, compared = largest_difference(results["0"], results["90"])
    checks.check(compared > 60, f"{compared} per-level and applied-load columns")
    print(f"turned a quarter turn vs not: largest difference {worst:.1e} of a column's scale "
          f"({where})")
    checks.check(worst < 1e-6, f"a quarter turn of the column changes no per-level result by "
                 f"more than {worst:.1e} of its scale (worst {where})")
    result = run_serial(args, {"Geometry/Column rotation": 45}, os.path.join(base, "bad"))
    checks.check(result.returncode != 0 and "Column rotation" in result.stdout,
                 f"a turn that is not a quarter turn fails naming the parameter "
                 f"(exit {result.returncode})")


def check_curved(args, checks):
    """Curved facet surfaces: the joints carry the load they should and the run is the same
    turned a quarter turn (the surfaces' axes turn with the column)."""
    base = os.path.abspath(args.output)
    results = {}
    for turn in ("0", "90"):
        args.output = os.path.join(base, "turn" + turn)
        run_bonefusion(args, {"Discretization/Voxel size": "4",
                              "Loads/Load cases": "extension, left axial rotation",
                              "Geometry/Facet surfaces": "curved",
                              "Geometry/Column rotation": turn})
        results[turn] = rows(args.output)
    levels = ("L3_L4", "L4_L5", "L5_S1")
    for r in results["0"]:
        case = r["load_case"]
        for level in levels:
            error = float(r[f"{level}_load_sharing_relative_error"])
            checks.check(error < 1e-6, f"{level} {case}: the load paths sum to the applied "
                         f"load (relative error {error:.1e})")
            left = float(r[f"{level}_facet_left_force_N"])
            right = float(r[f"{level}_facet_right_force_N"])
            print(f"{level} {case}: facet forces left {left:.1f} N, right {right:.1f} N")
            if case == "extension":
                checks.check(min(left, right) > 20 and abs(left - right) < 1e-6 * left,
                             f"{level} extension: both joints close, equally "
                             f"({left:.1f} and {right:.1f} N)")
            else:
                # Turning left drives the upper vertebra's right inferior process into the
                # lower one's superior process: the right joint takes the load.
                checks.check(right > 20 and right > 3 * left,
                             f"{level} left axial rotation: the right joint is pressed "
                             f"({right:.1f} N against {left:.1f} N on the left)")
    worst, where, compared = largest_difference(results["0"], results["90"])
    checks.check(compared > 30 and worst < 1e-6,
                 f"a quarter turn changes no per-level result of the curved joints by more "
                 f"than {worst:.1e} of its scale ({compared} columns, worst {where})")
    # One rank against the ranks above (the process voxels' neighbour test must not depend
    # on which rank owns a cell).
    ranks = args.np
    args.np, args.output = 1, os.path.join(base, "np1")
    run_bonefusion(args, {"Discretization/Voxel size": "4",
                          "Loads/Load cases": "extension, left axial rotation",
                          "Geometry/Facet surfaces": "curved"})
    args.np = ranks
    worst, where, compared = largest_difference(results["0"], rows(args.output))
    checks.check(compared > 30 and worst < 1e-6,
                 f"np 1 and np {ranks} agree on every per-level result of the curved joints "
                 f"(largest difference {worst:.1e} of a column's scale, {where})")
    result = run_serial(args, {"Geometry/Facet surfaces": "round"}, os.path.join(base, "bad"))
    checks.check(result.returncode != 0 and "Facet surfaces" in result.stdout
                 and not os.path.exists(os.path.join(base, "bad", "statistics.csv")),
                 f"an unknown facet surface fails naming the parameter, with no results "
                 f"(exit {result.returncode})")


def check_facets(args, checks):
    base = os.path.abspath(args.output)
    motion = {}
    for mode in ("uniform", "per level"):
        args.output = os.path.join(base, mode.replace(" ", "_"))
        run_bonefusion(args, {"Discretization/Voxel size": "4", "Geometry/Levels": "L1-L3",
                              "Loads/Load cases": "extension, left axial rotation",
                              "Geometry/Facet orientation": mode,
                              # the joint law's orientation alone, on the pads it was made on
                              "Geometry/Facet surfaces": "pads"})
        motion[mode] = {(r["load_case"], level): abs(float(r[f"{level}_rotation_{axis}_deg"]))
                        for r in rows(args.output)
                        for level in ("L1_L2", "L2_L3")
                        for axis in ("x" if r["load_case"] == "extension" else "z",)}
    for key, uniform in motion["uniform"].items():
        turned = motion["per level"][key]
        change = turned / uniform - 1
        print(f"{key[1]} {key[0]}: uniform {uniform:.4f} deg, per level {turned:.4f} deg "
              f"({100 * change:+.1f} %)")
        checks.check(change < -0.01, f"{key[1]} {key[0]}: the more sagittal joints stop the "
                     f"motion sooner ({100 * change:+.1f} %, expected below -1 %)")


def check_held(args, checks):
    base = os.path.abspath(args.output)
    results, logs = {}, {}
    runs = (("semi-smooth", "axial strain"), ("active set", "axial strain"),
            ("active set", "stretch"))
    for states, band_strain in runs:
        name = states if band_strain == "axial strain" else "stretch"
        args.output = os.path.join(base, name.replace(" ", "_"))
        run_bonefusion(args, {"Geometry/Levels": "L1-S1", "Discretization/Voxel size": "4",
                              "Loads/Load cases": "flexion",
                              "Mechanics/Formulation": "finite strain",
                              "Mechanics/Load increments": "4",
                              "Mechanics/Joint states": states,
                              "Ligaments/Finite-strain band strain": band_strain,
                              "Output/Write visualization": "false"})
        results[name] = rows(args.output)
        with open(os.path.join(args.output, "log.txt")) as f:
            logs[name] = f.read()
    # Bands that measure their stretch (objective) balance each disc's load sharing where
    # the axial strain, which reads the upper levels' turn as a shortening, does not:
    # measured 1.5e-2 at every level against 0.9e-2 (L1-L2) growing to 5.9e-2 (L4-L5). L5-S1
    # (0.2-0.3 either way) is the 4 mm mesh: its cut is not closed at that voxel size.
    upper = ("L1_L2", "L2_L3", "L3_L4", "L4_L5")
    for name in ("active set", "stretch"):
        errors = [float(results[name][0][f"{level}_load_sharing_relative_error"])
                  for level in upper]
        print(f"{name}: load-sharing errors L1-L2..L4-L5 " +
              ", ".join(f"{e:.1e}" for e in errors))
        if name == "stretch":
            checks.check(max(errors) < 2e-2, f"stretch bands: every upper level's load sharing "
                         f"sums to the moment within 2e-2 (worst {max(errors):.1e})")
        else:
            checks.check(max(errors) > 4e-2, f"axial-strain bands: the imbalance grows down "
                         f"the column (worst {max(errors):.1e}, measured 5.9e-2)")
    updates = int(results["active set"][0]["contact_iterations"])
    checks.check(updates > 0 and int(results["semi-smooth"][0]["contact_iterations"]) == 0,
                 f"the held solve updated the states {updates} times, the semi-smooth none")
    # Each per-level column against its scale, floored at 1e-3 of the largest column of the
    # same unit (a flexion leaves the out-of-plane moments at round-off, 1e-8 N mm).
    reference, held = results["semi-smooth"][0], results["active set"][0]
    columns = [c for c in reference if c[:2] in ("L1", "L2", "L3", "L4", "L5")
               and not c.endswith("relative_error") and reference[c] not in ("", "nan")]
    unit_scale = {}
    for c in columns:
        unit = c.rsplit("_", 1)[-1]
        unit_scale[unit] = max(unit_scale.get(unit, 0.0), abs(float(reference[c])))
    worst, where = 0.0, ""
    for c in columns:
        scale = max(abs(float(reference[c])), 1e-3 * unit_scale[c.rsplit("_", 1)[-1]]) or 1.0
        difference = abs(float(held[c]) - float(reference[c])) / scale
        if difference > worst:
            worst, where = difference, c
    print(f"held vs semi-smooth: largest difference {worst:.1e} of a column's scale ({where})")
    checks.check(len(columns) > 100 and worst < 1e-5,
                 f"held states reach the semi-smooth equilibrium: {len(columns)} per-level "
                 f"columns within {worst:.1e} of their scale (worst {where})")


def check_healing(args, checks):
    """Healing over time on a two-level construct: one graft state per fused level."""
    run_bonefusion(args, {"Discretization/Voxel size": "4", "Geometry/Levels": "L3-S1",
                          "Time/End time": "365"})
    fused, free = ("L4-L5", "L5-S1"), "L3-L4"
    with open(os.path.join(args.output, "follow_ups.csv"), newline="") as f:
        visits = list(csv.DictReader(f))
    seen = sorted({(v["segment"], float(v["day"])) for v in visits})
    expected = sorted((s, d) for s in fused for d in (42.0, 91.0, 182.0, 365.0))
    fused_rows = sorted(r for r in seen if r[0] in fused)
    checks.check(fused_rows == expected, f"follow_ups.csv: one row per fused level and visit: "
                 f"{fused_rows}")
    free_rows = [v for v in visits if v["segment"] == free]
    checks.check(len(free_rows) == 4 and all(v["grade_description"] == "no graft" and
                                             v["fusion_grade"] == "nan" for v in free_rows),
                 f"follow_ups.csv: the free level {free} is listed with no graft and no grade")
    for segment in fused:
        grade = {float(v["day"]): int(v["fusion_grade"]) for v in visits
                 if v["segment"] == segment}
        checks.check(grade.get(42.0) == 4 and grade.get(365.0) == 1,
                     f"{segment}: grade IV at 6 weeks, grade I at 12 months ({grade})")
    with open(os.path.join(args.output, "log.txt")) as f:
        log = f.read().splitlines()
    checks.check(any(line.startswith(f"Time to fusion at {free}") and "no graft" in line
                     for line in log), f"{free} reports that it has no graft")
    for segment in fused:
        line = next((line for line in log if line.startswith(f"Time to fusion at {segment}")),
                    "")
        days = float(line.rsplit(":", 1)[1].split()[0]) if "days" in line else float("nan")
        checks.check(91 < days < 365, f"{segment}: time to fusion {days} days, between the "
                     f"3- and the 12-month visit")
    steps = rows(args.output)
    for segment in fused:
        level = segment.replace("-", "_")
        modulus = [float(r[f"{level}_graft_mean_modulus_MPa"]) for r in steps]
        checks.check(modulus[-1] > 5 * modulus[0], f"{segment}: the graft stiffens "
                     f"({modulus[0]:.0f} -> {modulus[-1]:.0f} MPa)")
        worst = max(abs(sum(float(r[f"{level}_share_{part}_fraction"])
                            for part in ("graft_cage", "rods_screws", "posterior", "disc",
                                         "ligaments")) - 1)
                    for r in steps)
        checks.check(worst < 1e-6, f"{segment}: the standing load's shares sum to one at every "
                     f"step (worst {worst:.1e})")
        rom = [float(r[f"{level}_rom_flexion_extension_deg"]) for r in steps]
        checks.check(rom[-1] < 0.98 * rom[0], f"{segment}: flexion-extension falls as it fuses "
                     f"({rom[0]:.4f} -> {rom[-1]:.4f} deg)")
    # The plot of the time series draws one curve per fused level (scripts/run calls it).
    plot = os.path.join(ROOT, "postprocess", "plot_healing.py")
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    png = os.path.join(args.output, "healing.png")
    result = subprocess.run([python, plot, args.output], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    checks.check(result.returncode == 0 and os.path.exists(png) and os.path.getsize(png) > 20000,
                 f"healing.png of the two-level run written ({result.stdout.strip()})")
    rom = [float(r["L3_L4_rom_flexion_extension_deg"]) for r in steps]
    change = rom[-1] / rom[0] - 1
    checks.check(abs(change) < 0.05, f"{free}: flexion-extension {rom[0]:.4f} -> {rom[-1]:.4f} "
                 f"deg ({100 * change:+.1f} %, within 5 %)")


def ligament_moduli(args, levels, voxel):
    """{region name: E [MPa]} of the ligament bands, as `--dry-run` prints them."""
    command = bonefusion_command(args, {"Geometry/Levels": levels,
                                        "Discretization/Voxel size": voxel}, ["--dry-run"])
    log = subprocess.run(command, capture_output=True, text=True)
    if log.returncode != 0:
        sys.exit(f"FAIL: {' '.join(command)} exited with {log.returncode}:\n{log.stdout[-2000:]}")
    moduli = {}
    for m in re.finditer(r"region (L\d-[LS]\d (?:anterior longitudinal ligament|posterior "
                         r"longitudinal ligament|ligamentum flavum|interspinous ligament))"
                         r"\s.*?E =\s*([\d.e+-]+) MPa", log.stdout):
        moduli[m.group(1)] = float(m.group(2))
    return moduli


def check_bands(args, checks):
    """A ligament band's modulus is scaled by its section at the disc's mid-surface, measured
    on the mesh. The same band at the same level must get the same modulus whatever the levels
    above it, although its disc lies tilted differently against the voxels (L4-L5 by 23° in
    L1-S1 and by 15° in L3-S1). At 2 mm the one-layer count gave the L4-L5 anterior ligament
    12.4 MPa in L1-S1 and 62.1 MPa in L3-S1, the L5-S1 one 10.4 and 6.9 MPa, and the L5-S1
    flavum 2.27 and 1.70 MPa; the hat-weighted count gives them within 1, 18 and 6 %. The
    thin bands of the most tilted disc (L5-S1: 40° and 33°) still spread that much, hence
    25 %, which the one-layer count failed by up to a factor of 5."""
    voxel = 2
    long_column = ligament_moduli(args, "L1-S1", voxel)
    short_column = ligament_moduli(args, "L3-S1", voxel)
    bands = [f"{level} {band}" for level in ("L3-L4", "L4-L5", "L5-S1")
             for band in ("anterior longitudinal ligament", "ligamentum flavum")]
    for band in bands:
        a, b = long_column.get(band), short_column.get(band)
        if a is None or b is None:
            checks.check(False, f"{band}: modulus printed in both dry runs ({a}, {b})")
            continue
        spread = abs(a - b) / min(a, b)
        checks.check(spread < 0.25, f"{band}: {a:.3f} MPa in L1-S1, {b:.3f} MPa in L3-S1 at "
                                    f"{voxel} mm ({100 * spread:.1f} % apart, within 25 %)")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["ranks", "hybrid", "follower", "rotation", "facets",
                                         "curved", "healing", "held", "bands"])
    parser.add_argument("--instrumented", help="instrumented case file (hybrid)")
    add_run_arguments(parser)
    args = parser.parse_args()
    checks = Checks()
    if args.mode == "ranks":
        check_ranks(args, checks)
    elif args.mode == "follower":
        check_follower(args, checks)
    elif args.mode == "rotation":
        check_rotation(args, checks)
    elif args.mode == "facets":
        check_facets(args, checks)
    elif args.mode == "curved":
        check_curved(args, checks)
    elif args.mode == "healing":
        check_healing(args, checks)
    elif args.mode == "held":
        check_held(args, checks)
    elif args.mode == "bands":
        check_bands(args, checks)
    else:
        check_hybrid(args, checks)
    checks.finish()


if __name__ == "__main__":
    main()
