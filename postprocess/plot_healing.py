#!/usr/bin/env python3
"""Plots a healing run's time series (statistics.csv of Time/Simulate healing over time) as
one PNG: graft modulus and bone fraction, bridged fraction with the fusion threshold, load
shares of graft+cage and rods/screws, flexion-extension range of motion, and bone density
change near the screws and under the endplates. Follow-up visits are marked. A column with
several fused levels (columns such as L4_L5_graft_mean_modulus_MPa) gets one curve per fused
level in the per-level panels.

Usage: python3 postprocess/plot_healing.py RESULTS_DIR [OUT.png]   (default RESULTS_DIR/healing.png)
Needs numpy and matplotlib (Debian: python3-numpy, python3-matplotlib).
"""
import csv
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def column(rows, name):
    out = []
    for r in rows:
        try:
            out.append(float(r.get(name, "") or "nan"))
        except ValueError:
            out.append(math.nan)
    return out


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    directory = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(directory, "healing.png")
    with open(os.path.join(directory, "statistics.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    suffix = "graft_mean_modulus_MPa"
    # The per-level prefixes of a model of several segments ("L4_L5_"), levels without a graft
    # (all nan) left out; "" for a single segment.
    prefixes = [c[:-len(suffix)] for c in (rows[0] if rows else {}) if c.endswith(suffix)]
    prefixes = [p for p in prefixes if any(math.isfinite(v) for v in column(rows, p + suffix))]
    if not prefixes:
        print(f"{directory}/statistics.csv is not a healing run (no graft_mean_modulus_MPa "
              "column with values)", file=sys.stderr)
        return 1
    per_level = ("graft_", "share_", "rom_")
    months = [float(r["time_days"]) / 30.44 for r in rows]
    visits = [m for m, r in zip(months, rows) if r["load_case"] == "follow-up"]

    fig, axes = plt.subplots(2, 3, figsize=(15, 8.5), constrained_layout=True)
    panels = [
        (axes[0, 0], [("graft_mean_modulus_MPa", "graft mean modulus")], "modulus [MPa]", "log"),
        (axes[0, 1], [("graft_bone_fraction", "bone fraction of the graft"),
                      ("graft_bridging_fraction", "bridged fraction of the cross-section")],
         "fraction [-]", None),
        (axes[0, 2], [("share_graft_cage_fraction", "graft + cage"),
                      ("share_rods_screws_fraction", "rods + screws"),
                      ("share_posterior_fraction", "posterior elements")],
         "share of the axial force (standing) [-]\n(< 0: opposite to the load)", None),
        (axes[1, 0], [("rom_flexion_extension_deg", "flexion + extension")],
         "range of motion at the pure moment [deg]", None),
        (axes[1, 1], [("density_change_near_screws_percent", "near the screws"),
                      ("density_change_under_endplates_percent", "under the endplates")],
         "cancellous density change [%]", None),
        (axes[1, 2], [("rod_peak_von_mises_MPa", "rods"), ("screw_peak_von_mises_MPa", "screws")],
         "peak von Mises stress over the day [MPa]", None),
    ]
    for ax, series, ylabel, scale in panels:
        for name, label in series:
            for prefix in (prefixes if name.startswith(per_level) else [""]):
                values = column(rows, prefix + name)
                text = f"{prefix[:-1].replace('_', '-')} {label}" if prefix else label
                if any(math.isfinite(v) for v in values):
                    ax.plot(months, values, marker="o", markersize=3, label=text)
        for m in visits:
            ax.axvline(m, color="0.85", linewidth=0.8, zorder=0)
        if scale:
            ax.set_yscale(scale)
        ax.set_xlabel("time after surgery [months]")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    threshold = 0.5
    axes[0, 1].axhline(threshold, color="k", linestyle="--", linewidth=0.8,
                       label="fusion threshold (Mayfield I: > 50 % bridged)")
    axes[0, 1].legend(fontsize=8)
    fig.suptitle(f"Healing after surgery: {os.path.basename(os.path.abspath(directory))} "
                 "(grey lines: follow-up visits)")
    fig.savefig(out, dpi=110)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
