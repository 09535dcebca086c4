#!/usr/bin/env python3
"""Checks `bonefusion --print-parameters`: exit code 0, and every entry has a description
that ends with its unit in square brackets, e.g. "Edge length of ... [mm]".

Two layouts are understood. The program's reference (core/parameter_reference.cc):
    Discretization/Voxel size = 1.5
        Edge length of the cubic cells of the voxel mesh; ... [mm]
        allowed: [Double 0.05...10 (inclusive)]
and deal.II's ParameterHandler "Description" format (subsections nested by indentation,
the description in parentheses after each "set" line):
    subsection Discretization
      set Voxel size   =   A floating point number v such that 0.05 <= v <= 10
                           (Edge length of the cubic cells of the voxel mesh; ... [mm])

Usage: check_parameters.py BONEFUSION [--expect PATH=UNIT ...] [--min-entries N]
"""
import argparse
import re
import subprocess
import sys

UNIT_AT_END = re.compile(r"\[[^\[\]]+\]$")
SUBSECTION = re.compile(r"^( *)subsection (.+?)\s*$")
ENTRY = re.compile(r"^( *)set (.+?)\s+=\s+(.*)$")


REFERENCE_ENTRY = re.compile(r"^(\S.*?) = (.*)$")


def parse_reference(text):
    """The program's own layout. Returns [(path, allowed, description)] in output order."""
    entries = []
    for line in text.splitlines():
        m = REFERENCE_ENTRY.match(line)
        if m and not line.startswith(" "):
            entries.append([m.group(1).strip(), "", []])
        elif entries and line.startswith("    allowed: "):
            entries[-1][1] = line[len("    allowed: "):].strip()
        elif entries and line.startswith(" ") and line.strip():
            entries[-1][2].append(line.strip())
    return [(path, allowed, " ".join(doc)) for path, allowed, doc in entries]


def parse(text):
    """Either layout. Returns [(path, pattern, description)] in output order."""
    if "\nsubsection " not in "\n" + text:
        return parse_reference(text)
    entries = []
    stack = []  # (indent, name)
    current = None  # [path, pattern, description lines, description closed]
    for line in text.splitlines():
        if current is not None and not current[3]:
            stripped = line.strip()
            if current[2] or stripped.startswith("("):
                current[2].append(stripped)
                if stripped.endswith(")"):
                    current[3] = True
                continue
            if stripped and not SUBSECTION.match(line) and not ENTRY.match(line):
                current[1] += " " + stripped  # pattern continued on the next line
                continue
        m = SUBSECTION.match(line)
        if m:
            indent = len(m.group(1))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, m.group(2)))
            continue
        m = ENTRY.match(line)
        if m:
            indent = len(m.group(1))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            path = "/".join([name for _, name in stack] + [m.group(2).strip()])
            current = [path, m.group(3).strip(), [], False]
            entries.append(current)
    result = []
    for path, pattern, doc, _ in entries:
        description = " ".join(doc)
        if description.startswith("(") and description.endswith(")"):
            description = description[1:-1].strip()
        result.append((path, pattern, description))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bonefusion")
    parser.add_argument("--expect", action="append", default=[],
                        help="PATH=UNIT: this entry must exist with this unit, e.g. "
                             "'Discretization/Voxel size=[mm]'")
    parser.add_argument("--min-entries", type=int, default=20)
    args = parser.parse_args()

    result = subprocess.run([args.bonefusion, "--print-parameters"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, timeout=60)
    failures = []
    if result.returncode != 0:
        failures.append(f"exit code {result.returncode}: {result.stderr.strip()}")
    entries = parse(result.stdout)
    print(f"{len(entries)} parameter entries")
    if len(entries) < args.min_entries:
        failures.append(f"only {len(entries)} entries parsed (expected >= {args.min_entries}); "
                        "has the output format changed?")
    units = {}
    for path, pattern, description in entries:
        if not description:
            failures.append(f"{path}: no description")
            continue
        m = UNIT_AT_END.search(description)
        if not m:
            failures.append(f"{path}: description does not end with a unit in square "
                            f"brackets: {description[-60:]!r}")
        else:
            units[path] = m.group(0)
    for expectation in args.expect:
        path, unit = expectation.rsplit("=", 1)
        if path not in units:
            failures.append(f"{path}: not listed (or has no unit)")
        elif units[path] != unit:
            failures.append(f"{path}: unit {units[path]}, expected {unit}")
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print("OK: every entry's description ends with its unit")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
