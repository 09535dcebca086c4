#!/usr/bin/python3
"""HTML report of a design study: <output>/report/index.html with PNG figures.

The folder <output>/report is self-contained (index.html + figures, relative links). Figures
depend on the kind of study, recognised from the gathered table (gather_study.py):

load-case studies (one row per load case):
  rom.png             primary rotation [deg] per load case (mode) and case
  rom_reduction.png   % reduction of that rotation against the reference case ('reference ='
                      in the study, else the first completed case)
  rom_per_level.png   models of several levels: primary rotation [deg] of each level per load
                      case and case
  load_share.png      load share per part [-] as stacked bars, one panel per load case
  implant_stress.png  rod and screw peak von Mises stress [MPa]
  endplate_stress.png peak (and mean) stress on the endplate under the cage [MPa]
  moment_rotation.png finite-strain cases: moment [N m] against rotation [deg] per load
                      increment, one panel per load case (with more than 6 cases and
                      measured data: the 4 that fit the data best)
  fit_ranking.csv,    with measured data ('data =' in the study): each case's error against
  fit_points.csv      the measured points (study_fit.py) and a ranking table, best first
healing studies (one row per time step):
  healing.png         graft mean modulus [MPa], bridging fraction [-] and rods/screws load
                      share [-] over months after surgery, one line per case on shared axes
  time_to_fusion.png  time to fusion [months] per case (cases that did not fuse are marked)
  and a ranking table (time to fusion, then final graft modulus).

Columns that are missing or all empty are skipped with a note in the report; cases that did
not complete are listed with their state.

Usage: study_report.py OUTPUT_DIR   (gathers the study first; needs numpy, h5py, matplotlib)
"""

import html
import math
import re
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import gather_study  # noqa: E402
import headless_render  # noqa: E402
import study_design  # noqa: E402
import study_fit  # noqa: E402

DAYS_PER_MONTH = 365.25 / 12
PART_LABELS = {"disc": "disc", "cage": "cage", "graft": "graft", "graft_cage": "graft + cage",
               "rods_screws": "rods + screws", "posterior": "posterior elements",
               "posterolateral_graft": "posterolateral graft", "ligaments": "ligaments"}


# Column prefix of a motion segment in a model of several ("L3_L4", "L5_S1").
LEVEL_PREFIX = re.compile(r"^[CTLS]\d+_[CTLS]\d+$")


def _finite(value):
    return isinstance(value, float) and math.isfinite(value)


