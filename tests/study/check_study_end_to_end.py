#!/usr/bin/python3
# Requirement: a 2 x 2 design study runs, gathers (4 cases x 2 load cases = 8 rows) and reports
# (index.html + 5 non-empty PNGs); a second run skips the COMPLETED cases; a broken case fails
# with its log in the summary (exit 1) while the others complete; bad study files fail naming
# file:line; parameter names and values are checked before anything runs (expand and slurm
# refuse, run marks the bad case FAILED and runs the rest); interrupted (checkpointed) healing
# cases resume on the next run, and the healing report has its over-time figures and ranking.
"""End-to-end test of scripts/bonefusion-study on a very coarse model (voxel 4 mm).

Usage: check_study_end_to_end.py --bonefusion PATH --output DIR [--jobs N]
Exit 0 when every check passes; prints each check.
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
TOOL = os.path.join(ROOT, "scripts", "bonefusion-study")
BASE = os.path.join(ROOT, "cases", "l4l5_tlif_ti.prm")

STUDY = """; 2 x 2 on the coarse model
[study]
name = e2e
base = {base}
design = full factorial
set = Discretization/Voxel size=4
set = Output/Write visualization=false
set = Loads/Load cases=flexion, compression
reference = rod-Ti_bone-normal
[factor rod]
Ti   = Instrumentation/Rods/Material=Ti-6Al-4V
PEEK = Instrumentation/Rods/Material=PEEK
[factor bone]
normal       = Patient/Bone quality=normal
osteoporotic = Patient/Bone quality=osteoporotic
{extra}"""

FAILURES = []


def check(condition, text):
    print("%s: %s" % ("ok  " if condition else "FAIL", text))
    if not condition:
        FAILURES.append(text)


def tool(*args):
    """Run bonefusion-study; return (exit code, stdout + stderr)."""
    started = time.time()
    result = subprocess.run([sys.executable, TOOL] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True)
    print("--- bonefusion-study %s: exit %d in %.1f s" % (" ".join(args[:1]), result.returncode,
                                                         time.time() - started))
    return result.returncode, result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bonefusion", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--jobs", default="2")
    args = parser.parse_args()
    shutil.rmtree(args.output, ignore_errors=True)
    os.makedirs(args.output)
    common = ["--bonefusion", args.bonefusion, "--jobs", args.jobs]

    # 1. the 2 x 2 study: all complete, gathered table and report
    good = os.path.join(args.output, "good.study")
    with open(good, "w") as handle:
        handle.write(STUDY.format(base=BASE, extra=""))
    out = os.path.join(args.output, "good")
    code, text = tool("run", good, "--output", out, *common)
    print(text)
    check(code == 0, "2 x 2 study: exit code 0")
    names = ["rod-Ti_bone-normal", "rod-Ti_bone-osteoporotic", "rod-PEEK_bone-normal",
             "rod-PEEK_bone-osteoporotic"]
    for name in names:
        check(os.path.isfile(os.path.join(out, "cases", name, "COMPLETED")),
              "%s COMPLETED" % name)
    code, text = tool("report", good, "--output", out)
    print(text)
    check(code == 0, "report: exit code 0")
    with open(os.path.join(out, "study.csv"), newline="") as handle:
        rows = list(csv.DictReader(handle))
    check(len(rows) == 8, "study.csv has 4 cases x 2 load cases = 8 rows (%d)" % len(rows))
    check(sorted({(r["case"], r["load_case"]) for r in rows}) ==
          sorted((n, lc) for n in names for lc in ("flexion", "compression")),
          "study.csv rows are every case x {flexion, compression}")
    check(all(r["rod"] in ("Ti", "PEEK") and r["bone"] in ("normal", "osteoporotic")
              for r in rows), "study.csv has the factor columns rod and bone")
    check(os.path.getsize(os.path.join(out, "study.h5")) > 0, "study.h5 written")
    report = os.path.join(out, "report")
    for name in ("index.html", "rom.png", "rom_reduction.png", "load_share.png",
                 "implant_stress.png", "endplate_stress.png"):
        path = os.path.join(report, name)
        check(os.path.isfile(path) and os.path.getsize(path) > 0, "report/%s non-empty" % name)
    with open(os.path.join(report, "index.html")) as handle:
        page = handle.read()
    check(all(n in page for n in names), "index.html names every case")

    # 1b. a study of columns: the report shows each level's motion (rom_per_level.png)
    column = os.path.join(args.output, "column.study")
    with open(column, "w") as handle:
        handle.write("""[study]
