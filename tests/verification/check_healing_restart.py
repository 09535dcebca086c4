#!/usr/bin/env python3
"""Requirement: a run over time stopped half-way (checkpoint) and resumed gives the same
statistics as a run straight through, also when resumed on a different number of MPI ranks;
SIGTERM finishes the step, checkpoints and exits 0; an interrupted run leaves STOPPED and no
tables that look complete.

Three runs of the coarse healing case (4 mm voxels, 50 days in fixed 10-day steps and a visit
at day 42):
  A  straight through with --np ranks;
  B1 with Checkpoints/Stop after steps = 3 (exit 0, STOPPED, checkpoint.bin, no statistics.csv,
     no COMPLETED), then B2 resumed with --resume-np ranks into the same directory;
  C  stopped by SIGTERM after its first checkpoint appears, then resumed.
B2's and C's statistics.csv must equal A's to rtol 1e-6 (the state is restored bit for bit; the
CG runs restart from zero instead of the previous step's solution, so solutions agree to the
solver tolerance, 1e-8).

With --set "Mechanics/Formulation=finite strain" the same holds for a nonlinear run: the
resumed run's Newton solves step the load from rest where the straight run starts from the
previous step's solution, and both converge to the Newton tolerance (1e-8 of the load).
"""
import argparse
import csv
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verification_common import (Checks, add_run_arguments, run_command as run,  # noqa: E402
                                  same_statistics)

SETTINGS = {"Discretization/Voxel size": "4", "Time/End time": "50",
            "Time/Time step policy": "fixed", "Time/Time step": "10",
            "Time/Follow-up visits": "42", "Output/Write visualization": "false",
            "Checkpoints/Interval steps": "2"}


def command(args, np, output, extra=None):
    cmd = [args.bonefusion, args.case, "--set", f"Output/Directory={output}"]
    for key, value in {**SETTINGS, **args.settings, **(extra or {})}.items():
        cmd += ["--set", f"{key}={value}"]
    if np > 1:
        cmd = shlex.split(args.mpirun) + ["-np", str(np)] + cmd
    return cmd


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    add_run_arguments(parser)
    parser.add_argument("--resume-np", type=int, default=2,
                        help="MPI ranks of the resumed run (B2)")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE", help="a further parameter of every run")
    args = parser.parse_args()
    args.settings = dict(item.split("=", 1) for item in args.overrides)
    root = os.path.abspath(args.output)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    checks = Checks()
    a, b, c = (os.path.join(root, x) for x in "ABC")

    checks.check(run(command(args, args.np, a)) == 0 and
                 os.path.exists(os.path.join(a, "COMPLETED")), "straight run completes")
    if args.settings.get("Mechanics/Formulation") == "finite strain":
        with open(os.path.join(a, "statistics.csv")) as f:
            rows = list(csv.DictReader(f))
        newton = [int(float(r.get("newton_iterations") or 0)) for r in rows]
        checks.check(len(rows) > 1 and all(n > 0 for n in newton),
                     f"every step of the straight run solved by Newton ({newton} iterations)")

    code = run(command(args, args.np, b, {"Checkpoints/Stop after steps": "3"}))
    checks.check(code == 0, f"stop after 3 steps exits 0 (got {code})")
    for name, present in [("STOPPED", True), ("checkpoint.bin", True), ("COMPLETED", False),
                          ("statistics.csv", False), ("summary.h5", False)]:
        checks.check(os.path.exists(os.path.join(b, name)) == present,
                     f"after the stop, {name} is {'present' if present else 'absent'}")
    checks.check(run(command(args, args.resume_np, b)) == 0 and
                 os.path.exists(os.path.join(b, "COMPLETED")),
                 f"resumed run with {args.resume_np} rank(s) completes")
    with open(os.path.join(b, "log.txt")) as f:
        checks.check("Resumed from the checkpoint at day" in f.read(), "the log says it resumed")
    checks.check(not os.path.exists(os.path.join(b, "STOPPED")), "STOPPED removed on resume")
    same_statistics(checks, b, a, "stop + resume")

    # SIGTERM (what SLURM sends at the time limit) once the first checkpoint exists.
    cmd = command(args, args.np, c)
    print("running (to be terminated):", " ".join(shlex.quote(x) for x in cmd), flush=True)
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 300
    while not os.path.exists(os.path.join(c, "checkpoint.bin")) and time.time() < deadline:
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=300)
    checks.check(process.returncode == 0, f"SIGTERM: exit 0 (got {process.returncode})")
    checks.check("after a checkpoint (signal" in output, "SIGTERM: stopped after a checkpoint")
    checks.check(os.path.exists(os.path.join(c, "STOPPED")) and
                 not os.path.exists(os.path.join(c, "COMPLETED")), "SIGTERM: STOPPED, no COMPLETED")
    checks.check(run(command(args, args.np, c)) == 0, "SIGTERM: resumed run completes")
    same_statistics(checks, c, a, "SIGTERM + resume")
    checks.finish()


if __name__ == "__main__":
    main()
