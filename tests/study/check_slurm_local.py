#!/usr/bin/python3
# Requirement (label "slurm", optional): on a machine where SLURM answers (sinfo), the two
# SLURM job scripts finish healing runs through their resubmit chains:
#  1. the job array written by `bonefusion-study slurm` for a 2-case healing study: every job
#     stops after 2 time steps (Checkpoints/Stop after steps = 2: checkpoint, STOPPED, exit 0)
#     and submits its array index again until the case is COMPLETED; each case needs several
#     jobs, its statistics equal a straight local run (rtol 1e-6, as check_healing_restart.py),
#     and `report` writes the report;
#  2. scripts/slurm/bonefusion.sbatch on one healing case, checkpointed by
#     `scancel --batch --signal=USR1` (what --signal=B:USR1@N does before the time limit): the
#     batch shell passes SIGUSR1 on to the ranks, the job resubmits itself with the running
#     job's --ntasks/--time, and the continuation completes with the straight run's statistics.
# Exit 77 (ctest: skipped) when sinfo/sbatch/squeue are missing or SLURM does not answer.
"""Tries the SLURM job scripts on a real (e.g. single-machine) SLURM installation.

Usage: check_slurm_local.py --bonefusion PATH --output DIR [--timeout SECONDS]
The jobs run in the default partition with one task each (BONEFUSION_SLURM_LAUNCHER, if set,
chooses the MPI launcher, as in the scripts). docs/slurm-local-test.md sets up such a SLURM.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
TOOL = os.path.join(ROOT, "scripts", "bonefusion-study")
TEMPLATE = os.path.join(ROOT, "scripts", "slurm", "bonefusion.sbatch")
CASE = os.path.join(ROOT, "cases", "l4l5_tlif_healing.prm")
sys.path.insert(0, os.path.join(ROOT, "tests", "regression"))
import compare_statistics  # noqa: E402

SKIP = 77
STUDY_NAME = "slurmtest"
SINGLE_NAME = "bf-slurmtest-single"
# Study: 50 days in fixed 10-day steps with a visit at day 42 (7 rows), 2 steps per job.
STUDY_SETTINGS = ["Discretization/Voxel size=4", "Output/Write visualization=false",
                  "Time/End time=50", "Time/Time step policy=fixed", "Time/Time step=10",
                  "Time/Follow-up visits=42"]
STUDY = """; written by tests/study/check_slurm_local.py
[study]
name = %s
base = %s
design = full factorial
%s
set = Checkpoints/Stop after steps=2
[factor rod]
Ti   = Instrumentation/Rods/Material=Ti-6Al-4V
PEEK = Instrumentation/Rods/Material=PEEK
""" % (STUDY_NAME, CASE, "\n".join("set = " + s for s in STUDY_SETTINGS))
CASES = {"rod-Ti": "Instrumentation/Rods/Material=Ti-6Al-4V",
         "rod-PEEK": "Instrumentation/Rods/Material=PEEK"}
# Single case: the 24 months at 4 mm (adaptive steps, 20-odd steps), checkpoint every 2 steps.
SINGLE_SETTINGS = ["Discretization/Voxel size=4", "Output/Write visualization=false",
                   "Checkpoints/Interval steps=2"]

FAILURES = []


def check(condition, text):
    print("%s: %s" % ("ok  " if condition else "FAIL", text), flush=True)
    if not condition:
        FAILURES.append(text)


def slurm_answers():
    """None when SLURM is usable here, else the reason to skip."""
    for program in ("sinfo", "sbatch", "squeue", "scancel"):
        if shutil.which(program) is None:
            return "%s not found" % program
    try:
        result = subprocess.run(["sinfo", "-h", "-o", "%a %D %t"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, universal_newlines=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "sinfo did not answer within 30 s"
    if result.returncode != 0:
        return "sinfo failed: %s" % result.stdout.strip()[:300]
    if not re.search(r"^up\s", result.stdout, re.M):
        return "no partition is up: %s" % result.stdout.strip()
    return None


def run(command, **kwargs):
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, **kwargs)
    print(result.stdout.rstrip(), flush=True)
    return result


def jobs_named(name):
    result = subprocess.run(["squeue", "-h", "-n", name, "-o", "%i %T"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, universal_newlines=True)
    return [line for line in result.stdout.splitlines() if line.strip()]


def wait_for(name, deadline):
    """Wait until no job of this name is queued or running; False (jobs cancelled) on time-out."""
    while time.time() < deadline:
        if not jobs_named(name):
            return True
        time.sleep(2)
    print("time-out: cancelling the jobs named %s: %s" % (name, jobs_named(name)))
    subprocess.run(["scancel", "-n", name])
    return False


def straight_run(exe, directory, overrides):
    command = [exe, CASE, "--set", "Output/Directory=%s" % directory]
    for override in overrides:
        command += ["--set", override]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    if result.returncode != 0:
        print(result.stdout[-3000:])
    return result.returncode == 0 and os.path.exists(os.path.join(directory, "COMPLETED"))


def same_statistics(run_dir, reference_dir, label):
    path = os.path.join(run_dir, "statistics.csv")
    if not os.path.exists(path):
        check(False, "%s: statistics.csv exists" % label)
        return
    columns, rows = compare_statistics.read(path)
    ref_columns, ref_rows = compare_statistics.read(os.path.join(reference_dir,
                                                                 "statistics.csv"))
    failures = compare_statistics.compare(columns, rows, ref_columns, ref_rows, 1e-6, 1e-3,
                                          compare_statistics.DEFAULT_SKIP, 1e-6, 1e-4)
    for failure in failures[:10]:
        print("  %s: %s" % (label, failure))
    days = [row["time_days"] for row in rows]
    check(not failures and days == [row["time_days"] for row in ref_rows],
          "%s: statistics equal to the straight run (%d rows, days %s ... %s, no step "
          "missing or repeated)" % (label, len(rows), days[0] if days else "-",
                                    days[-1] if days else "-"))


def resubmissions(text):
    return len(re.findall(r"checkpointed; resubmitting", text))


def study_part(args, out, deadline):
    study = os.path.join(out, "slurmtest.study")
    with open(study, "w") as handle:
        handle.write(STUDY)
    study_out = os.path.join(out, "study")
    result = run([sys.executable, TOOL, "slurm", study, "--output", study_out,
                  "--bonefusion", args.bonefusion, "--np", "1", "--time", "00:05:00"])
    check(result.returncode == 0, "bonefusion-study slurm writes the job script")
    script = os.path.join(study_out, "slurm", "study.sbatch")
    if result.returncode != 0:
        return
    result = run(["sbatch", script])
    check(result.returncode == 0, "sbatch accepts the job array")
    if result.returncode != 0:
        return
    check(wait_for("bf-" + STUDY_NAME, deadline), "the study's jobs end in time")
    logs = "".join(open(p, errors="replace").read()
                   for p in sorted(glob.glob(os.path.join(study_out, "slurm", "*.out"))))
    for name, override in CASES.items():
        directory = os.path.join(study_out, "cases", name)
        check(os.path.exists(os.path.join(directory, "COMPLETED")), "%s: COMPLETED" % name)
        output = open(os.path.join(directory, "bonefusion.out"), errors="replace").read() \
            if os.path.exists(os.path.join(directory, "bonefusion.out")) else ""
        jobs = set(re.findall(r"=== .*: SLURM job (\d+)", output))
        resumed = len(re.findall(r"Resumed from the checkpoint", output))
        check(len(jobs) >= 3 and resumed == len(jobs) - 1,
              "%s: ran in %d SLURM jobs, %d resumed from the checkpoint" % (name, len(jobs),
                                                                           resumed))
        reference = os.path.join(out, "straight-" + name)
        check(straight_run(args.bonefusion, reference, STUDY_SETTINGS + [override]),
              "%s: straight local run completes" % name)
        same_statistics(directory, reference, name)
    check(resubmissions(logs) >= 4, "the array tasks resubmitted themselves (%d times)"
          % resubmissions(logs))
    result = run([sys.executable, TOOL, "report", study, "--output", study_out, "--no-views"])
    check(result.returncode == 0 and
          os.path.exists(os.path.join(study_out, "report", "index.html")),
          "bonefusion-study report writes report/index.html")


def single_part(args, out, deadline):
    directory = os.path.join(out, "single")
    command = ["sbatch", "--parsable", "--job-name=" + SINGLE_NAME, "--ntasks=1",
               "--time=00:07:00", "--output=" + os.path.join(out, "single-%j.out"),
               TEMPLATE, CASE, "--set", "Output/Directory=" + directory]
    for setting in SINGLE_SETTINGS:
        command += ["--set", setting]
    env = dict(os.environ, BONEFUSION=args.bonefusion)
    result = run(command, cwd=out, env=env)
    check(result.returncode == 0, "sbatch accepts scripts/slurm/bonefusion.sbatch")
    if result.returncode != 0:
        return
    first = result.stdout.strip().split(";")[0]
    # Signal the batch shell once the run has its first checkpoint (it is mid-run then).
    signalled = False
    while time.time() < deadline:
        if os.path.exists(os.path.join(directory, "checkpoint.bin")):
            state = subprocess.run(["squeue", "-h", "-j", first, "-o", "%T"],
                                   stdout=subprocess.PIPE, universal_newlines=True).stdout
            if "RUNNING" in state:
                signalled = run(["scancel", "--batch", "--signal=USR1", first]).returncode == 0
            break
        if not jobs_named(SINGLE_NAME):
            break
        time.sleep(0.2)
    check(signalled, "job %s got SIGUSR1 mid-run (scancel --batch --signal=USR1)" % first)
    check(wait_for(SINGLE_NAME, deadline), "the single case's jobs end in time")
    logs = {os.path.basename(p): open(p, errors="replace").read()
            for p in sorted(glob.glob(os.path.join(out, "single-*.out")))}
    text = "".join(logs.values())
    print("job output files: %s" % ", ".join(logs))
    check("USR1 received" in text, "the batch shell received SIGUSR1 and passed it on")
    check(re.search(r"Stopped at day [0-9.]+ after a checkpoint \(signal 10\)", text)
          is not None, "bonefusion checkpointed on the forwarded SIGUSR1")
    check(resubmissions(text) >= 1 and len(logs) >= 2,
          "the job resubmitted itself (%d time(s), %d job output files)"
          % (resubmissions(text), len(logs)))
    check(re.search(r"resubmitting .*--ntasks=1 .*--time=7:00", text) is not None,
          "the resubmission keeps the command line's --ntasks=1 and --time=00:07:00")
    leads = [int(x) for x in re.findall(r"resubmitting .*--signal=B:USR1@(\d+)", text)]
    check(leads and max(leads) <= 210,
          "the resubmission's signal lead is at most half the time limit (%s s), also after "
          "a SIGUSR1 sent by hand" % leads)
    check("Resumed from the checkpoint" in text, "the next job resumed from the checkpoint")
    check(os.path.exists(os.path.join(directory, "COMPLETED")), "single case: COMPLETED")
    reference = os.path.join(out, "straight-single")
    check(straight_run(args.bonefusion, reference, SINGLE_SETTINGS),
          "single case: straight local run completes")
    same_statistics(directory, reference, "single case")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bonefusion", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--timeout", type=float, default=480,
                        help="seconds for all SLURM jobs together (default 480)")
    args = parser.parse_args()
    args.bonefusion = os.path.abspath(args.bonefusion)
    reason = slurm_answers()
    if reason:
        print("SKIPPED: no usable SLURM here (%s); docs/slurm-local-test.md sets one up"
              % reason)
        return SKIP
    out = os.path.abspath(args.output)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    deadline = time.time() + args.timeout
    started = time.time()
    study_part(args, out, deadline)
    single_part(args, out, deadline)
    print("%d check(s) failed; %.0f s" % (len(FAILURES), time.time() - started) if FAILURES
          else "all checks passed; %.0f s" % (time.time() - started))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