class Report:
    """Builds the figures and the HTML of one study report."""

    def __init__(self, output, table, views=True):
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        self.plt = plt
        self.output = output
        self.table = table
        self.folder = os.path.join(output, "report")
        self.views = views      # render ParaView views of cases with solution.pvd
        os.makedirs(self.folder, exist_ok=True)
        self.sections = []     # HTML fragments
        self.notes = []
        self.figures = []
        self.case_names = [c for c in table.cases if table.cases[c]["state"] == "completed"
                           and any(r["case"] == c for r in table.rows)]

    # --- helpers -----------------------------------------------------------------------
    def has(self, column):
        return any(_finite(row.get(column)) for row in self.table.rows)

    def value(self, case, load_case, column):
        for row in self.table.rows:
            if row["case"] == case and row.get("load_case") == load_case:
                value = row.get(column)
                return value if _finite(value) else math.nan
        return math.nan

    def series(self, case, column):
        """(months, values) of one case's time series."""
        xs, ys = [], []
        for row in self.table.rows:
            if row["case"] == case and _finite(row.get("time_days")):
                xs.append(row["time_days"] / DAYS_PER_MONTH)
                value = row.get(column)
                ys.append(value if _finite(value) else math.nan)
        return xs, ys

    def save(self, figure, name, caption, layout=True):
        path = os.path.join(self.folder, name)
        if layout:
            figure.tight_layout()
        figure.savefig(path, dpi=110)
        self.plt.close(figure)
        self.figures.append(name)
        self.sections.append('<figure><img src="%s" alt="%s"><figcaption>%s</figcaption>'
                             '</figure>' % (name, html.escape(caption), html.escape(caption)))

    def skip(self, what, columns):
        self.notes.append("%s skipped: column(s) %s missing or empty"
                          % (what, ", ".join(columns)))

    def grouped_bars(self, axis, groups, column, ylabel, values=None, cases=None):
        """Bars of ``column`` (or of ``values(case, group)``) per load case and case."""
        import numpy as np
        cases = cases or self.case_names
        width = 0.8 / max(1, len(cases))
        x = np.arange(len(groups))
        for index, case in enumerate(cases):
            heights = [values(case, g) if values else self.value(case, g, column)
                       for g in groups]
            axis.bar(x + (index - (len(cases) - 1) / 2) * width, heights, width, label=case)
        axis.set_xticks(x)
        axis.set_xticklabels(groups, rotation=20, ha="right")
        axis.set_ylabel(ylabel)
        axis.grid(axis="y", alpha=0.3)
        axis.legend(fontsize="small")

    def load_cases_with(self, column):
        seen = []
        for row in self.table.rows:
            lc = row.get("load_case")
            if lc and lc not in seen and _finite(row.get(column)):
                seen.append(lc)
        return seen

    # --- load-case studies -------------------------------------------------------------
    def reference_case(self, requested):
        if requested in self.case_names:
            return requested
        if requested:
            self.notes.append("reference case %s did not complete; using %s"
                              % (requested, self.case_names[0]))
        return self.case_names[0]

    def load_case_figures(self, reference):
        plt = self.plt
        column = "primary_rotation_deg"
        modes = self.load_cases_with(column)
        if modes:
            figure, axis = plt.subplots(figsize=(8, 4.5))
            self.grouped_bars(axis, modes, column, "range of motion, primary rotation [deg]")
            axis.set_title("Range of motion per load case")
            self.save(figure, "rom.png", "Primary rotation [deg] per load case and case.")
            reference = self.reference_case(reference)

            def reduction(case, mode):
                ref = self.value(reference, mode, column)
                val = self.value(case, mode, column)
                return 100.0 * (1.0 - val / ref) if _finite(ref) and ref != 0 else math.nan
            figure, axis = plt.subplots(figsize=(8, 4.5))
            self.grouped_bars(axis, modes, column,
                              "ROM reduction against %s [%%]" % reference, values=reduction,
                              cases=[c for c in self.case_names if c != reference]
                              or [reference])
            axis.axhline(0, color="black", linewidth=0.8)
            axis.set_title("ROM reduction against the reference case %s" % reference)
            self.save(figure, "rom_reduction.png",
                      "Reduction of the primary rotation against the reference case %s [%%]: "
                      "100 (1 - ROM / ROM_reference); negative = more motion." % reference)
        else:
            self.skip("Range of motion", [column])

        self.per_level_figure()
        self.moment_rotation_figure(self.fit_table())

        parts = [c for c in self.table.columns
                 if c.startswith("share_") and c.endswith("_fraction") and self.has(c)]
        if parts:
            load_cases = self.load_cases_with(parts[0])
            columns = min(3, len(load_cases))
            rows = int(math.ceil(len(load_cases) / columns))
            figure, axes = plt.subplots(rows, columns, figsize=(4.6 * columns, 3.8 * rows),
                                        squeeze=False)
            colours = plt.get_cmap("tab10")
            for index, load_case in enumerate(load_cases):
                axis = axes[index // columns][index % columns]
                positive = [0.0] * len(self.case_names)
                negative = [0.0] * len(self.case_names)
                for p, part in enumerate(parts):
                    values = [self.value(c, load_case, part) for c in self.case_names]
                    values = [v if _finite(v) else 0.0 for v in values]
                    bottoms = [positive[i] if v >= 0 else negative[i]
                               for i, v in enumerate(values)]
                    name = part[len("share_"):-len("_fraction")]
                    axis.bar(range(len(values)), values, bottom=bottoms, color=colours(p % 10),
                             label=PART_LABELS.get(name, name.replace("_", " ")))
                    for i, v in enumerate(values):
                        if v >= 0:
                            positive[i] += v
                        else:
                            negative[i] += v
                axis.axhline(0, color="black", linewidth=0.8)
                axis.set_xticks(range(len(self.case_names)))
                axis.set_xticklabels(self.case_names, rotation=30, ha="right",
                                     fontsize="small")
                axis.set_ylabel("load share [-]")
                axis.set_title(load_case)
            for index in range(len(load_cases), rows * columns):
                axes[index // columns][index % columns].axis("off")
            handles, labels = axes[0][0].get_legend_handles_labels()
            figure.tight_layout(rect=(0, 0.1, 1, 1))
            figure.legend(handles, labels, loc="lower center", ncol=min(4, len(parts)),
                          fontsize="small")
            self.save(figure, "load_share.png",
                      "Load share per part [-] (fraction of the applied load of the load "
                      "case carried by each part; negative = opposite direction).",
                      layout=False)
        else:
            self.skip("Load share", ["share_<part>_fraction"])

        stresses = [(c, label) for c, label in
                    (("rod_peak_von_mises_MPa", "rod peak von Mises stress [MPa]"),
                     ("screw_peak_von_mises_MPa", "screw peak von Mises stress [MPa]"))
                    if self.has(c)]
        if stresses:
            figure, axes = plt.subplots(1, len(stresses), figsize=(6.5 * len(stresses), 4.5),
                                        squeeze=False)
            for axis, (column, label) in zip(axes[0], stresses):
                self.grouped_bars(axis, self.load_cases_with(column), column, label)
                axis.set_title(label.split(" [")[0])
            self.save(figure, "implant_stress.png",
                      "Peak von Mises stress in the rods and screws [MPa] per load case.")
        else:
            self.skip("Implant stress", ["rod_peak_von_mises_MPa", "screw_peak_von_mises_MPa"])

        endplate = [(c, label) for c, label in
                    (("endplate_under_cage_peak_stress_MPa",
                      "endplate under cage, peak stress [MPa]"),
                     ("endplate_under_cage_mean_stress_MPa",
                      "endplate under cage, mean stress [MPa]")) if self.has(c)]
        if endplate:
            figure, axes = plt.subplots(1, len(endplate), figsize=(6.5 * len(endplate), 4.5),
                                        squeeze=False)
            for axis, (column, label) in zip(axes[0], endplate):
                self.grouped_bars(axis, self.load_cases_with(column), column, label)
                axis.set_title(label.split(" [")[0])
            self.save(figure, "endplate_stress.png",
                      "Stress on the bony endplate under the cage [MPa] per load case "
                      "(subsidence risk).")
        else:
            self.skip("Endplate stress", ["endplate_under_cage_peak_stress_MPa"])

        keys = [c for c in ("primary_rotation_deg", "share_rods_screws_fraction",
                            "rod_peak_von_mises_MPa", "screw_peak_von_mises_MPa",
                            "endplate_under_cage_peak_stress_MPa") if self.has(c)]
        rows = []
        for case in self.case_names:
            for row in self.table.rows:
                if row["case"] == case:
                    rows.append([case, row.get("load_case", "")] +
                                ["%.4g" % row[k] if _finite(row.get(k)) else "" for k in keys])
        self.add_table("Key results per case and load case", ["case", "load case"] + keys, rows)

    def per_level_figure(self):
        """Columns of several levels (L3_L4_primary_rotation_deg, ...): one panel per load
        case, the levels on the axis, a bar per case."""
        suffix = "_primary_rotation_deg"
        levels = [c[:-len(suffix)] for c in self.table.columns
                  if c.endswith(suffix) and LEVEL_PREFIX.match(c[:-len(suffix)])
                  and self.has(c)]
        if not levels:
            return
        load_cases = self.load_cases_with(levels[0] + suffix)
        columns = min(3, len(load_cases))
        rows = int(math.ceil(len(load_cases) / columns))
        figure, axes = self.plt.subplots(rows, columns, figsize=(4.8 * columns, 3.8 * rows),
                                         squeeze=False)
        for index, load_case in enumerate(load_cases):
            axis = axes[index // columns][index % columns]
            self.grouped_bars(axis, [level.replace("_", "-") for level in levels], None,
                              "primary rotation [deg]",
                              values=lambda case, level, lc=load_case:
                              self.value(case, lc, level.replace("-", "_") + suffix))
            axis.set_title(load_case)
        for index in range(len(load_cases), rows * columns):
            axes[index // columns][index % columns].axis("off")
        self.save(figure, "rom_per_level.png",
                  "Primary rotation of each level [deg] per load case and case (models of "
                  "several levels: the fused levels and the free ones above and below).")

    def fit_table(self):
        """Cases scored against the study's measured points (study_fit.py): a ranking table
        and fit_ranking.csv / fit_points.csv. Returns the ranked case names."""
        points, ranking = study_fit.score(self.output, self.case_names)
        if not ranking:
            return []
        study_fit.write(self.folder, points, ranking)

        def text(value, digits):
            return "%.*f" % (digits, value) if _finite(value) else "-"
        rows = [[s["case"], s["fit_points"], text(s["fit_rms_deg"], 2),
                 text(s["fit_max_abs_deg"], 2), text(s["fit_pressure_rms_MPa"], 3),
                 s["validation_points"], text(s["validation_rms_deg"], 2),
                 text(s["validation_pressure_rms_MPa"], 3)] for s in ranking]
        self.add_table("Fit to the measured data (best first; fit_ranking.csv, fit_points.csv)",
                       ["case", "fit points", "RMS rotation error [deg]", "max |error| [deg]",
                        "RMS pressure error [MPa]", "validation points",
                        "validation RMS [deg]", "validation RMS pressure [MPa]"], rows)
        outside = sum(s["outside_curve"] for s in ranking)
        if outside:
            self.notes.append("%d measured point(s) lie beyond a case's computed curve (a "
                              "moment above the applied one, or a load case not run) and are "
                              "not scored" % outside)
        return [s["case"] for s in ranking]

    def moment_rotation_figure(self, ranked=()):
        """Finite-strain cases (cases/<case>/moment_rotation.csv): one panel per load case,
        the moment [N m] against the rotation about the load's axis [deg], a curve per case
        (and per level in models of several). With more than 6 such cases and a ranking
        against measured data, only the 4 best are drawn."""
        curves = {}  # load case -> [(label, rotations, moments)]
        drawn = self.case_names
        best_only = len(ranked) > 6
        if best_only:
            drawn = list(ranked[:4])
        for case in drawn:
            computed = study_fit.read_curves(os.path.join(self.output, "cases", case)) or {}
            for load_case, segments in computed.items():
                for prefix, (moments, rotations, _) in segments.items():
                    if max(moments) <= 0:
                        continue
                    label = case + (" " + prefix.rstrip("_").replace("_", "-") if prefix else "")
                    curves.setdefault(load_case, []).append((label, rotations, moments))
        data = {}  # load case -> case -> [(moment, rotation, sd, source)]
        data_path = os.path.join(self.output, "data.csv")
        if os.path.isfile(data_path):
            for _, row in study_design.read_data_file(data_path):
                sd = (row.get("sd_deg") or "").strip()
                case = row["case"].strip()
                if case != "*" and case not in drawn:
                    continue
                data.setdefault(row["load_case"].strip(), {}).setdefault(
                    case, []).append(
                    (float(row["moment_Nm"]), float(row["rotation_deg"]),
                     float(sd) if sd else 0.0, (row.get("source") or "").strip()))
        if not curves:
            return
        columns = min(3, len(curves))
        lines = int(math.ceil(len(curves) / columns))
        figure, axes = self.plt.subplots(lines, columns, figsize=(4.8 * columns, 3.8 * lines),
                                         squeeze=False)
        for index, (load_case, series) in enumerate(curves.items()):
            axis = axes[index // columns][index % columns]
            colours = {}
            for label, rotations, moments in series:
                line, = axis.plot(rotations, moments, "o-", ms=3, label=label)
                colours.setdefault(label.split(" ")[0], line.get_color())
            markers = iter("sD^vo" * 4)
            for case, points in sorted(data.get(load_case, {}).items()):
                for source in sorted({p[3] for p in points}):
                    mine = [p for p in points if p[3] == source]
                    axis.errorbar([p[1] for p in mine], [p[0] for p in mine],
                                  xerr=[p[2] for p in mine], fmt=next(markers), ms=5,
                                  mfc="none", capsize=2, color=colours.get(case, "k"),
                                  label="%s: %s" % ("data" if case == "*" else case,
                                                    source or "data"))
            axis.set_title(load_case)
            axis.set_xlabel("rotation [deg]")
            axis.set_ylabel("moment [N m]")
            axis.legend(fontsize=7)
        for index in range(len(curves), lines * columns):
            axes[index // columns][index % columns].axis("off")
        self.save(figure, "moment_rotation.png",
                  "Moment-rotation curves of the finite-strain cases%s, one point per load "
                  "increment ('Mechanics/Load increments'); open squares: the study's "
                  "measured data ('data =' in the study file; bars: standard deviation)."
                  % (" that fit the data best (4 of %d)" % len(ranked) if best_only else ""))

    # --- healing studies ---------------------------------------------------------------
    def healing_figures(self):
        plt = self.plt
        panels = [(c, label) for c, label in
                  (("graft_mean_modulus_MPa", "graft mean modulus [MPa]"),
                   ("graft_bridging_fraction", "graft bridging fraction [-]"),
                   ("share_rods_screws_fraction",
                    "rods + screws share of the standing\naxial force [-] (< 0: opposite to the load)"))
                  if self.has(c)]
        missing = [c for c in ("graft_mean_modulus_MPa", "graft_bridging_fraction",
                               "share_rods_screws_fraction") if not self.has(c)]
        if missing:
            self.skip("Healing panel(s)", missing)
        if panels:
            figure, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.3),
                                        squeeze=False, sharex=True)
            for axis, (column, label) in zip(axes[0], panels):
                for case in self.case_names:
                    xs, ys = self.series(case, column)
                    axis.plot(xs, ys, marker=".", label=case)
                axis.set_xlabel("time after surgery [months]")
                axis.set_ylabel(label)
                axis.grid(alpha=0.3)
                axis.legend(fontsize="small")
            self.save(figure, "healing.png",
                      "Graft mean modulus [MPa], bridging fraction [-] and the share of the standing "
                      "axial force carried by rods and screws through the disc mid-plane [-] "
                      "over the months after surgery (a negative share: the hardware is pulled "
                      "while the segment is compressed, the rest carries more than the load).")
        fusion = {}
        for case in self.case_names:
            attrs = self.table.cases[case]["attributes"]
            value = gather_study._number(attrs.get("time_to_fusion_days"))
            fusion[case] = value if _finite(value) else math.nan
        end = {case: max(self.series(case, "time_days")[0] or [0]) for case in self.case_names}
        if self.case_names:
            figure, axis = plt.subplots(figsize=(7, 4.3))
            for index, case in enumerate(self.case_names):
                days = fusion[case]
                if _finite(days):
                    axis.bar(index, days / DAYS_PER_MONTH, color="tab:green")
                else:
                    axis.bar(index, end[case], color="lightgrey", hatch="//")
                    axis.text(index, end[case], "not fused", ha="center", va="bottom",
                              fontsize="small")
            axis.set_xticks(range(len(self.case_names)))
            axis.set_xticklabels(self.case_names, rotation=25, ha="right")
            axis.set_ylabel("time to fusion [months]")
            axis.set_title("Time to fusion (grey: not fused by the end of the run)")
            axis.grid(axis="y", alpha=0.3)
            self.save(figure, "time_to_fusion.png",
                      "Time to fusion [months] per case; hatched grey bars reach the end time "
                      "of a run that did not fuse.")

        def final(case, column):
            xs, ys = self.series(case, column)
            return ys[-1] if ys else math.nan
        ranked = sorted(self.case_names, key=lambda c: (not _finite(fusion[c]),
                                                        fusion[c] if _finite(fusion[c]) else 0,
                                                        -(final(c, "graft_mean_modulus_MPa")
                                                          if _finite(final(c, "graft_mean_modulus_MPa")) else 0)))
        rows = []
        for rank, case in enumerate(ranked, start=1):
            days = fusion[case]
            cells = [str(rank), case,
                     "%.1f" % (days / DAYS_PER_MONTH) if _finite(days) else "not fused"]
            for column in ("graft_mean_modulus_MPa", "graft_bridging_fraction",
                           "share_rods_screws_fraction", "rom_flexion_extension_deg"):
                value = final(case, column)
                cells.append("%.4g" % value if _finite(value) else "")
            rows.append(cells)
        self.add_table("Ranking (earliest fusion first, then stiffest graft at the end)",
                       ["rank", "case", "time to fusion [months]", "final graft modulus [MPa]",
                        "final bridging fraction [-]", "final rods + screws share [-]",
                        "final flexion-extension ROM [deg]"], rows)

    # --- ParaView views ---------------------------------------------------------------
    def paraview_views(self):
        """Standard views of every completed case that wrote ParaView files, rendered with
        postprocess/render_views.py (xvfb-run + pvbatch); skipped with a note if unavailable."""
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "render_views.py")
        cases = [c for c in self.case_names
                 if os.path.isfile(os.path.join(self.output, "cases", c, "solution.pvd"))]
        if not cases:
            self.notes.append("ParaView views skipped: no case wrote solution.pvd "
                              "(Output/Write visualization = false)")
            return
        if not headless_render.available():
            self.notes.append("ParaView views skipped: xvfb-run or pvbatch not found "
                              "(Debian packages xvfb, paraview)")
            return
        lines = ["<h2>ParaView views</h2>"]
        for case in cases:
            folder = os.path.join(self.folder, "views", case)
            code, _ = headless_render.run_pvbatch(
                script, [os.path.join(self.output, "cases", case), folder])
            if code != 0:
                self.notes.append("ParaView views of %s failed (exit %d)" % (case, code))
                continue
            images = sorted(f for f in os.listdir(folder) if f.endswith(".png"))
            bone = [f for f in images if f.startswith("graft_bone_day")]
            shown = [f for f in ("construct_von_mises.png", bone[-1] if bone else None,
                                 "density_change.png") if f in images]
            lines.append("<h3>%s</h3>" % html.escape(case))
            for name in shown:
                relative = "views/%s/%s" % (case, name)
                self.figures.append(relative)
                lines.append('<figure><img src="%s" alt="%s"><figcaption>%s: %s</figcaption>'
                             '</figure>' % (relative, html.escape(name), html.escape(case),
                                            html.escape(name[:-4].replace("_", " "))))
        self.sections.append("\n".join(lines))

    # --- HTML --------------------------------------------------------------------------
    def add_table(self, title, header, rows):
        lines = ["<h2>%s</h2>" % html.escape(title), "<table>",
                 "<tr>" + "".join("<th>%s</th>" % html.escape(h) for h in header) + "</tr>"]
        for row in rows:
            lines.append("<tr>" + "".join("<td>%s</td>" % html.escape(str(v)) for v in row)
                         + "</tr>")
        lines.append("</table>")
        self.sections.append("\n".join(lines))

    def cases_table(self):
        factors = self.table.factors
        header = ["case"] + factors + ["state", "overrides"]
        rows = []
        for name, info in self.table.cases.items():
            rows.append([name] + [info["levels"].get(f, "") for f in factors] +
                        [info["state"], "; ".join(info["overrides"])])
        self.add_table("Cases", header, rows)

    def write(self, title, reference):
        healing = self.has("graft_mean_modulus_MPa") or \
            any(row.get("load_case") == "step" for row in self.table.rows)
        self.cases_table()
        if not self.case_names:
            self.notes.append("no case completed: nothing to plot")
        elif healing:
            self.healing_figures()
        else:
            self.load_case_figures(reference)
        if self.views:
            self.paraview_views()
        not_done = [n for n, i in self.table.cases.items() if i["state"] != "completed"]
        if not_done:
            self.notes.insert(0, "left out (not completed): " + ", ".join(
                "%s (%s)" % (n, self.table.cases[n]["state"]) for n in not_done))
        notes = "".join("<li>%s</li>" % html.escape(n) for n in self.notes)
        page = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }}
th, td {{ border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; }}
th {{ background: #eee; }}
figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; }}
figcaption {{ font-size: 0.9em; color: #444; }}
</style></head><body>
<h1>{title}</h1>
<p>{kind} study, {count} case(s), {done} completed. Data: <code>../study.csv</code>,
<code>../study.h5</code>. Units: mm, N, MPa, degrees, days (months = days / 30.44).</p>
{notes}
{sections}
</body></html>
""".format(title=html.escape(title), kind="Healing" if healing else "Load-case",
           count=len(self.table.cases), done=len(self.case_names),
           notes="<ul>%s</ul>" % notes if notes else "",
           sections="\n".join(self.sections))
        index = os.path.join(self.folder, "index.html")
        with open(index, "w", encoding="utf-8") as handle:
            handle.write(page)
        return index


def write_report(output, table=None, title=None, reference=None, views=True):
    """Write <output>/report/index.html (gathering first if ``table`` is None); return it.

    ``reference`` is the reference case for % ROM reduction; by default the study's
    'reference =' recorded in <output>/study.ref by bonefusion-study, else the first case.
    """
    if table is None:
        table = gather_study.gather(output)
        gather_study.write(table, output)
    if reference is None:
        path = os.path.join(output, "reference.txt")
        if os.path.isfile(path):
            with open(path) as handle:
                reference = handle.read().strip() or None
    if title is None:
        title = "Design study %s" % os.path.basename(os.path.normpath(output))
    return Report(output, table, views).write(title, reference)


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="study output directory (holds cases.csv)")
    parser.add_argument("--reference", help="reference case for the %% ROM reduction")
    parser.add_argument("--no-views", action="store_true",
                        help="do not render ParaView views (xvfb-run pvbatch) of the cases")
    args = parser.parse_args(argv)
    try:
        index = write_report(args.output, reference=args.reference, views=not args.no_views)
    except gather_study.GatherError as error:
        sys.stderr.write("study_report: error: %s\n" % error)
        return 1
    print("report: %s" % index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
