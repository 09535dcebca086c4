"""Density maps of the Weinans 1992 remodeling plate: element-wise against non-local stimulus.

    /usr/bin/python3 postprocess/plot_weinans.py CSV_DIR [OUT.png] [--np N]

CSV_DIR holds the weinans_<case>_np<N>.csv files written by the verification test
tests/verification/weinans_plate_test.cc (its working directory is build/tests/verification);
OUT.png defaults to docs/images/weinans_plate.png. Each CSV has one row per cell: centre x, y
[mm] and density [g/cm^3] on a square n x n grid. Needs numpy and matplotlib only.
"""
import argparse
import glob
import os
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def read_case(path):
    """Returns (n, density[n, n] indexed [j, i] = [y, x]) of one CSV."""
    data = np.loadtxt(path, delimiter=",", comments="#", skiprows=2)
    n = int(round(np.sqrt(len(data))))
    if n * n != len(data):
        raise ValueError(f"{path}: {len(data)} rows is not a square grid")
    h = (data[:, 0].max() - data[:, 0].min()) / (n - 1)
    i = np.rint(data[:, 0] / h - 0.5).astype(int)
    j = np.rint(data[:, 1] / h - 0.5).astype(int)
    rho = np.full((n, n), np.nan)
    rho[j, i] = data[:, 2]
    return n, h, rho


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv_dir")
    parser.add_argument("out", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "docs", "images",
                                                               "weinans_plate.png"))
    parser.add_argument("--np", type=int, default=1, help="rank count of the run to plot (default 1)")
    args = parser.parse_args()

    cases = {}
    for path in glob.glob(os.path.join(args.csv_dir, f"weinans_*_np{args.np}.csv")):
        m = re.match(r"weinans_(element-wise|non-local)_(\d+)_np\d+\.csv", os.path.basename(path))
        if m:
            cases[(m.group(1), int(m.group(2)))] = read_case(path)
    if not cases:
        raise SystemExit(f"no weinans_*_np{args.np}.csv in {args.csv_dir}: run the verification test first")
    sizes = sorted({n for _, n in cases})
    kinds = [k for k in ("element-wise", "non-local") if any(k == kind for kind, _ in cases)]

    fig, axes = plt.subplots(len(sizes), len(kinds), figsize=(3.6 * len(kinds) + 1.2, 3.5 * len(sizes) + 0.6),
                             squeeze=False, constrained_layout=True)
    image = None
    for r, n in enumerate(sizes):
        for c, kind in enumerate(kinds):
            ax = axes[r][c]
            if (kind, n) not in cases:
                ax.axis("off")
                continue
            _, h, rho = cases[(kind, n)]
            side = n * h
            image = ax.imshow(rho, origin="lower", extent=(0, side, 0, side), cmap="bone_r", vmin=0.0, vmax=1.74,
                              interpolation="nearest")
            ax.set_title(f"{kind}, {n} x {n} cells (h = {h:.1f} mm)", fontsize=9)
            ax.set_aspect("equal")
            ax.set_xlabel("x [mm]")
            ax.set_ylabel("y [mm]")
    fig.colorbar(image, ax=axes, shrink=0.8, label="apparent density [g/cm³]")
    fig.suptitle("Weinans plate: top pressure 10 → 0 MPa (x = 0 → 100 mm), bottom clamped", fontsize=10)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
