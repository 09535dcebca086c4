"""Renders von Mises stress on the (exaggerated) deformed segment of one load case to a PNG.

    xvfb-run -a pvbatch postprocess/render_von_mises.py RESULTS_DIR [STEP] [OUT.png]

RESULTS_DIR is a run's output directory (holding solution.pvd); STEP is the load-case index
(see solution_steps.csv; default 0); the displacement is magnified 50x. Needs Debian's
paraview package (pvbatch) and a display (xvfb-run provides one).
"""
import os
import sys

from paraview.simple import (ColorBy, GetScalarBar, GetActiveViewOrCreate, GetAnimationScene, GetColorTransferFunction,
                             PVDReader, ResetCamera, SaveScreenshot, Show, Threshold, WarpByVector)

results = os.path.abspath(sys.argv[1])
step = int(sys.argv[2]) if len(sys.argv) > 2 else 0
out = sys.argv[3] if len(sys.argv) > 3 else os.path.join(results, f"von_mises_{step:03d}.png")

reader = PVDReader(FileName=os.path.join(results, "solution.pvd"))
scene = GetAnimationScene()
scene.UpdateAnimationUsingDataTimeSteps()
try:
    times = [float(t) for t in reader.TimestepValues]
except TypeError:  # a single time step comes back as a number
    times = [float(reader.TimestepValues)]
scene.AnimationTime = times[min(step, len(times) - 1)]

warp = WarpByVector(Input=reader)
warp.Vectors = ["POINTS", "displacement"]
warp.ScaleFactor = 50.0
view = GetActiveViewOrCreate("RenderView")
view.ViewSize = [1200, 900]
try:
    view.UseColorPaletteForBackground = 0  # ParaView >= 5.10: else the palette wins
except AttributeError:
    pass
view.Background = [1, 1, 1]
view.OrientationAxesVisibility = 1
display = Show(warp, view)
ColorBy(display, ("POINTS", "von_mises_stress"))
lut = GetColorTransferFunction("von_mises_stress")
lut.ApplyPreset("Turbo", True)
lut.RescaleTransferFunction(0.0, 20.0)
display.SetScalarBarVisibility(view, True)
bar = GetScalarBar(lut, view)
bar.Title = "von Mises stress (MPa)"
bar.ComponentTitle = ""
bar.TitleColor = [0, 0, 0]
bar.LabelColor = [0, 0, 0]
# Left posterolateral view: vertebrae, rod and screw heads visible.
view.CameraPosition = [-260.0, -140.0, 70.0]
view.CameraFocalPoint = [0.0, 0.0, 0.0]
view.CameraViewUp = [0.0, 0.0, 1.0]
ResetCamera(view)
SaveScreenshot(out, view, ImageResolution=[1200, 900])
print(out)
