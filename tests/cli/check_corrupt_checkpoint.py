#!/usr/bin/env python3
"""Requirement: a corrupt checkpoint (here one that announces 2^60 per-cell fields) stops a
resumed run over time with a message naming the checkpoint file, exit code 1, no crash
(std::bad_alloc) and no results that look complete.

Usage: check_corrupt_checkpoint.py BONEFUSION CASE.prm WORKDIR
The checkpoint is written in the format of io/checkpoint.cc with a valid header up to the
field count.
"""
import os
import shutil
import struct
import subprocess
import sys


def string(s):
    data = s.encode()
    return struct.pack("<Q", len(data)) + data


def main():
    bonefusion, case, work = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    blob = (string("bonefusion-checkpoint-1") + string("signature") + struct.pack("<dd", 14, 7)
            + struct.pack("<QQ", 1, 0) + struct.pack("<Q", 1 << 60))
    with open(os.path.join(work, "checkpoint.bin"), "wb") as f:
        f.write(blob)
    result = subprocess.run([bonefusion, case, "--set", f"Output/Directory={work}",
                             "--set", "Discretization/Voxel size=4",
                             "--set", "Output/Write visualization=false"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    print(result.stderr)
    failures = []
    if result.returncode != 1:
        failures.append(f"exit code {result.returncode}, expected 1")
    for text in ("checkpoint", "checkpoint.bin", "corrupt"):
        if text not in result.stderr:
            failures.append(f"stderr lacks {text!r}")
    if "bad_alloc" in result.stderr:
        failures.append("std::bad_alloc: the count was allocated")
    for name in ("COMPLETED", "statistics.csv"):
        if os.path.exists(os.path.join(work, name)):
            failures.append(f"{name} written")
    for f in failures:
        print("FAIL:", f)
    print("OK" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
