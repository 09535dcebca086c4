#!/usr/bin/env python3
"""Design studies: parse a study file and expand it into cases.

A study file (format in docs/studies.md) names a base case file, fixed overrides for every
case, and either factors whose levels are crossed (``design = full factorial``) or an explicit
list of ``[case NAME]`` sections (``design = list``). Every case is the base case plus a list
of ``--set "Subsection/Key=value"`` overrides and runs in its own output directory
``<study output>/cases/<case name>``.

Only the standard library is used. Errors in the study file raise :class:`StudyError` with
the file name and line number.

Usage as a script: ``study_design.py STUDY`` prints the expanded cases.
"""

import csv
import itertools
import os
import re
import sys

# Factor and level names are joined as factor-level_factor-level into case names, so they may
# not contain '_'; study and case names may.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9.+-]+$")
CASE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9._+-]+$")
DESIGNS = ("full factorial", "list")


class StudyError(Exception):
    """A malformed study file; the message names the file and line."""


class Case:
    """One case of a study: a name, the chosen level of each factor and the overrides.

    ``levels`` maps factor name -> level label (empty for factors a listed case does not use);
    ``overrides`` are "Subsection/Key=value" strings in the order they are passed to
    bonefusion (fixed study overrides first, then the factor levels, then the case's own).
    """

    def __init__(self, name, levels, overrides):
        self.name = name
        self.levels = dict(levels)
        self.overrides = list(overrides)

    def __repr__(self):
        return "Case(%r, %r, %r)" % (self.name, self.levels, self.overrides)


class Study:
    """A parsed study: settings of [study], the factors and the expanded cases.

    Attributes: ``path`` (absolute path of the study file), ``name``, ``base`` (absolute path
    of the base case file), ``design``, ``fixed`` (list of overrides for every case),
    ``factors`` (ordered dict factor -> ordered dict level -> list of overrides),
    ``reference`` (name of the reference case or None), ``output`` (absolute output
    directory), ``cases`` (list of :class:`Case`).
    """

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.name = None
        self.base = None
        self.design = "full factorial"
        self.fixed = []
        self.factors = {}
        self.reference = None
        self.data = None  # measured curves to draw with the cases (absolute path) or None
        self.output = None
        self.cases = []

    def case_directory(self, case):
        """Output directory of one case (absolute)."""
        return os.path.join(self.output, "cases", case.name)

    def case_by_name(self, name):
        for case in self.cases:
            if case.name == name:
                return case
        return None


def _strip_comment(line):
    """Remove a whole-line comment (';' or '#' first) or an inline one (whitespace + ';'/'#').

    Values may contain ';' or '#' without a space before them (bonefusion lists such as
    'Daily activities' use 'cycles=100; walking: ...'), so only ' ;' and ' #' start a comment.
    """
    stripped = line.strip()
    if stripped.startswith(";") or stripped.startswith("#"):
        return ""
    match = re.search(r"\s[;#]", line)
    if match:
        line = line[: match.start()]
    return line.strip()


def _check_override(text, where):
    """Validate one 'Subsection/Key=value' override and return it with tidy spacing."""
    if "=" not in text:
        raise StudyError("%s: override '%s' has no '=' (expected Subsection/Key=value)"
                         % (where, text))
    key, value = text.split("=", 1)
    key = key.strip()
    if "/" not in key or key.startswith("/") or key.endswith("/"):
        raise StudyError("%s: override '%s' must name a parameter as Subsection/Key=value "
                         "(see bonefusion --print-parameters)" % (where, text))
    return "%s=%s" % (key, value.strip())


def _check_name(kind, name, where):
    if kind in ("study", "case"):
        if not CASE_NAME_PATTERN.match(name):
            raise StudyError("%s: %s name '%s' may only contain letters, digits and . _ + -"
                             % (where, kind, name))
    elif not NAME_PATTERN.match(name):
        raise StudyError("%s: %s name '%s' may only contain letters, digits and . + - "
                         "(no '_': it separates factors in case names)" % (where, kind, name))


