# Requirement: with ligaments, compression-only facets and annulus fibres, the intact L4-L5 segment's flexion, lateral bending and axial rotation ROM at 7.5 N m lie inside the published in-vitro range (Niosi et al. 2006, Eur Spine J 15:913: flexion 3.7 +- 1.5 deg, lateral bending 3.8 +- 1.4 deg, axial rotation 2.1 +- 0.9 deg, mean +- 1 SD), and left and right axial rotation are equal and opposite.
"""Runs the intact case (2.5 mm voxels, compression-only facets, annulus fibres) and checks the
primary rotation against the published mean +- one standard deviation.

Extension (3.3 +- 1.5) is printed but not asserted: with horizontal facet pads the facets act
as a posterior strut in extension and the model is too stiff there (about 0.9 deg;
docs/model.md); tighten this test when oriented facet joints land.
"""
import argparse
import csv
import os

from verification_common import Checks, add_run_arguments, run_bonefusion

# Niosi et al. 2006, intact L3-L4, 7.5 N m, no preload: mean and one SD, degrees.
PUBLISHED = {"flexion": (3.7, 1.5), "left lateral bending": (3.8, 1.4),
             "left axial rotation": (2.1, 0.9), "right axial rotation": (2.1, 0.9)}
REPORTED_ONLY = {"extension": (3.3, 1.5)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    add_run_arguments(parser)
    args = parser.parse_args()
    cases = list(PUBLISHED) + list(REPORTED_ONLY)
    run_bonefusion(args, {"Discretization/Voxel size": "2.5",
                          "Facet joints/Contact": "compression only",
                          "Geometry/Ligaments": "true",
                          "Annulus fibres/Present": "true",
                          "Loads/Moment": "7.5",
                          "Loads/Load cases": ", ".join(cases),
                          "Output/Write visualization": "false"})
    with open(os.path.join(os.path.abspath(args.output), "statistics.csv")) as f:
        rows = {r["load_case"]: float(r["primary_rotation_deg"]) for r in csv.DictReader(f)}
    checks = Checks()
    for case, (mean, sd) in PUBLISHED.items():
        value = rows[case]
        print(f"{case}: {value:.3f} deg (published {mean} +- {sd})")
        checks.check(mean - sd <= value <= mean + sd,
                     f"{case}: {value:.3f} deg outside the published {mean} +- {sd} deg")
    left, right = rows["left axial rotation"], rows["right axial rotation"]
    checks.check(abs(left - right) <= 1e-6 * abs(left),
                 f"left and right axial rotation differ: {left:.6f} vs {right:.6f} deg "
                 "(the model is symmetric)")
    for case, (mean, sd) in REPORTED_ONLY.items():
        print(f"{case}: {rows[case]:.3f} deg (published {mean} +- {sd}; not asserted, see docstring)")
    checks.finish()


if __name__ == "__main__":
    main()
