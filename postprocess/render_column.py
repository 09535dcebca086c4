"""Pictures of a column model's anatomy and its deformation, rendered without a display.

    xvfb-run -a -s "-screen 0 1280x1024x24" pvbatch postprocess/render_column.py RESULTS_DIR [OUT_DIR]

Writes into OUT_DIR (default RESULTS_DIR/views):
  column_lateral.png        the model seen from the left, coloured by tissue (bone, discs,
                            cartilage, ligaments, implants): the sagittal curve of the column
  column_posterolateral.png the same from behind and to the left: the posterior elements
Needs Debian's paraview (pvbatch) and xvfb-run.
"""
import os
import sys

from paraview.simple import SaveScreenshot, Show

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paraview_scene  # noqa: E402

results = os.path.abspath(sys.argv[1])
out_dir = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(results, "views")
os.makedirs(out_dir, exist_ok=True)

reader, scene, times = paraview_scene.open_run(results)
view = paraview_scene.white_view()
display = Show(reader, view)
# Tissue ids (model/tissue.h): bone 1-3 and 6, disc 4-5, cartilage 7, implants 8-12, ligaments 13-16.
paraview_scene.colour(view, display, "tissue", "tissue", 0, 16, preset="Rainbow Uniform")
for name, position in (("column_lateral.png", (-600.0, 0.0, 0.0)),
                       ("column_posterolateral.png", (-400.0, -450.0, 150.0))):
    paraview_scene.camera(view, position)
    path = os.path.join(out_dir, name)
    SaveScreenshot(path, view, ImageResolution=paraview_scene.IMAGE_SIZE)
    print(path)