name = column
base = %s
design = full factorial
set = Discretization/Voxel size=4
set = Output/Write visualization=false
set = Loads/Load cases=flexion
set = Facet joints/Contact=bonded
set = Ligaments/Behaviour=linear
[factor fusion]
one-level = Instrumentation/Cage/Levels=L5-S1
one-level = Instrumentation/Pedicle screws/Levels=L5, S1
two-level = Instrumentation/Cage/Levels=L4-L5, L5-S1
""" % os.path.join(ROOT, "cases", "l4s1_tlif_ti.prm"))
    out_column = os.path.join(args.output, "column_out")
    code, text = tool("run", column, "--output", out_column, *common)
    print(text)
    check(code == 0, "column study: exit code 0")
    code, text = tool("report", column, "--output", out_column, "--no-views")
    path = os.path.join(out_column, "report", "rom_per_level.png")
    check(code == 0 and os.path.isfile(path) and os.path.getsize(path) > 10000,
          "column study: report/rom_per_level.png written")
    with open(os.path.join(out_column, "study.csv"), newline="") as handle:
        column_rows = list(csv.DictReader(handle))

    # 1c. finite-strain cases: the report plots their moment-rotation curves
    curves = os.path.join(args.output, "curves.study")
    with open(curves, "w") as handle:
        handle.write("""[study]
