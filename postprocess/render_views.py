"""Standard ParaView views of a bonefusion run, rendered to PNG without a display.

    xvfb-run -a pvbatch postprocess/render_views.py RESULTS_DIR [OUT_DIR]

Writes into OUT_DIR (default RESULTS_DIR/views):
  construct_von_mises.png      von Mises stress on the construct (first step), deformed 50x
  graft_bone_day<day>.png      healing runs: the graft's bone fraction (woven + mature) at every
                               written step, cut at the disc mid-plane (grey: not graft; the
                               dominant tissue is the array graft_tissue, 0 granulation,
                               1 fibrous, 2 cartilage, 3 woven bone, 4 mature bone, 5 resorbed)
  density_change.png           healing runs: cancellous density change [%] at the last step,
                               cut through the mid-sagittal plane
and prints one line per file. Needs Debian's paraview (pvbatch) and xvfb-run.
"""
import os
import sys

from paraview.simple import (GetColorTransferFunction, Hide, SaveScreenshot, Show, Slice,
                             WarpByVector)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paraview_scene  # noqa: E402

results = os.path.abspath(sys.argv[1])
out_dir = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(results, "views")
os.makedirs(out_dir, exist_ok=True)

reader, scene, times = paraview_scene.open_run(results)
arrays = reader.PointData.keys()
healing = "graft_tissue" in arrays
view = paraview_scene.white_view()


def colour(display, field, title, low, high, preset="Turbo"):
    paraview_scene.colour(view, display, field, title, low, high, preset)


def camera(position, up=(0.0, 0.0, 1.0)):
    paraview_scene.camera(view, position, up)


def save(name):
    path = os.path.join(out_dir, name)
    SaveScreenshot(path, view, ImageResolution=paraview_scene.IMAGE_SIZE)
    print(path)


# 1. von Mises stress on the deformed construct, first step (posterolateral view).
scene.AnimationTime = times[0]
warp = WarpByVector(Input=reader)
warp.Vectors = ["POINTS", "displacement"]
warp.ScaleFactor = 50.0
shown = Show(warp, view)
colour(shown, "von_mises_stress", "von Mises stress (MPa), displacement x50", 0.0, 20.0)
camera((-260.0, -140.0, 70.0))
save("construct_von_mises.png")
Hide(warp, view)

if healing:
    # 2. Graft ossification over time, cut just above the disc mid-plane (z = 0 is a plane of
    #    cell faces), seen from above; cells outside the graft (value -1) are grey.
    mid = Slice(Input=reader)
    mid.SliceType = "Plane"
    mid.SliceType.Origin = [0.0, 0.0, 0.3]
    mid.SliceType.Normal = [0.0, 0.0, 1.0]
    shown = Show(mid, view)
    colour(shown, "graft_bone_fraction", "bone fraction of the graft (-)", 0.0, 1.0, "Viridis (matplotlib)")
    lut = GetColorTransferFunction("graft_bone_fraction")
    lut.UseBelowRangeColor = 1
    lut.BelowRangeColor = [0.85, 0.85, 0.85]
    camera((0.0, 0.0, 300.0), (0.0, 1.0, 0.0))
    for t in times:
        scene.AnimationTime = t
        save(f"graft_bone_day{t:05.0f}.png")
    Hide(mid, view)

    # 3. Density change of the cancellous bone at the last step, mid-sagittal cut x = 0.
    scene.AnimationTime = times[-1]
    sagittal = Slice(Input=reader)
    sagittal.SliceType = "Plane"
    sagittal.SliceType.Origin = [0.0, 0.0, 0.0]
    sagittal.SliceType.Normal = [1.0, 0.0, 0.0]
    shown = Show(sagittal, view)
    colour(shown, "density_change_percent", f"density change at day {times[-1]:.0f} (%)",
           -50.0, 50.0, "Cool to Warm")
    camera((300.0, 0.0, 0.0))
    save("density_change.png")
