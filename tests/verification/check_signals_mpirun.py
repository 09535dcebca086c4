#!/usr/bin/env python3
"""Requirement: SIGTERM or SIGINT (Ctrl-C) sent to mpirun, not to the ranks, stops a run over
time of 2 ranks with a checkpoint and a clean stop (STOPPED, no COMPLETED, no tables), and the
same command resumes it to the statistics of a run straight through (rtol 1e-6, as the
restart test). mpirun passes SIGTERM on to its ranks after about a second and kills them
about a second later, so the ranks must notice the signal inside a solve (the CG checks every
10 iterations) and checkpoint the start of the current step at once.

Runs of the coarse healing case (4 mm voxels, 60 days in fixed 10-day steps) with 2 ranks:
A straight through; B signalled with SIGTERM once its log shows the first step, then resumed;
C the same with SIGINT.
"""
import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verification_common import Checks, run_command as run, same_statistics  # noqa: E402

SETTINGS = {"Discretization/Voxel size": "4", "Time/End time": "60",
            "Time/Time step policy": "fixed", "Time/Time step": "10",
            "Time/Follow-up visits": "42", "Output/Write visualization": "false",
            "Checkpoints/Interval steps": "0"}


def command(args, output):
    cmd = shlex.split(args.mpirun) + ["-np", "2", args.bonefusion, args.case,
                                      "--set", f"Output/Directory={output}"]
    for key, value in SETTINGS.items():
        cmd += ["--set", f"{key}={value}"]
    return cmd


def interrupt(checks, args, output, sig, label):
    """Starts the run, sends `sig` to mpirun during the second step, checks the stop."""
    cmd = command(args, output)
    print(f"running (to get {label}):", " ".join(shlex.quote(x) for x in cmd), flush=True)
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = os.path.join(output, "log.txt")
    deadline = time.time() + 300
    while time.time() < deadline and process.poll() is None:
        if os.path.exists(log) and "Day    0.0" in open(log).read():
            break
        time.sleep(0.05)
    process.send_signal(sig)
    output_text, _ = process.communicate(timeout=300)
    print(output_text[-1500:])
    checks.check(os.path.exists(os.path.join(output, "checkpoint.bin")),
                 f"{label} to mpirun: a checkpoint was written")
    checks.check("after a checkpoint (signal" in output_text or
                 "after a checkpoint (signal" in open(log).read(),
                 f"{label} to mpirun: the log says it stopped after a checkpoint")
    checks.check(os.path.exists(os.path.join(output, "STOPPED")) and
                 not os.path.exists(os.path.join(output, "COMPLETED")) and
                 not os.path.exists(os.path.join(output, "statistics.csv")),
                 f"{label} to mpirun: STOPPED, no COMPLETED, no statistics.csv")
    checks.check(run(cmd) == 0 and os.path.exists(os.path.join(output, "COMPLETED")),
                 f"{label}: the same command resumes and completes")
    with open(log) as f:
        checks.check("Resumed from the checkpoint at day" in f.read(), f"{label}: resumed")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bonefusion", required=True)
    parser.add_argument("--case", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--mpirun", default="mpirun --allow-run-as-root --oversubscribe")
    args = parser.parse_args()
    root = os.path.abspath(args.output)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    checks = Checks()
    a, b, c = (os.path.join(root, x) for x in "ABC")
    checks.check(run(command(args, a)) == 0 and os.path.exists(os.path.join(a, "COMPLETED")),
                 "straight run completes")
    interrupt(checks, args, b, signal.SIGTERM, "SIGTERM")
    same_statistics(checks, b, a, "SIGTERM + resume")
    interrupt(checks, args, c, signal.SIGINT, "SIGINT")
    same_statistics(checks, c, a, "SIGINT + resume")
    checks.finish()


if __name__ == "__main__":
    main()