name = curves
base = %s
design = full factorial
set = Discretization/Voxel size=4
set = Output/Write visualization=false
set = Loads/Load cases=flexion
set = Facet joints/Contact=bonded
set = Ligaments/Behaviour=linear
set = Mechanics/Formulation=finite strain
set = Mechanics/Load increments=3
set = Mechanics/Grow load increments=false
data = curves_data.csv
[factor fibres]
linear       = Annulus fibres/Law=linear
tension-only = Annulus fibres/Law=tension only
""" % os.path.join(ROOT, "cases", "l4l5_intact_rom.prm"))
    data = os.path.join(args.output, "curves_data.csv")
    with open(data, "w") as handle:
        handle.write("# measured points drawn with the curves\n"
                     "case,load_case,moment_Nm,rotation_deg,sd_deg,source,role\n"
                     "fibres-linear,flexion,7.5,1.2,0.3,made up,\n"
                     "*,flexion,5.0,1.0,,made up,fit\n")
    out_curves = os.path.join(args.output, "curves_out")
    code, text = tool("run", curves, "--output", out_curves, *common)
    print(text)
    check(code == 0, "finite-strain study: exit code 0")
    code, text = tool("report", curves, "--output", out_curves, "--no-views")
    path = os.path.join(out_curves, "report", "moment_rotation.png")
    check(code == 0 and os.path.isfile(path) and os.path.getsize(path) > 10000,
          "finite-strain study: report/moment_rotation.png written")
    check(os.path.isfile(os.path.join(out_curves, "data.csv")),
          "finite-strain study: its data file copied to the output")
    # The report scores every case against the points ('*': every case): the model's
    # rotation at 5 N m is the computed row at 2/3 of the load (3 equal increments).
    with open(os.path.join(out_curves, "report", "fit_points.csv"), newline="") as handle:
        fitted = [r for r in csv.DictReader(handle) if r["moment_Nm"] == "5"]
    for case in ("fibres-linear", "fibres-tension-only"):
        with open(os.path.join(out_curves, "cases", case, "moment_rotation.csv")) as handle:
            computed = float(list(csv.DictReader(handle))[2]["primary_rotation_deg"])
        mine = [r for r in fitted if r["case"] == case]
        check(len(mine) == 1 and abs(float(mine[0]["model_rotation_deg"]) - computed) < 1e-5
              and abs(float(mine[0]["rotation_error_deg"]) - (computed - 1.0)) < 1e-5,
              "%s: scored at 5 N m with its computed rotation %.5f deg" % (case, computed))
    # A data file that names a case the study does not have is refused before anything runs.
    with open(data, "a") as handle:
        handle.write("fibres-exponential,flexion,7.5,1.0,,made up\n")
    code, text = tool("run", curves, "--output", out_curves + "_bad", *common)
    check(code != 0 and "fibres-exponential" in text and "does not have" in text,
          "data file with an unknown case refused (%s)" % text.strip()[-200:])
    for case in ("fibres-linear", "fibres-tension-only"):
        with open(os.path.join(out_curves, "cases", case, "moment_rotation.csv")) as handle:
            n = sum(1 for _ in handle) - 1
        check(n == 4, "%s: 4 rows of moment_rotation.csv (rest + 3 increments), got %d"
              % (case, n))
    motion = {r["fusion"]: float(r["L4_L5_primary_rotation_deg"]) for r in column_rows}
    check(motion.get("one-level", 0) > 3 * motion.get("two-level", 1),
          "column study: L4-L5 moves more when only L5-S1 is fused (%s)" % motion)

    # 2. a second run skips the completed cases
    stamps = {n: os.path.getmtime(os.path.join(out, "cases", n, "COMPLETED")) for n in names}
    code, text = tool("run", good, "--output", out, *common)
    print(text)
    check(code == 0, "second run: exit code 0")
    check(all("skip     %s: already COMPLETED" % n in text for n in names),
          "second run reports every case as skipped")
    check("start " not in text, "second run starts no case")
    check(all(os.path.getmtime(os.path.join(out, "cases", n, "COMPLETED")) == stamps[n]
              for n in names), "second run leaves the COMPLETED files untouched")

    # 3. a broken level: its cases fail with their log, the others complete
    broken = os.path.join(args.output, "broken.study")
    with open(broken, "w") as handle:
        handle.write(STUDY.format(base=BASE, extra="").replace(
            "osteoporotic = Patient/Bone quality=osteoporotic",
            "broken       = Patient/Bone quality=brittle").replace(
            "PEEK = Instrumentation/Rods/Material=PEEK\n", ""))
    out_broken = os.path.join(args.output, "broken")
    code, text = tool("run", broken, "--output", out_broken, *common)
    print(text)
    check(code == 1, "study with a broken case: exit code 1 (%d)" % code)
    check(os.path.isfile(os.path.join(out_broken, "cases", "rod-Ti_bone-normal", "COMPLETED")),
          "the good case of the broken study COMPLETED")
    check(os.path.isfile(os.path.join(out_broken, "cases", "rod-Ti_bone-broken", "FAILED")),
          "the broken case is marked FAILED")
    check("--- rod-Ti_bone-broken failed" in text and "brittle" in text,
          "the summary names the failed case and shows its log (the bad value)")
    code, text = tool("report", broken, "--output", out_broken)
    check(code == 0 and os.path.isfile(os.path.join(out_broken, "report", "index.html")),
          "report of a study with a failed case still written")

    # 3b. parameter names and values are checked before anything runs
    typo = os.path.join(args.output, "typo.study")
    with open(typo, "w") as handle:
        handle.write(STUDY.format(base=BASE, extra="").replace(
            "PEEK = Instrumentation/Rods/Material=PEEK",
            "PEEK = Instrumentation/Rods/Materal=PEEK"))
    out_typo = os.path.join(args.output, "typo")
    code, text = tool("expand", typo, "--output", out_typo, "--bonefusion", args.bonefusion)
    check(code == 1 and "2 of 4 case(s) have invalid parameters" in text and
          "rod-PEEK_bone-normal" in text and
          "unknown parameter 'Instrumentation/Rods/Materal'" in text,
          "expand names the cases with an unknown parameter (exit %d)" % code)
    code, text = tool("slurm", typo, "--output", out_typo, "--bonefusion", args.bonefusion)
    check(code == 1 and "no job script written" in text and
          not os.path.exists(os.path.join(out_typo, "slurm", "study.sbatch")),
          "slurm refuses a study with invalid cases and writes no job script (exit %d)" % code)
    code, text = tool("expand", good, "--output", out, "--bonefusion", args.bonefusion)
    check(code == 0 and "parameters of all 4 case(s) checked" in text,
          "expand checks the parameters of a valid study (exit %d)" % code)

    # 4. bad study files fail naming file and line
    bad = os.path.join(args.output, "bad_line.study")
    with open(bad, "w") as handle:
        handle.write(STUDY.format(base=BASE, extra="").replace(
            "Ti   = Instrumentation", "Ti   : Instrumentation"))
    code, text = tool("expand", bad)
    check(code == 1 and "bad_line.study:11:" in text, "malformed line: error names file:line")
    listed = os.path.join(args.output, "bad_level.study")
    with open(listed, "w") as handle:
        handle.write(STUDY.format(base=BASE, extra="[case one]\nrod = Steel\n").replace(
            "full factorial", "list"))
    code, text = tool("expand", listed)
    check(code == 1 and "bad_level.study:17:" in text and "no level 'Steel'" in text,
          "unknown level in a list design: error names file:line and the level")

    # 5. an interrupted (checkpointed) healing case resumes on the next run: the first run
    #    stops after 2 of 3 steps (STOPPED, exit 1), the second resumes and completes.
    healing = os.path.join(args.output, "healing.study")
    with open(healing, "w") as handle:
        handle.write("""[study]
