# Helpers shared by the end-to-end verification scripts: run bonefusion, collect failures.
import argparse
import csv
import math
import os
import shlex
import shutil
import subprocess
import sys
import time


def add_run_arguments(parser):
    """Command-line options every end-to-end script takes (CMake fills them in)."""
    parser.add_argument("--bonefusion", required=True, help="path of the bonefusion executable")
    parser.add_argument("--case", required=True, help="case file (.prm)")
    parser.add_argument("--output", required=True, help="output directory (recreated)")
    parser.add_argument("--np", type=int, default=1, help="MPI ranks; 1 runs without mpirun")
    parser.add_argument("--mpirun", default="mpirun --allow-run-as-root --oversubscribe",
                        help="MPI launcher and its flags, one string")


def begin_check(description, options=None):
    """The opening of a check script: parses the run arguments (and the script's own
    `options(parser)`, if given); returns (args, a fresh Checks, the absolute output
    directory under which the script makes its runs)."""
    parser = argparse.ArgumentParser(description=description)
    add_run_arguments(parser)
    if options:
        options(parser)
    args = parser.parse_args()
    return args, Checks(), os.path.abspath(args.output)


def bonefusion_command(args, settings, options=()):
    """The command line that runs args.case into args.output with --set overrides (dict) and
    further options (e.g. "--dry-run"), under the MPI launcher when args.np > 1."""
    output = os.path.abspath(args.output)
    command = [args.bonefusion, args.case, *options, "--set", f"Output/Directory={output}"]
    for key, value in settings.items():
        command += ["--set", f"{key}={value}"]
    if args.np > 1:
        command = shlex.split(args.mpirun) + ["-np", str(args.np)] + command
    return command


def run_bonefusion(args, settings):
    """Runs the case with --set overrides (dict) into a fresh args.output; returns seconds.

    Exits the script with status 1 (and the tail of the log) if the run fails."""
    output = os.path.abspath(args.output)
    shutil.rmtree(output, ignore_errors=True)
    command = bonefusion_command(args, settings)
    print("running:", " ".join(shlex.quote(c) for c in command), flush=True)
    start = time.time()
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.time() - start
    if result.returncode != 0 or not os.path.exists(os.path.join(output, "COMPLETED")):
        print(result.stdout[-4000:])
        print(f"FAIL: bonefusion exited with {result.returncode} after {seconds:.1f} s "
              f"(COMPLETED {'present' if os.path.exists(os.path.join(output, 'COMPLETED')) else 'missing'})")
        sys.exit(1)
    print(f"bonefusion finished in {seconds:.1f} s with {args.np} rank(s)", flush=True)
    return seconds


def run_in(args, base, name, settings):
    """Runs the case with `settings` into base/name (see run_bonefusion); returns that
    directory."""
    args.output = os.path.join(base, name)
    run_bonefusion(args, settings)
    return args.output


def run_command(cmd):
    """Runs one command, prints it, and prints the tail of its output if it fails; returns
    its exit code."""
    print("running:", " ".join(shlex.quote(c) for c in cmd), flush=True)
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        print(result.stdout[-3000:])
    return result.returncode


def same_statistics(checks, run_dir, reference_dir, label):
    """Checks that a resumed run's statistics.csv equals the uninterrupted run's (rtol 1e-6:
    the state is restored bit for bit, the solutions agree to the CG tolerance)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                    "regression"))
    import compare_statistics
    columns, rows = compare_statistics.read(os.path.join(run_dir, "statistics.csv"))
    ref_columns, ref_rows = compare_statistics.read(os.path.join(reference_dir, "statistics.csv"))
    failures = compare_statistics.compare(columns, rows, ref_columns, ref_rows, 1e-6, 1e-3,
                                          compare_statistics.DEFAULT_SKIP, 1e-6, 1e-4)
    for f in failures:
        print(f"  {label}: {f}")
    checks.check(not failures and len(rows) > 5,
                 f"{label}: statistics equal to the uninterrupted run ({len(rows)} rows)")


class Checks:
    """Collects failed checks so that one run reports all of them."""

    def __init__(self):
        self.failures = []
        self.passed = 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failures.append(message)
            print("FAIL:", message, flush=True)
        return condition

    def finish(self):
        print(f"{self.passed} checks passed, {len(self.failures)} failed")
        for f in self.failures:
            print("  -", f)
        sys.exit(1 if self.failures else 0)


def statistics_rows(directory):
    """The rows of directory/statistics.csv, as dicts keyed by column name."""
    with open(os.path.join(directory, "statistics.csv"), newline="") as f:
        return list(csv.DictReader(f))


def number(row, column):
    """A table cell as a float; NaN when the column is missing or the cell is empty."""
    try:
        return float(row[column])
    except (KeyError, ValueError):
        return math.nan
