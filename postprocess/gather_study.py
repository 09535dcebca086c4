#!/usr/bin/python3
"""Gather a study's results into one table: <output>/study.csv and <output>/study.h5.

Reads <output>/cases.csv (written by bonefusion-study run/expand) and, for every COMPLETED
case, its statistics.csv (one row per load case or time step) and the metadata attributes of
its summary.h5. The table has one row per case x load case (or time step) with the columns

  case, <one column per factor: the level>, <statistics columns of the cases (union; empty
  where a case lacks a column)>, time_to_fusion_days (healing runs that fused)

study.h5 holds the same table as datasets under /table (numbers as float64 with NaN for
missing values, text as UTF-8 strings), one group per case under /cases with the case's
summary.h5 attributes, its overrides and its state, and the study's factor names as root
attributes. Cases that did not complete are listed with their state and left out of the
table.

Usage: gather_study.py OUTPUT_DIR      (the study output directory holding cases.csv)
Needs numpy and h5py (Debian python3-numpy, python3-h5py).
"""

import csv
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import study_design  # noqa: E402

TEXT_COLUMNS = ("case", "load_case", "activities")


class GatherError(Exception):
    """The study output directory cannot be gathered (no cases.csv)."""


class Table:
    """The gathered study: column names, rows (dicts), factors and per-case information.

    ``cases`` maps case name -> dict(state, levels, overrides, attributes).
    """

    def __init__(self, columns, rows, factors, cases):
        self.columns = columns
        self.rows = rows
        self.factors = factors
        self.cases = cases

    def column(self, name):
        """Values of one column over all rows (floats, NaN when missing; text for text)."""
        return [row.get(name) for row in self.rows]

    def numeric_columns(self):
        return [c for c in self.columns if c not in self.factors and c not in TEXT_COLUMNS]


def _number(text):
    if text is None or text.strip() == "":
        return math.nan
    try:
        return float(text)
    except ValueError:
        return text


def _state(directory):
    for marker, state in (("COMPLETED", "completed"), ("FAILED", "failed"),
                          ("STOPPED", "stopped")):
        if os.path.exists(os.path.join(directory, marker)):
            return state
    return "not run"


def _attributes(path):
    """Root attributes of a summary.h5 as a dict of strings ({} if unreadable)."""
    import h5py
    try:
        with h5py.File(path, "r") as handle:
            out = {}
            for key, value in handle.attrs.items():
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace")
                out[key] = str(value)
            return out
    except (OSError, KeyError):
        return {}


def gather(output):
    """Gather the study in ``output``; return a :class:`Table`."""
    cases_csv = os.path.join(output, "cases.csv")
    if not os.path.isfile(cases_csv):
        raise GatherError("%s not found: run 'bonefusion-study run' (or expand) first"
                          % cases_csv)
    factors, entries = study_design.read_cases_csv(cases_csv)
    columns = ["case"] + factors
    rows = []
    cases = {}
    for entry in entries:
        directory = os.path.join(output, entry["directory"])
        state = _state(directory)
        attributes = _attributes(os.path.join(directory, "summary.h5")) \
            if state == "completed" else {}
        cases[entry["case"]] = {"state": state, "levels": entry["levels"],
                                "overrides": entry["overrides"], "attributes": attributes}
        statistics = os.path.join(directory, "statistics.csv")
        if state != "completed" or not os.path.isfile(statistics):
            continue
        fusion = _number(attributes.get("time_to_fusion_days"))
        with open(statistics, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for name in reader.fieldnames or []:
                if name not in columns:
                    columns.append(name)
            for record in reader:
                row = {"case": entry["case"]}
                row.update(entry["levels"])
                for key, value in record.items():
                    row[key] = value if key in TEXT_COLUMNS else _number(value)
                if "time_to_fusion_days" in attributes:
                    row["time_to_fusion_days"] = fusion
                rows.append(row)
    if any("time_to_fusion_days" in row for row in rows):
        columns.append("time_to_fusion_days")
    return Table(columns, rows, factors, cases)


def _text(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) > 1e15 else str(int(value))
    return str(value)


def write(table, output):
    """Write study.csv and study.h5 into ``output``; return their paths."""
    import h5py
    import numpy as np
    csv_path = os.path.join(output, "study.csv")
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([_text(row.get(c)) for c in table.columns])
    h5_path = os.path.join(output, "study.h5")
    text_type = h5py.string_dtype("utf-8")
    with h5py.File(h5_path, "w") as handle:
        handle.attrs["factors"] = ",".join(table.factors)
        handle.attrs["columns"] = ",".join(table.columns)
        group = handle.create_group("table")
        for name in table.columns:
            values = table.column(name)
            if name in TEXT_COLUMNS or name in table.factors or \
                    any(isinstance(v, str) for v in values):
                group.create_dataset(name, data=np.array([_text(v) for v in values],
                                                         dtype=object), dtype=text_type)
            else:
                group.create_dataset(name, data=np.array(
                    [math.nan if v is None else v for v in values], dtype=np.float64))
        cases = handle.create_group("cases")
        for name, info in table.cases.items():
            case = cases.create_group(name)
            case.attrs["state"] = info["state"]
            case.attrs["overrides"] = study_design.OVERRIDE_SEPARATOR.join(info["overrides"])
            for factor, level in info["levels"].items():
                case.attrs["level_" + factor] = level
            for key, value in info["attributes"].items():
                case.attrs[key] = value
    return csv_path, h5_path


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="study output directory (holds cases.csv)")
    args = parser.parse_args(argv)
    try:
        table = gather(args.output)
    except GatherError as error:
        sys.stderr.write("gather_study: error: %s\n" % error)
        return 1
    paths = write(table, args.output)
    missing = [n for n, info in table.cases.items() if info["state"] != "completed"]
    print("gathered %d row(s) from %d completed case(s): %s, %s"
          % (len(table.rows), len(table.cases) - len(missing), *paths))
    for name in missing:
        print("  left out %s (%s)" % (name, table.cases[name]["state"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
