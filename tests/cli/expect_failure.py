#!/usr/bin/env python3
"""Runs a bonefusion command that must fail cleanly and checks how it fails.

Checks: the exit code is non-zero (or exactly --exit-code), stderr contains every
--stderr-contains substring (the message must name the offending file or parameter), stderr
holds no deal.II stack trace, and the output directory holds neither COMPLETED nor
statistics.csv afterwards.

Usage:
  expect_failure.py --output-dir DIR [--exit-code N] [--no-output-override]
                    --stderr-contains TEXT [--stderr-contains TEXT ...] -- COMMAND [ARGS ...]

Unless --no-output-override is given, "--set Output/Directory=DIR" is appended to the
command so that a run that wrongly succeeds writes where this script looks.
"""
import argparse
import os
import shutil
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output-dir", required=True,
                        help="directory the command would write to; emptied first")
    parser.add_argument("--exit-code", type=int, default=None,
                        help="exact non-zero exit code expected (default: any non-zero)")
    parser.add_argument("--stderr-contains", action="append", default=[],
                        help="substring the error message must contain (repeatable)")
    parser.add_argument("--no-output-override", action="store_true",
                        help="do not append --set Output/Directory=DIR to the command")
    parser.add_argument("--timeout", type=float, default=120, help="seconds [s]")
    parser.add_argument("command", nargs=argparse.REMAINDER,
                        help="-- followed by the command and its arguments")
    args = parser.parse_args()

    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given after --")
    if not args.stderr_contains:
        parser.error("give at least one --stderr-contains: a failure must name its cause")
    if not args.no_output_override:
        command = command + ["--set", "Output/Directory=" + args.output_dir]

    shutil.rmtree(args.output_dir, ignore_errors=True)
    print("running:", " ".join(repr(c) if " " in c else c for c in command))
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        print(f"FAIL: no exit within {args.timeout} s (bad input was accepted and a model "
              "is being solved?)")
        return 1

    print(f"exit code: {result.returncode}")
    print("---- stderr ----\n" + result.stderr.rstrip() + "\n----------------")
    failures = []
    if result.returncode == 0:
        failures.append("exit code is 0: the bad input was accepted")
    elif args.exit_code is not None and result.returncode != args.exit_code:
        failures.append(f"exit code {result.returncode}, expected {args.exit_code}")
    for text in args.stderr_contains:
        if text not in result.stderr:
            failures.append(f"stderr does not contain {text!r}")
    if "Stacktrace" in result.stderr or "An error occurred in line" in result.stderr:
        failures.append("stderr holds a deal.II exception dump instead of a clean message")
    for name in ("COMPLETED", "statistics.csv"):
        if os.path.exists(os.path.join(args.output_dir, name)):
            failures.append(f"{name} was written to {args.output_dir}")

    if failures:
        if result.stdout.strip():
            print("---- stdout (last 20 lines) ----")
            print("\n".join(result.stdout.rstrip().splitlines()[-20:]))
        for f in failures:
            print("FAIL:", f)
        return 1
    print("OK: failed cleanly with a message naming the cause")
    return 0


if __name__ == "__main__":
    sys.exit(main())
