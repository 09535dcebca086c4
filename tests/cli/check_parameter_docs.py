#!/usr/bin/env python3
"""Checks that docs/parameters.md is what `bonefusion --print-parameters=markdown` prints today
(the table under the file's header), so that a new or changed parameter cannot land with a
stale reference. On a difference it prints the first differing lines and the command that
regenerates the file (scripts/make-parameter-docs).

Usage: check_parameter_docs.py BONEFUSION DOCS_PARAMETERS_MD
"""
import difflib
import subprocess
import sys


def main():
    exe, docs = sys.argv[1], sys.argv[2]
    result = subprocess.run([exe, "--print-parameters=markdown"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        print(result.stderr)
        print(f"FAIL: --print-parameters=markdown exited with {result.returncode}")
        return 1
    printed = result.stdout.splitlines()
    with open(docs, encoding="utf-8") as f:
        written = f.read().splitlines()
    # The file is a fixed header, then exactly the program's output.
    body = written[-len(printed):] if printed else []
    if len(printed) < 20 or body != printed:
        diff = difflib.unified_diff(written, printed, docs, "--print-parameters=markdown",
                                    n=0, lineterm="")
        for line in list(diff)[:12]:
            print(line[:240])
        print(f"FAIL: {docs} ({len(written)} lines) is not the program's reference "
              f"({len(printed)} lines); run scripts/make-parameter-docs")
        return 1
    print(f"docs/parameters.md matches --print-parameters=markdown ({len(printed)} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
