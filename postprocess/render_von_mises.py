"""Renders von Mises stress on the (exaggerated) deformed segment of one load case to a PNG.

    xvfb-run -a pvbatch postprocess/render_von_mises.py RESULTS_DIR [STEP] [OUT.png]

RESULTS_DIR is a run's output directory (holding solution.pvd); STEP is the load-case index
(see solution_steps.csv; default 0); the displacement is magnified 50x. Needs Debian's
paraview package (pvbatch) and a display (xvfb-run provides one).
"""
import os
import sys

from paraview.simple import SaveScreenshot, Show, WarpByVector

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paraview_scene  # noqa: E402

results = os.path.abspath(sys.argv[1])
step = int(sys.argv[2]) if len(sys.argv) > 2 else 0
out = sys.argv[3] if len(sys.argv) > 3 else os.path.join(results, f"von_mises_{step:03d}.png")

reader, scene, times = paraview_scene.open_run(results)
scene.AnimationTime = times[min(step, len(times) - 1)]

warp = WarpByVector(Input=reader)
warp.Vectors = ["POINTS", "displacement"]
warp.ScaleFactor = 50.0
view = paraview_scene.white_view()
display = Show(warp, view)
paraview_scene.colour(view, display, "von_mises_stress", "von Mises stress (MPa)", 0.0, 20.0)
# Left posterolateral view: vertebrae, rod and screw heads visible.
paraview_scene.camera(view, (-260.0, -140.0, 70.0))
SaveScreenshot(out, view, ImageResolution=paraview_scene.IMAGE_SIZE)
print(out)