def parse_study(path, output=None):
    """Parse the study file at ``path`` and expand its cases.

    ``output`` overrides the study's output directory (``output =`` in [study], relative to the
    study file; default ``results/studies/<name>`` relative to the current directory).
    Returns a :class:`Study`. Raises :class:`StudyError` for malformed input and OSError if the
    file cannot be read.
    """
    study = Study(path)
    with open(path, encoding="utf-8") as handle:
        lines = handle.readlines()
    fname = path
    section = None          # ("study",) | ("factor", name) | ("case", name)
    section_line = {}
    listed = []             # [(name, line, [(key, value, line)])]
    output_setting = None
    seen_study = False
    for number, raw in enumerate(lines, start=1):
        where = "%s:%d" % (fname, number)
        line = _strip_comment(raw)
        if not line:
            continue
        if line.startswith("["):
            if not line.endswith("]"):
                raise StudyError("%s: section header '%s' has no closing ']'" % (where, line))
            header = line[1:-1].strip()
            words = header.split(None, 1)
            if header == "study":
                if seen_study:
                    raise StudyError("%s: second [study] section" % where)
                seen_study = True
                section = ("study",)
            elif words and words[0] in ("factor", "case") and len(words) == 2:
                kind, name = words[0], words[1].strip()
                _check_name(kind, name, where)
                key = (kind, name)
                if key in section_line:
                    raise StudyError("%s: [%s %s] already defined at line %d"
                                     % (where, kind, name, section_line[key]))
                section_line[key] = number
                section = key
                if kind == "factor":
                    study.factors[name] = {}
                else:
                    listed.append((name, number, []))
            else:
                raise StudyError("%s: unknown section [%s] (expected [study], [factor NAME] "
                                 "or [case NAME])" % (where, header))
            continue
        if section is None:
            raise StudyError("%s: '%s' before the first section ([study])" % (where, line))
        if "=" not in line:
            raise StudyError("%s: expected 'key = value', got '%s'" % (where, line))
        key, value = (part.strip() for part in line.split("=", 1))
        if not key:
            raise StudyError("%s: empty key in '%s'" % (where, line))
        if section[0] == "study":
            if key == "name":
                _check_name("study", value, where)
                study.name = value
            elif key == "base":
                study.base = os.path.normpath(os.path.join(os.path.dirname(study.path), value))
                if not os.path.isfile(study.base):
                    raise StudyError("%s: base case file '%s' not found (relative to the "
                                     "study file: %s)" % (where, value, study.base))
            elif key == "design":
                if value not in DESIGNS:
                    raise StudyError("%s: design '%s' unknown (expected: %s)"
                                     % (where, value, " or ".join(DESIGNS)))
                study.design = value
            elif key == "set":
                study.fixed.append(_check_override(value, where))
            elif key == "reference":
                study.reference = (value, number)
            elif key == "data":
                study.data = os.path.normpath(os.path.join(os.path.dirname(study.path), value))
                _check_data_file(study.data, where)
            elif key == "output":
                output_setting = os.path.normpath(
                    os.path.join(os.path.dirname(study.path), value))
            else:
                raise StudyError("%s: unknown key '%s' in [study] (known: name, base, design, "
                                 "set, reference, data, output)" % (where, key))
        elif section[0] == "factor":
            _check_name("level", key, where)
            levels = study.factors[section[1]]
            overrides = levels.setdefault(key, [])
            if value:
                overrides.append(_check_override(value, where))
        else:
            listed[-1][2].append((key, value, number))

    if not seen_study:
        raise StudyError("%s: no [study] section" % fname)
    if study.name is None:
        raise StudyError("%s: [study] has no 'name'" % fname)
    if study.base is None:
        raise StudyError("%s: [study] has no 'base' case file" % fname)
    for factor, levels in study.factors.items():
        if not levels:
            raise StudyError("%s:%d: [factor %s] has no levels"
                             % (fname, section_line[("factor", factor)], factor))

    if study.design == "full factorial":
        if listed:
            raise StudyError("%s:%d: [case %s] in a full factorial design (use design = list)"
                             % (fname, listed[0][1], listed[0][0]))
        if not study.factors:
            study.cases = [Case(study.name, {}, study.fixed)]
        else:
            names = list(study.factors)
            for combination in itertools.product(*(study.factors[f] for f in names)):
                levels = dict(zip(names, combination))
                overrides = list(study.fixed)
                for factor, level in levels.items():
                    overrides += study.factors[factor][level]
                case_name = "_".join("%s-%s" % (f, l) for f, l in levels.items())
                study.cases.append(Case(case_name, levels, overrides))
    else:
        if not listed:
            raise StudyError("%s: design = list but no [case NAME] sections" % fname)
        for case_name, line, entries in listed:
            levels = {factor: "" for factor in study.factors}
            own = []
            for key, value, number in entries:
                where = "%s:%d" % (fname, number)
                if key == "set":
                    own.append(_check_override(value, where))
                elif key in study.factors:
                    if value not in study.factors[key]:
                        raise StudyError("%s: [case %s]: factor '%s' has no level '%s' "
                                         "(levels: %s)" % (where, case_name, key, value,
                                                           ", ".join(study.factors[key])))
                    if levels[key]:
                        raise StudyError("%s: [case %s]: factor '%s' given twice"
                                         % (where, case_name, key))
                    levels[key] = value
                else:
                    raise StudyError("%s: [case %s]: '%s' is neither 'set' nor a factor "
                                     "(factors: %s)" % (where, case_name, key,
                                                        ", ".join(study.factors) or "none"))
            overrides = list(study.fixed)
            for factor, level in levels.items():
                if level:
                    overrides += study.factors[factor][level]
            study.cases.append(Case(case_name, levels, overrides + own))

    for case in study.cases:
        for override in case.overrides:
            if override.split("=", 1)[0].strip() == "Output/Directory":
                raise StudyError("%s: case %s sets Output/Directory; the study chooses each "
                                 "case's directory (use 'output =' in [study])"
                                 % (fname, case.name))
    if study.reference is not None:
        name, line = study.reference
        if study.case_by_name(name) is None:
            raise StudyError("%s:%d: reference case '%s' is not a case of the study (cases: %s)"
                             % (fname, line, name, ", ".join(c.name for c in study.cases)))
        study.reference = name
    if study.data is not None:
        names = {c.name for c in study.cases}
        unknown = sorted({row["case"].strip() for _, row in read_data_file(study.data)}
                         - names - {"*"})
        if unknown:
            raise StudyError("%s: data file %s names case(s) %s that the study does not have "
                             "(cases: %s)" % (fname, study.data, ", ".join(unknown),
                                              ", ".join(c.name for c in study.cases)))
    if output is not None:
        study.output = os.path.abspath(output)
    elif output_setting is not None:
        study.output = output_setting
    else:
        study.output = os.path.abspath(os.path.join("results", "studies", study.name))
    return study


