#!/usr/bin/env python3
"""Requirement: the standard ParaView views (postprocess/render_views.py) render a healing run
to PNG without a display (xvfb-run + Debian's pvbatch): von Mises on the construct, the graft's
bone fraction at every written step and the density change; each image is a real picture
(non-trivial size, more than a handful of colours).

Runs the coarse healing case (4 mm voxels, 50 days, visits at 42 days) with ParaView output,
then `xvfb-run -a pvbatch postprocess/render_views.py`.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verification_common import Checks, add_run_arguments, run_bonefusion  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "postprocess"))
import headless_render  # noqa: E402


def colours(png):
    """Number of distinct RGB colours of a PNG (matplotlib reads it)."""
    import matplotlib.image
    import numpy
    image = matplotlib.image.imread(png)[:, :, :3]
    return len(numpy.unique((image * 255).astype(numpy.uint8).reshape(-1, 3), axis=0))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    add_run_arguments(parser)
    args = parser.parse_args()
    checks = Checks()
    run_bonefusion(args, {"Discretization/Voxel size": "4", "Time/End time": "50",
                          "Time/Time step policy": "fixed", "Time/Time step": "25",
                          "Time/Follow-up visits": "42"})
    views = os.path.join(os.path.abspath(args.output), "views")
    code, output = headless_render.run_pvbatch(
        os.path.join(ROOT, "postprocess", "render_views.py"), [os.path.abspath(args.output), views])
    print(output.splitlines()[0] if output else "", flush=True)
    checks.check(code == 0, f"render_views.py exits 0 (got {code})")
    if code != 0:
        print(headless_render.summary(output))
    expected = ["construct_von_mises.png", "graft_bone_day00000.png", "graft_bone_day00042.png",
                "graft_bone_day00050.png", "density_change.png"]
    for name in expected:
        path = os.path.join(views, name)
        ok = os.path.exists(path) and os.path.getsize(path) > 10000
        checks.check(ok, f"{name} written ({os.path.getsize(path) if os.path.exists(path) else 0} bytes)")
        if ok:
            n = colours(path)
            checks.check(n > 20, f"{name} is a picture ({n} colours)")
    checks.finish()


if __name__ == "__main__":
    main()
