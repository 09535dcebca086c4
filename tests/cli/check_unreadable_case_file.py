#!/usr/bin/env python3
"""Requirement: a case file that exists but cannot be read is reported as unreadable (with the
reason), not as missing; exit code 1, no output.

Usage: check_unreadable_case_file.py BONEFUSION WORKDIR
A copy of a valid case file is made unreadable (mode 000). As root, which reads any file, the
run is made as the unprivileged user 'nobody' (uid 65534), for whom the file is unreadable.
"""
import os
import shutil
import subprocess
import sys


def main():
    bonefusion, work = sys.argv[1], os.path.abspath(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.chmod(work, 0o777)
    case = os.path.join(work, "locked.prm")
    with open(case, "w") as f:
        f.write("subsection Discretization\n  set Voxel size = 4\nend\n")
    os.chmod(case, 0)
    drop = None
    if os.geteuid() == 0:
        def drop():
            os.setgid(65534)
            os.setuid(65534)
    result = subprocess.run([bonefusion, case, "--set", f"Output/Directory={work}/out"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=drop, cwd=work)
    print(result.stderr)
    failures = []
    if result.returncode != 1:
        failures.append(f"exit code {result.returncode}, expected 1")
    for text in ("locked.prm", "cannot be read", "Permission denied"):
        if text not in result.stderr:
            failures.append(f"stderr lacks {text!r}")
    if "does not exist" in result.stderr:
        failures.append("an unreadable file is reported as missing")
    if os.path.exists(os.path.join(work, "out", "COMPLETED")):
        failures.append("COMPLETED written")
    for f in failures:
        print("FAIL:", f)
    print("OK" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
