#!/usr/bin/env bash
# Regenerates the regression references tests/regression/reference/<case>.csv from serial
# (np = 1) runs of the current build, for review: inspect `git diff tests/regression/reference`
# and commit only changes you can explain (the run's log is in the printed directory).
# Usage: tests/regression/update_references.sh [path/to/bonefusion] [case ...]
#   (contact_coarse_exact is contact_coarse.prm with the exact active set)
#   default executable: build/bin/bonefusion; default cases: every tests/regression/*.prm
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
exe="${1:-$root/build/bin/bonefusion}"
shift || true
if [[ ! -x "$exe" ]]; then
  echo "update_references.sh: no executable '$exe' (build first: cd build && make bonefusion)" >&2
  exit 1
fi
cases=("$@")
if [[ ${#cases[@]} -eq 0 ]]; then
  for prm in "$here"/*.prm; do cases+=("$(basename "$prm" .prm)"); done
  cases+=(contact_coarse_exact)
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/bonefusion-references.XXXXXX")"
mkdir -p "$here/reference"
for case in "${cases[@]}"; do
  echo "== $case"
  out="$work/$case"
  # contact_coarse_exact: contact_coarse with every active set solved exactly
  # (tests/regression/CMakeLists.txt).
  prm="$here/$case.prm" extra=()
  if [[ $case == contact_coarse_exact ]]; then
    prm="$here/contact_coarse.prm" extra=(--set "Solver/Contact iteration tolerance=1e-8")
  fi
  "$exe" "$prm" "${extra[@]}" --set "Output/Directory=$out" > "$work/$case.log" 2>&1 || {
    echo "update_references.sh: $case failed, see $work/$case.log" >&2
    exit 1
  }
  test -f "$out/COMPLETED"
  # The wall-clock column is dropped: it differs on every run and is never compared.
  python3 - "$out/statistics.csv" "$here/reference/$case.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f))
drop = {i for i, c in enumerate(rows[0]) if c == "solve_seconds"}
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    for r in rows:
        w.writerow([v for i, v in enumerate(r) if i not in drop])
PY
  if [[ $case == mesh_* ]]; then
    python3 "$here/compare_statistics.py" "$out/statistics.csv" \
      --max-column=equilibrium_relative_error=1e-6
  elif [[ $case == healing_* ]]; then
    python3 "$here/compare_statistics.py" "$out/statistics.csv" \
      --max-column=graft_bone_fraction=1.000001 --max-column=graft_bridging_fraction=1.000001
  else
    python3 "$here/compare_statistics.py" "$out/statistics.csv" --max-load-sharing-error=0.01 \
      --positive-primary-rotation=flexion --positive-primary-rotation=extension
  fi
done
echo "References written to $here/reference (run logs in $work)."
echo "Review with: git -C '$root' diff --stat -- tests/regression/reference"
