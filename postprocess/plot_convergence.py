"""Plots the errors of the two-material manufactured-solution test against the mesh size.

    /usr/bin/python3 postprocess/plot_convergence.py [CSV] [OUT.png]

CSV is written by tests/verification/manufactured_convergence_test.cc into its working
directory (default: build/tests/verification/convergence_np1.csv); OUT defaults to
docs/images/convergence.png. Log-log, L2 error [mm] and H1-seminorm error [-] of Q1 and Q2
against h [mm], with reference slopes h^(p+1) and h^p through the finest point. Needs numpy
and matplotlib (Debian: python3-numpy, python3-matplotlib).
"""
import csv
import os
import sys

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    root, "build", "tests", "verification", "convergence_np1.csv")
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "docs", "images", "convergence.png")

rows = {}
with open(source, newline="") as f:
    for r in csv.DictReader(f):
        rows.setdefault(r["element"], []).append(r)
if not rows:
    sys.exit(f"{source}: no rows")

fig, axes = plt.subplots(1, 2, figsize=(10, 4.3), constrained_layout=True)
norms = [("l2_error_mm", "$L^2$ error $\\|u - u_h\\|$ [mm]", 1),
         ("h1_error", "$H^1$-seminorm error $|u - u_h|_1$ [-]", 0)]
colours = {"Q1": "tab:blue", "Q2": "tab:red"}
for ax, (column, label, order_offset) in zip(axes, norms):
    for element, rs in sorted(rows.items()):
        h = np.array([float(r["h_mm"]) for r in rs])
        e = np.array([float(r[column]) for r in rs])
        p = int(element[1:])
        slope = p + order_offset
        ax.loglog(h, e, "o-", color=colours.get(element), label=f"{element}")
        # Reference slope, drawn below the data (factor 0.4) over the measured range.
        ref = 0.4 * e[-1] * (h / h[-1]) ** slope
        ax.loglog(h, ref, "--", color=colours.get(element), alpha=0.6,
                  label=f"$h^{slope}$ (optimal for {element})")
        last_rate = np.log(e[-2] / e[-1]) / np.log(h[-2] / h[-1])
        ax.annotate(f"rate {last_rate:.2f}", (np.sqrt(h[-1] * h[-2]), np.sqrt(e[-1] * e[-2])),
                    textcoords="offset points", xytext=(-62, 2), color=colours.get(element),
                    fontsize=9)
    hs = sorted({float(r["h_mm"]) for rs in rows.values() for r in rs})
    ax.set_xticks(hs)
    ax.set_xticklabels([f"{x:g}" for x in hs])
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlim(0.8 * hs[0], 1.25 * hs[-1])
    ax.set_xlabel("cell size h [mm]")
    ax.set_ylabel(label)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
fig.suptitle("Two-material manufactured solution (E = 1 000 | 10 000 MPa, $\\nu$ = 0.3): "
             "rate = observed order on the last refinement", fontsize=10)
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=120)
print(f"wrote {out}")
