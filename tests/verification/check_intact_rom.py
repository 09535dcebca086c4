# Requirement: with ligaments and annulus fibres, the intact L4-L5 segment's ROM at 7.5 N m lies inside the published in-vitro range (Niosi et al. 2006, Eur Spine J 15:913, mean +- 1 SD: flexion 3.7 +- 1.5, extension 3.3 +- 1.5, lateral bending 3.8 +- 1.4, axial rotation 2.1 +- 0.9 deg): with compression-only pads and linear ligaments for flexion, lateral bending and axial rotation; with sliding facet joints and tension-only ligaments (cases/l4l5_intact_rom.prm) for all four; left and right axial rotation are equal and opposite, and the sliding joints' and ligaments' contact settles without a cycling active set.
"""Runs the intact case (2.5 mm voxels unless --voxel, annulus fibres, ligaments) with the
chosen facet model and checks the primary rotation against the published mean +- one standard deviation.

compression only (linear ligaments): the horizontal pads act as a posterior strut in
extension (about 0.9 deg), which is printed, not asserted. sliding joint: run with
tension-only ligaments (the calibrated pair, docs/model.md); all four are asserted.
"""
import argparse
import csv
import os
import re

from verification_common import Checks, add_run_arguments, run_bonefusion

PUBLISHED = {"flexion": (3.7, 1.5), "extension": (3.3, 1.5),
             "left lateral bending": (3.8, 1.4), "left axial rotation": (2.1, 0.9),
             "right axial rotation": (2.1, 0.9)}
NOT_ASSERTED = {"compression only": {"extension"}, "sliding joint": set()}
LIGAMENTS = {"compression only": "linear", "sliding joint": "tension only"}
SURFACES = {"compression only": "pads", "sliding joint": "curved"}
# Active-set solves per load case (loose and exact): with sliding joints and tension-only
# ligaments the contact is a convex problem; at 2.5 mm it settles in 4-9 solves on the curved
# joints (3-8 on pads). At 1.5 mm the curved joints' cells open ring by ring in lateral
# bending: 16 solves there (2026-12-05), 4-12 in the other load cases.
MAX_SLIDING_JOINT_ITERATIONS = {2.5: 12, 1.5: 20}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    add_run_arguments(parser)
    parser.add_argument("--contact", default="compression only", choices=sorted(NOT_ASSERTED))
    parser.add_argument("--voxel", default="2.5",
                        help="voxel size [mm]; 2.5 in the default suite, 1.5 (the cases' "
                             "default) in the slow test")
    args = parser.parse_args()
    run_bonefusion(args, {"Discretization/Voxel size": args.voxel,
                          "Facet joints/Contact": args.contact,
                          # compression-only joints are a model of horizontal pads; the
                          # sliding joints run on the default curved surfaces
                          "Geometry/Facet surfaces": SURFACES[args.contact],
                          "Ligaments/Behaviour": LIGAMENTS[args.contact],
                          "Geometry/Ligaments": "true",
                          "Annulus fibres/Present": "true",
                          "Loads/Moment": "7.5",
                          "Loads/Load cases": ", ".join(PUBLISHED),
                          "Output/Write visualization": "false"})
    output = os.path.abspath(args.output)
    with open(os.path.join(output, "statistics.csv")) as f:
        rows = {r["load_case"]: r for r in csv.DictReader(f)}
    rotation = {case: float(r["primary_rotation_deg"]) for case, r in rows.items()}
    checks = Checks()
    for case, (mean, sd) in PUBLISHED.items():
        value = rotation[case]
        if case in NOT_ASSERTED[args.contact]:
            print(f"{case}: {value:.3f} deg (published {mean} +- {sd}; not asserted with "
                  f"'{args.contact}', see the docstring)")
            continue
        print(f"{case}: {value:.3f} deg (published {mean} +- {sd})")
        checks.check(mean - sd <= value <= mean + sd,
                     f"{case}: {value:.3f} deg outside the published {mean} +- {sd} deg")
    left, right = rotation["left axial rotation"], rotation["right axial rotation"]
    checks.check(abs(left - right) <= 1e-6 * abs(left),
                 f"left and right axial rotation differ: {left:.6f} vs {right:.6f} deg "
                 "(the model is symmetric)")
    if args.contact == "sliding joint":
        with open(os.path.join(output, "log.txt")) as f:
            log = f.read()
        checks.check("active set cycled" not in log,
                     "the active set cycled:\n" +
                     "\n".join(re.findall(r".*cycled.*", log)))
        limit = MAX_SLIDING_JOINT_ITERATIONS[2.5 if float(args.voxel) >= 2.5 else 1.5]
        for case, r in rows.items():
            iterations = int(float(r["contact_iterations"]))
            print(f"{case}: {iterations} contact iterations")
            checks.check(1 <= iterations <= limit,
                         f"{case}: {iterations} contact iterations (expected 1 to {limit})")
    checks.finish()


if __name__ == "__main__":
    main()
