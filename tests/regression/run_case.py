#!/usr/bin/env python3
"""Runs one regression case into a fresh output directory and checks that it completed.

Usage: run_case.py --output-dir DIR -- COMMAND [ARGS ...]
The output directory is deleted first (so that a stale statistics.csv can never be
compared) and "--set Output/Directory=DIR" is appended to the command. Passes when the
command exits with 0 and DIR holds COMPLETED and statistics.csv.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output-dir", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given after --")
    shutil.rmtree(args.output_dir, ignore_errors=True)
    command = command + ["--set", "Output/Directory=" + args.output_dir]
    print("running:", " ".join(repr(c) if " " in c else c for c in command), flush=True)
    start = time.time()
    result = subprocess.run(command)
    print(f"exit code {result.returncode} after {time.time() - start:.1f} s")
    failures = []
    if result.returncode != 0:
        failures.append(f"exit code {result.returncode}")
    for name in ("COMPLETED", "statistics.csv"):
        if not os.path.exists(os.path.join(args.output_dir, name)):
            failures.append(f"no {name} in {args.output_dir}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
