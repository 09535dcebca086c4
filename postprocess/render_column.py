"""Pictures of a column model's anatomy, rendered without a display.

    xvfb-run -a -s "-screen 0 1280x1024x24" pvbatch postprocess/render_column.py RESULTS_DIR [OUT_DIR]

Writes into OUT_DIR (default RESULTS_DIR/views), the undeformed model coloured by tissue as an
anatomy atlas would (bone ivory, disc blue, facet cartilage yellow, ligaments red, implants
grey, graft brown; legend on the right):
  column_anterolateral.png  from the front and to the left: bodies, discs, the lordosis
  column_lateral.png        from the left (anterior to the left): the sagittal curve
  column_posterolateral.png from behind and to the left: laminae, facet joints, processes
  column_posterior.png      from behind: laminae, spinous processes, the interlaminar gaps
Needs Debian's paraview (pvbatch) and xvfb-run. A boundary-fitted run (Discretization/Fit
region boundaries = true) shows smooth surfaces instead of the voxel staircase.
"""
import os
import sys

from paraview.simple import ColorBy, GetColorTransferFunction, GetScalarBar, SaveScreenshot, Show

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paraview_scene  # noqa: E402

# Tissue ids (solver/model/tissue.h) -> legend label and colour.
BONE = (0.91, 0.87, 0.76)
LIGAMENT = (0.78, 0.27, 0.25)
TISSUES = {
    1: ("cortical bone", BONE), 2: ("cancellous bone", BONE), 3: ("bony endplate", BONE),
    4: ("annulus", (0.56, 0.71, 0.86)), 5: ("nucleus", (0.33, 0.50, 0.80)),
    6: ("posterior elements", BONE), 7: ("facet cartilage", (0.96, 0.78, 0.18)),
    8: ("screw", (0.55, 0.57, 0.62)), 9: ("rod", (0.40, 0.42, 0.48)),
    10: ("cage", (0.25, 0.27, 0.32)), 11: ("graft", (0.72, 0.50, 0.32)),
    12: ("posterolateral graft", (0.72, 0.50, 0.32)),
    13: ("anterior longitudinal lig.", LIGAMENT), 14: ("posterior longitudinal lig.", LIGAMENT),
    15: ("ligamentum flavum", LIGAMENT), 16: ("interspinous lig.", LIGAMENT),
}
VIEWS = (("column_anterolateral.png", (-450.0, 450.0, 120.0)),
         ("column_lateral.png", (-600.0, 0.0, 0.0)),
         ("column_posterolateral.png", (-400.0, -450.0, 150.0)),
         ("column_posterior.png", (0.0, -600.0, 60.0)))


def tissue_colours(view, display):
    """Colour by tissue as categories with a legend of the tissue names."""
    ColorBy(display, ("POINTS", "tissue"))
    lut = GetColorTransferFunction("tissue")
    lut.InterpretValuesAsCategories = 1
    lut.AnnotationsInitialized = 1
    annotations, colours = [], []
    for tissue, (label, rgb) in sorted(TISSUES.items()):
        annotations += [str(tissue), label]
        colours += list(rgb)
    lut.Annotations = annotations
    lut.IndexedColors = colours
    display.SetScalarBarVisibility(view, True)
    bar = GetScalarBar(lut, view)
    bar.Title = "tissue"
    bar.ComponentTitle = ""
    bar.TitleColor = [0, 0, 0]
    bar.LabelColor = [0, 0, 0]


def main():
    results = os.path.abspath(sys.argv[1])
    out_dir = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(results, "views")
    os.makedirs(out_dir, exist_ok=True)
    reader, _, times = paraview_scene.open_run(results)
    view = paraview_scene.white_view()
    view.ViewTime = times[0]
    display = Show(reader, view)
    display.Specular = 0.2
    tissue_colours(view, display)
    for name, position in VIEWS:
        paraview_scene.camera(view, position)
        path = os.path.join(out_dir, name)
        SaveScreenshot(path, view, ImageResolution=paraview_scene.IMAGE_SIZE)
        print(path)


main()
