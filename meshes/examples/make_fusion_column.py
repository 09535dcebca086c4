#!/usr/bin/env python3
"""Writes fusion_column.inp (+ fusion_column_nodes.inp, pulled in by *INCLUDE): a block model
of a fused disc space for trying imported meshes. Coordinates in mm.

    z  0-10  LOWER_BODY   vertebral body below (cancellous bone)
    z 10-20  GRAFT        bone graft in the middle of the disc space (x 6-14, y 6-12)
             CAGE         a 2 mm wall around the graft (the cage)
             DISC         the remaining annulus
    z 20-30  UPPER_BODY   vertebral body above
    all z    ROD          a posterior rod, x 8-12, y 0-2 (bonded to both bodies)

Node set BASE (z = 0) is clamped in the example case, the element-face surface TOP (z = 30,
face S2 of the top layer) is loaded. Hexahedra of 2 mm (C3D8): 10 x 8 x 15 = 1200 elements.
Run: python3 make_fusion_column.py   (deterministic; the outputs are committed)
"""
import os

H = 2.0
NX, NY, NZ = 10, 8, 15
here = os.path.dirname(os.path.abspath(__file__))


def node_id(i, j, k):
    return 1 + i + (NX + 1) * (j + (NY + 1) * k)


def region(i, j, k):
    x, y, z = (i + 0.5) * H, (j + 0.5) * H, (k + 0.5) * H
    if 8 < x < 12 and y < 2:
        return "ROD"
    if z < 10:
        return "LOWER_BODY"
    if z > 20:
        return "UPPER_BODY"
    if 6 < x < 14 and 6 < y < 12:
        return "GRAFT"
    if 4 < x < 16 and 4 < y < 14:
        return "CAGE"
    return "DISC"


with open(os.path.join(here, "fusion_column_nodes.inp"), "w") as f:
    f.write("** Nodes of fusion_column.inp [mm]\n*NODE, NSET=ALL_NODES\n")
    for k in range(NZ + 1):
        for j in range(NY + 1):
            for i in range(NX + 1):
                f.write(f"{node_id(i, j, k)}, {i * H:g}, {j * H:g}, {k * H:g}\n")

sets = {}
with open(os.path.join(here, "fusion_column.inp"), "w") as f:
    f.write("** Fused disc space as a block model (see make_fusion_column.py). Units: mm.\n")
    f.write("*INCLUDE, INPUT=fusion_column_nodes.inp\n")
    f.write("*ELEMENT, TYPE=C3D8, ELSET=ALL_ELEMENTS\n")
    e = 0
    for k in range(NZ):
        for j in range(NY):
            for i in range(NX):
                e += 1
                n = [node_id(i, j, k), node_id(i + 1, j, k), node_id(i + 1, j + 1, k),
                     node_id(i, j + 1, k), node_id(i, j, k + 1), node_id(i + 1, j, k + 1),
                     node_id(i + 1, j + 1, k + 1), node_id(i, j + 1, k + 1)]
                f.write(f"{e}, " + ", ".join(map(str, n)) + "\n")
                sets.setdefault(region(i, j, k), []).append(e)
                if k == NZ - 1:
                    sets.setdefault("TOP_LAYER", []).append(e)
    for name, members in sets.items():
        f.write(f"*ELSET, ELSET={name}\n")
        for start in range(0, len(members), 16):
            f.write(", ".join(map(str, members[start:start + 16])) + "\n")
    f.write("*NSET, NSET=BASE\n")
    base = [node_id(i, j, 0) for j in range(NY + 1) for i in range(NX + 1)]
    for start in range(0, len(base), 16):
        f.write(", ".join(map(str, base[start:start + 16])) + "\n")
    f.write("*SURFACE, NAME=TOP, TYPE=ELEMENT\nTOP_LAYER, S2\n")
