#!/usr/bin/env python3
"""Requirement: 'Solver/Stiffness operator = matrix-free' (Q2 applied cell by cell, CG with a
Q2/Q1 p-multigrid preconditioner) gives the answer of the assembled Q2 stiffness (CG + AMG)
on the instrumented segment: every number of statistics.csv (rotations, load shares, peak
stresses, graft strains, nucleus pressure) agrees to the solver tolerance, also with the
contact active sets (compression-only facets, sliding cage interface), whose re-assembly
rebuilds the matrix-free operator and its preconditioner. Each run reports the Q1 correction
space and needs fewer than 150 CG iterations per solve to 1e-10 (measured about 90; the
assembled AMG about 150).

Runs on the 3 mm TLIF (cases/l4l5_tlif_ti.prm) with Q2, flexion (three active-set
iterations) and compression, about 20-40 s per run.
"""
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verification_common import (begin_check, number, run_bonefusion,  # noqa: E402
                                 statistics_rows)

SETTINGS = {"Discretization/Voxel size": "3", "Discretization/Polynomial degree": "2",
            "Output/Write visualization": "false",
            "Facet joints/Contact": "compression only", "Geometry/Facet surfaces": "pads",
            "Cage interface/Contact": "sliding",
            "Solver/Relative tolerance": "1e-10",
            "Loads/Load cases": "flexion, compression"}
# Columns that describe the run rather than the mechanics.
NOT_COMPARED = re.compile(r"seconds|iterations|relative_error|memory")


def main():
    args, checks, base = begin_check(__doc__)

    results = {}
    for operator in ("assembled", "matrix-free"):
        args.output = os.path.join(base, operator)
        run_bonefusion(args, {**SETTINGS, "Solver/Stiffness operator": operator})
        results[operator] = {r["load_case"]: r for r in statistics_rows(args.output)}
        with open(os.path.join(args.output, "log.txt")) as f:
            log = f.read()
        if operator == "matrix-free":
            checks.check("matrix-free with a Q1 correction space" in log,
                         "the log does not say that the matrix-free operator ran")

    assembled, free = results["assembled"], results["matrix-free"]
    checks.check(set(assembled) == set(free) and len(assembled) == 2,
                 f"load cases differ: {sorted(assembled)} vs {sorted(free)}")
    worst = (0.0, "")
    compared = 0
    for case, row in assembled.items():
        other = free.get(case, {})
        for column, text in row.items():
            if NOT_COMPARED.search(column):
                continue
            a, b = number(row, column), number(other, column)
            if math.isnan(a):
                continue
            # Relative to the column's scale in this load case, so that near-zero entries
            # (an off-axis rotation) are not judged relative to themselves.
            scale = max(abs(number(r, column)) for r in assembled.values()
                        if not math.isnan(number(r, column)))
            if scale < 1e-12:
                continue
            compared += 1
            difference = abs(a - b) / scale
            if difference > worst[0]:
                worst = (difference, f"{case}: {column} {a:.6g} vs {b:.6g}")
        # cg_iterations adds up the solves of all active-set iterations.
        solves = number(other, "contact_iterations")
        iterations = number(other, "cg_iterations") / solves
        checks.check(iterations < 150,
                     f"{case}: {iterations:.0f} CG iterations per solve with the matrix-free "
                     "operator (expected < 150)")
        print(f"{case:22s} CG iterations per solve: assembled "
              f"{number(row, 'cg_iterations') / number(row, 'contact_iterations'):.0f}, "
              f"matrix-free {iterations:.0f} ({solves:.0f} active-set iteration(s))")
    print(f"compared {compared} numbers; largest difference {worst[0]:.2e} of the column's "
          f"scale ({worst[1]})")
    checks.check(compared > 80, f"only {compared} numbers compared")
    checks.check(worst[0] < 1e-5, f"matrix-free differs from assembled: {worst[1]}")
    checks.finish()


if __name__ == "__main__":
    main()