name = resume
base = {base}
design = full factorial
set = Discretization/Voxel size=4
set = Output/Write visualization=false
set = Time/End time=30
set = Time/Time step policy=fixed
set = Time/Time step=10
set = Checkpoints/Stop after steps=2
[factor graft]
auto = Graft healing/Graft type=autograft
allo = Graft healing/Graft type=allograft
""".format(base=os.path.join(ROOT, "cases", "l4l5_tlif_healing.prm")))
    out_healing = os.path.join(args.output, "resume")
    case_dirs = [os.path.join(out_healing, "cases", "graft-" + g) for g in ("auto", "allo")]
    code, text = tool("run", healing, "--output", out_healing, *common)
    check(code == 1 and all(os.path.isfile(os.path.join(d, "STOPPED")) and
                            not os.path.isfile(os.path.join(d, "COMPLETED")) for d in case_dirs),
          "interrupted healing cases: STOPPED after the first run (exit %d)" % code)
    code, text = tool("run", healing, "--output", out_healing, *common)
    resumed = []
    for d in case_dirs:
        with open(os.path.join(d, "log.txt")) as handle:
            resumed.append("Resumed from the checkpoint at day 20" in handle.read() and
                           os.path.isfile(os.path.join(d, "COMPLETED")))
    check(code == 0 and all(resumed),
          "second run resumes both interrupted cases from day 20 and completes (exit %d)" % code)

    # 6. the healing report: one row per case and time row, the over-time figures, ranking
    code, text = tool("report", healing, "--output", out_healing, "--no-views")
    print(text)
    check(code == 0, "healing report: exit code 0")
    rows_per_case = []
    for d in case_dirs:
        with open(os.path.join(d, "statistics.csv"), newline="") as handle:
            rows_per_case.append(len(list(csv.DictReader(handle))))
    with open(os.path.join(out_healing, "study.csv"), newline="") as handle:
        gathered = list(csv.DictReader(handle))
    check(len(gathered) == sum(rows_per_case) and min(rows_per_case) >= 4,
          "healing study.csv has every time row of both cases (%d = %s)"
          % (len(gathered), " + ".join(map(str, rows_per_case))))
    days = sorted({float(r["time_days"]) for r in gathered if r["case"] == "graft-allo"})
    check(days[0] == 0 and days[-1] == 30, "time rows run from day 0 to day 30 (%s)" % days)
    report = os.path.join(out_healing, "report")
    for name in ("healing.png", "time_to_fusion.png"):
        path = os.path.join(report, name)
        check(os.path.isfile(path) and os.path.getsize(path) > 10000,
              "healing report/%s written (%d bytes)"
              % (name, os.path.getsize(path) if os.path.isfile(path) else 0))
    with open(os.path.join(report, "index.html")) as handle:
        page = handle.read()
    check("Ranking" in page and "graft-auto" in page and "graft-allo" in page,
          "healing report has the ranking table with both cases")
    # the autograft heals faster than the allograft (rate factor 1 vs 0.6): its modulus at
    # day 30 is higher, and the ranking lists it first
    final = {r["case"]: float(r["graft_mean_modulus_MPa"]) for r in gathered
             if float(r["time_days"]) == 30}
    check(final.get("graft-auto", 0) > final.get("graft-allo", 1e30),
          "autograft stiffer than allograft at day 30 (%s)" % final)
    ranking = page[page.find("Ranking"):]
    check(0 <= ranking.find("graft-auto") < ranking.find("graft-allo"),
          "the ranking puts the autograft first")

    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
