"""Shared pieces of the pvbatch scripts (render_views.py, render_von_mises.py): open a run's
solution.pvd, a white render view, colouring with a labelled scalar bar, and the camera.
Runs inside ParaView's Python (Debian's pvbatch / python3-paraview)."""
import os

from paraview.simple import (ColorBy, GetActiveViewOrCreate, GetAnimationScene,
                             GetColorTransferFunction, GetScalarBar, PVDReader, ResetCamera)

IMAGE_SIZE = [1200, 900]


def open_run(results):
    """Reader of RESULTS/solution.pvd, the animation scene and the time values."""
    reader = PVDReader(FileName=os.path.join(results, "solution.pvd"))
    scene = GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    try:
        times = [float(t) for t in reader.TimestepValues]
    except TypeError:  # a single time step comes back as a number
        times = [float(reader.TimestepValues)]
    return reader, scene, times


def white_view():
    """The render view with a white background (also on ParaView >= 5.10) and axes."""
    view = GetActiveViewOrCreate("RenderView")
    view.ViewSize = IMAGE_SIZE
    try:
        view.UseColorPaletteForBackground = 0  # ParaView >= 5.10: else the palette wins
    except AttributeError:
        pass
    view.Background = [1, 1, 1]
    view.OrientationAxesVisibility = 1
    return view


def colour(view, display, field, title, low, high, preset="Turbo"):
    """Colour display by the point field over [low, high] with a black-lettered scalar bar."""
    ColorBy(display, ("POINTS", field))
    lut = GetColorTransferFunction(field)
    lut.ApplyPreset(preset, True)
    lut.RescaleTransferFunction(low, high)
    display.SetScalarBarVisibility(view, True)
    bar = GetScalarBar(lut, view)
    bar.Title = title
    bar.ComponentTitle = ""
    bar.TitleColor = [0, 0, 0]
    bar.LabelColor = [0, 0, 0]


def camera(view, position, up=(0.0, 0.0, 1.0)):
    """Look at the origin from position, then fit the scene."""
    view.CameraPosition = list(position)
    view.CameraFocalPoint = [0.0, 0.0, 0.0]
    view.CameraViewUp = list(up)
    ResetCamera(view)