OVERRIDE_SEPARATOR = " | "


def write_cases_csv(study, path=None):
    """Write the expanded cases to ``<output>/cases.csv`` (or ``path``) and return the path.

    Columns: case, one column per factor (the level label), directory, overrides (the --set
    arguments joined with ' | ', in the order they are passed). Also writes
    ``<output>/reference.txt`` with the reference case name for the report.
    """
    path = path or os.path.join(study.output, "cases.csv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    factors = list(study.factors)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case"] + factors + ["directory", "overrides"])
        for case in study.cases:
            writer.writerow([case.name] + [case.levels.get(f, "") for f in factors]
                            + [os.path.relpath(study.case_directory(case), study.output),
                               OVERRIDE_SEPARATOR.join(case.overrides)])
    # The report's reference case for % ROM reduction (empty: the first case).
    with open(os.path.join(study.output, "reference.txt"), "w", encoding="utf-8") as handle:
        handle.write((study.reference or "") + "\n")
    # Measured curves the report draws with the cases' moment-rotation curves.
    data = os.path.join(study.output, "data.csv")
    if study.data:
        with open(study.data, encoding="utf-8") as source, \
                open(data, "w", encoding="utf-8") as copy:
            copy.write(source.read())
    elif os.path.exists(data):
        os.remove(data)
    return path


DATA_COLUMNS = ("case", "load_case", "moment_Nm", "rotation_deg")


def _check_data_file(path, where):
    """A 'data =' file: CSV with columns case ('*': every case), load_case, moment_Nm,
    rotation_deg (optional sd_deg, source, pressure_MPa, role = fit | validation); '#' lines
    are comments. Raises StudyError naming the file and row."""
    if not os.path.isfile(path):
        raise StudyError("%s: data file '%s' not found" % (where, path))
    rows = read_data_file(path)
    for number, row in rows:
        for column in DATA_COLUMNS:
            if not (row.get(column) or "").strip():
                raise StudyError("%s: data file %s, row %d: '%s' is empty"
                                 % (where, path, number, column))
        for column in ("moment_Nm", "rotation_deg", "sd_deg", "pressure_MPa"):
            value = (row.get(column) or "").strip()
            if value:
                try:
                    float(value)
                except ValueError:
                    raise StudyError("%s: data file %s, row %d: %s '%s' is not a number"
                                     % (where, path, number, column, value))
        role = (row.get("role") or "").strip()
        if role not in ("", "fit", "validation"):
            raise StudyError("%s: data file %s, row %d: role '%s' unknown (fit, validation or "
                             "empty for fit)" % (where, path, number, role))


def read_data_file(path):
    """[(line number, row dict)] of a data file, comments and blank lines skipped."""
    with open(path, newline="", encoding="utf-8") as handle:
        lines = [(n, l) for n, l in enumerate(handle, 1)
                 if l.strip() and not l.lstrip().startswith("#")]
    if not lines:
        return []
    reader = csv.DictReader([l for _, l in lines])
    missing = [c for c in DATA_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise StudyError("data file %s: missing column(s) %s (expected %s)"
                         % (path, ", ".join(missing), ", ".join(DATA_COLUMNS)))
    return [(lines[i + 1][0], row) for i, row in enumerate(reader)]


def read_cases_csv(path):
    """Read cases.csv back: (factor names, list of dicts with case, levels, directory, overrides)."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        factors = header[1:-2]
        rows = []
        for row in reader:
            rows.append({"case": row[0], "levels": dict(zip(factors, row[1:-2])),
                         "directory": row[-2],
                         "overrides": [o for o in row[-1].split(OVERRIDE_SEPARATOR) if o]})
    return factors, rows


def describe(study, out=sys.stdout):
    """Print the study and its cases with their overrides."""
    out.write("study %s: %s design, base %s, %d case(s), output %s\n"
              % (study.name, study.design, study.base, len(study.cases), study.output))
    if study.reference:
        out.write("reference case: %s\n" % study.reference)
    for case in study.cases:
        out.write("  %s\n" % case.name)
        for override in case.overrides:
            out.write('      --set "%s"\n' % override)


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("study", help="study file")
    parser.add_argument("--output", help="study output directory (default from the study)")
    args = parser.parse_args(argv)
    try:
        study = parse_study(args.study, args.output)
    except (StudyError, OSError) as error:
        sys.stderr.write("study: error: %s\n" % error)
        return 1
    describe(study)
    return 0


if __name__ == "__main__":
    sys.exit(main())
