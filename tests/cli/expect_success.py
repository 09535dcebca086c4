#!/usr/bin/env python3
"""Runs a bonefusion command that must succeed and checks its output.

Checks: exit code 0, stdout contains every --stdout-contains substring and matches every
--stdout-regex, and (with --output-dir) none of the --absent files exists in the output
directory afterwards (e.g. a dry run writes no statistics.csv), and every --file-contains
NAME:TEXT finds TEXT in the file NAME of the output directory (e.g. log.txt).

Usage:
  expect_success.py [--output-dir DIR] [--absent FILE ...] [--stdout-contains TEXT ...]
                    [--stdout-regex REGEX ...] [--file-contains NAME:TEXT ...]
                    -- COMMAND [ARGS ...]
With --output-dir, "--set Output/Directory=DIR" is appended to the command.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output-dir", default=None)
    parser.add_argument("--absent", action="append", default=[],
                        help="file that must not exist in the output directory (repeatable)")
    parser.add_argument("--stdout-contains", action="append", default=[])
    parser.add_argument("--stdout-regex", action="append", default=[])
    parser.add_argument("--file-contains", action="append", default=[],
                        help="NAME:TEXT, TEXT must occur in NAME of the output directory")
    parser.add_argument("--timeout", type=float, default=120, help="seconds [s]")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()

    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given after --")
    if args.output_dir:
        shutil.rmtree(args.output_dir, ignore_errors=True)
        command = command + ["--set", "Output/Directory=" + args.output_dir]
    print("running:", " ".join(repr(c) if " " in c else c for c in command))
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            timeout=args.timeout)
    print(f"exit code: {result.returncode}")
    print("---- stdout (last 20 lines) ----")
    print("\n".join(result.stdout.rstrip().splitlines()[-20:]))
    if result.stderr.strip():
        print("---- stderr ----\n" + result.stderr.rstrip())

    failures = []
    if result.returncode != 0:
        failures.append(f"exit code {result.returncode}, expected 0")
    for text in args.stdout_contains:
        if text not in result.stdout:
            failures.append(f"stdout does not contain {text!r}")
    for regex in args.stdout_regex:
        if not re.search(regex, result.stdout, re.MULTILINE):
            failures.append(f"stdout does not match {regex!r}")
    for name in args.absent:
        if args.output_dir and os.path.exists(os.path.join(args.output_dir, name)):
            failures.append(f"{name} was written to {args.output_dir}")
    for item in args.file_contains:
        name, _, text = item.partition(":")
        path = os.path.join(args.output_dir or ".", name)
        content = open(path, errors="replace").read() if os.path.exists(path) else None
        if content is None:
            failures.append(f"{name} was not written")
        elif text not in content:
            failures.append(f"{name} does not contain {text!r}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
