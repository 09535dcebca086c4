# Helpers for the CalculiX cross-check and benchmark: a heterogeneous, distorted block meshed
# with C3D8 / C3D20 / C3D4 / C3D10, written as a CalculiX deck; running ccx; reading its .dat.
"""The block (mm): 20 (x) x 10 (y) x 30 (z). Along z a stiff inferior "vertebra" (0-12), a soft
"disc" (12-18) and a superior "vertebra" (18-30); a stiff "rod" (x 12-16, y 3-7) runs through
all three. The mesh is graded inside each segment and every node not on the outer boundary is
moved randomly (fixed seed) by up to 15 % of the local spacing, so no element is a box. The
outer faces stay planes: the loaded top face (z = 30) has area 200 mm^2 whatever the mesh.

Node set FIX = all nodes at z = 0 (clamped); element-face surface LOAD = the top faces.
Tetrahedra: each hexahedron is split into 6 (Kuhn split along its 1-7 diagonal; the induced
face diagonals match between neighbours). Quadratic elements get their midside nodes at the
edge midpoints (straight edges, so the geometry equals the linear one).

Only numpy; no third-party packages.
"""
import itertools
import os
import re
import subprocess

import numpy as np

# Segment break points (mm) and the number of cells per segment of the test mesh.
X_BREAKS = (0.0, 12.0, 16.0, 20.0)
Y_BREAKS = (0.0, 3.0, 7.0, 10.0)
Z_BREAKS = (0.0, 12.0, 18.0, 30.0)
TEST_COUNTS = ((5, 2, 2), (2, 3, 2), (5, 3, 5))

# Element sets and their isotropic elastic constants (E in MPa, nu); nu < 0.45 everywhere so
# that bonefusion uses the standard (not the B-bar) element, like CalculiX's C3D8.
MATERIALS = {"VERT_INF": (12000.0, 0.3), "DISC": (300.0, 0.4), "VERT_SUP": (8000.0, 0.25),
             "ROD": (110000.0, 0.34)}
TOP_AREA = (X_BREAKS[-1] - X_BREAKS[0]) * (Y_BREAKS[-1] - Y_BREAKS[0])
TOP_CENTROID = np.array([10.0, 5.0, 30.0])

# Face corner lists (0-based local node indices) of the CalculiX/Abaqus face numbers S1...;
# probe_face_numbering() checks them against ccx itself.
HEX_FACES = {1: (0, 1, 2, 3), 2: (4, 7, 6, 5), 3: (0, 4, 5, 1), 4: (1, 5, 6, 2),
             5: (2, 6, 7, 3), 6: (3, 7, 4, 0)}
TET_FACES = {1: (0, 1, 2), 2: (0, 3, 1), 3: (1, 3, 2), 4: (2, 3, 0)}
# Midside node positions (0-based) by corner pair.
HEX20_EDGES = [(0, 1), (1, 2), (2, 3), (3, 0), (4, 5), (5, 6), (6, 7), (7, 4),
               (0, 4), (1, 5), (2, 6), (3, 7)]
TET10_EDGES = [(0, 1), (1, 2), (2, 0), (0, 3), (1, 3), (2, 3)]
ELEMENT_TYPES = ("C3D8", "C3D20", "C3D4", "C3D10")


def graded(breaks, counts):
    """1D coordinates: each segment split into `counts` cells, clustered towards its ends."""
    points = [breaks[0]]
    for a, b, n in zip(breaks[:-1], breaks[1:], counts):
        t = np.arange(1, n + 1) / n
        t = t - 0.35 * np.sin(2.0 * np.pi * t) / (2.0 * np.pi)  # monotone, denser at the ends
        points.extend(a + (b - a) * t)
    return np.array(points)


def counts_for_spacing(h):
    """Cells per segment for a target spacing h (mm), at least one per segment."""
    return tuple(tuple(max(1, int(round((b - a) / h))) for a, b in zip(br[:-1], br[1:]))
                 for br in (X_BREAKS, Y_BREAKS, Z_BREAKS))


class Block:
    """Hexahedral grid of the block: vertex coordinates, hexahedra and their regions."""

    def __init__(self, counts=TEST_COUNTS, perturbation=0.15, seed=20261125):
        xs, ys, zs = (graded(b, c) for b, c in zip((X_BREAKS, Y_BREAKS, Z_BREAKS), counts))
        self.shape = (len(xs), len(ys), len(zs))
        X, Y, Z = np.meshgrid(xs, ys, zs, indexing="ij")
        coords = np.stack([X, Y, Z], axis=-1)
        # Random interior displacement, bounded by a fraction of the smaller adjacent spacing.
        rng = np.random.default_rng(seed)
        for axis, p in enumerate((xs, ys, zs)):
            h = np.diff(p)
            local = np.minimum(np.r_[h[0], h], np.r_[h, h[-1]])
            shape = [1, 1, 1]
            shape[axis] = len(p)
            move = rng.uniform(-1.0, 1.0, size=coords.shape[:3]) * perturbation * local.reshape(shape)
            coords[..., axis] += move * self._interior_mask()
        # Vertex v = (i, j, k) has 0-based index i + nx (j + ny k); node ids are index + 1.
        self.vertices = representable(coords.transpose(2, 1, 0, 3).reshape(-1, 3))
        nx, ny, nz = self.shape
        i, j, k = np.meshgrid(np.arange(nx - 1), np.arange(ny - 1), np.arange(nz - 1), indexing="ij")
        i, j, k = (a.transpose(2, 1, 0).ravel() for a in (i, j, k))
        vid = lambda a, b, c: a + nx * (b + ny * c)
        self.hexes = np.stack([vid(i, j, k), vid(i + 1, j, k), vid(i + 1, j + 1, k), vid(i, j + 1, k),
                               vid(i, j, k + 1), vid(i + 1, j, k + 1), vid(i + 1, j + 1, k + 1),
                               vid(i, j + 1, k + 1)], axis=1)
        seg = lambda idx, n: np.searchsorted(np.cumsum(n), idx, side="right")
        sx, sy, sz = seg(i, counts[0]), seg(j, counts[1]), seg(k, counts[2])
        names = np.array(["VERT_INF", "DISC", "VERT_SUP"])[sz]
        names[(sx == 1) & (sy == 1)] = "ROD"
        self.hex_region = names
        self.hex_top = k == nz - 2  # hexahedra with a face on z = 30

    def _interior_mask(self):
        nx, ny, nz = self.shape
        m = np.zeros(self.shape)
        m[1:-1, 1:-1, 1:-1] = 1.0
        return m


def _kuhn_tets():
    """Local corner lists of the 6 Kuhn tetrahedra of the reference hexahedron."""
    corner = {(0, 0, 0): 0, (1, 0, 0): 1, (1, 1, 0): 2, (0, 1, 0): 3,
              (0, 0, 1): 4, (1, 0, 1): 5, (1, 1, 1): 6, (0, 1, 1): 7}
    tets = []
    for perm in itertools.permutations(range(3)):
        v = [0, 0, 0]
        path = [corner[tuple(v)]]
        for axis in perm:
            v[axis] = 1
            path.append(corner[tuple(v)])
        tets.append(path)
    return np.array(tets)


def _signed_volumes(x, cells):
    a, b, c, d = (x[cells[:, n]] for n in range(4))
    return np.einsum("ij,ij->i", np.cross(b - a, c - a), d - a) / 6.0


class Mesh:
    """One element type on the block: node coordinates (node id = row + 1), element
    connectivity (0-based rows), element regions and the top faces as (element, S-number)."""

    def __init__(self, block, element_type):
        self.element_type = element_type
        x = block.vertices
        if element_type in ("C3D8", "C3D20"):
            cells, regions = block.hexes, block.hex_region
            top = [(e, 2) for e in np.nonzero(block.hex_top)[0]]
        else:
            local = _kuhn_tets()
            cells = block.hexes[:, local].reshape(-1, 4)
            regions = np.repeat(block.hex_region, len(local))
            vol = _signed_volumes(x, cells)
            flip = vol < 0
            cells[flip] = cells[flip][:, [0, 2, 1, 3]]
            assert np.all(np.abs(vol) > 0), "degenerate tetrahedron"
            ztop = Z_BREAKS[-1]
            on_top = np.abs(x[cells, 2] - ztop) < 1e-12
            top = []
            for e in np.nonzero(on_top.sum(axis=1) == 3)[0]:
                for s, f in TET_FACES.items():
                    if on_top[e, list(f)].all():
                        top.append((e, s))
        self.corner_cells = cells
        if element_type in ("C3D20", "C3D10"):
            edges = HEX20_EDGES if element_type == "C3D20" else TET10_EDGES
            pairs = np.sort(np.stack([cells[:, [a, b]] for a, b in edges], axis=1), axis=2)
            unique, inverse = np.unique(pairs.reshape(-1, 2), axis=0, return_inverse=True)
            mid = representable(0.5 * (x[unique[:, 0]] + x[unique[:, 1]]))
            cells = np.hstack([cells, len(x) + inverse.reshape(len(cells), len(edges))])
            x = np.vstack([x, mid])
        self.nodes, self.cells, self.regions, self.top_faces = x, cells, regions, top
        self.fix_nodes = np.nonzero(np.abs(x[:, 2] - Z_BREAKS[0]) < 1e-12)[0]

    def face_nodes(self, element, s):
        """Node rows of face s of an element: corners in CalculiX order, then midside nodes
        (each between consecutive corners)."""
        faces = HEX_FACES if self.element_type in ("C3D8", "C3D20") else TET_FACES
        edges = HEX20_EDGES if self.element_type == "C3D20" else TET10_EDGES
        corners = list(faces[s])
        rows = [self.cells[element, c] for c in corners]
        if self.element_type in ("C3D20", "C3D10"):
            n_corner = 8 if self.element_type == "C3D20" else 4
            for a, b in zip(corners, corners[1:] + corners[:1]):
                m = [n for n, e in enumerate(edges) if set(e) == {a, b}][0]
                rows.append(self.cells[element, n_corner + m])
        return rows


# --- consistent nodal forces of a surface traction (for *CLOAD) ---
def _gauss(n):
    p, w = np.polynomial.legendre.leggauss(n)
    return p, w


def _face_rule(n_corners):
    """Quadrature on the reference face: quadrilateral [-1,1]^2 (4x4 Gauss) or the unit
    triangle (collapsed 4x4 Gauss, exact to degree 7)."""
    p, w = _gauss(4)
    if n_corners == 4:
        return [(a, b, wa * wb) for a, wa in zip(p, w) for b, wb in zip(p, w)]
    rule = []
    for a, wa in zip(p, w):
        for b, wb in zip(p, w):
            u, v = 0.5 * (1 + a), 0.5 * (1 + b)
            rule.append((u * (1 - v), u * v, 0.25 * wa * wb * u))
    return rule


def _face_shape(n_nodes, xi, eta):
    """Shape functions and corner-geometry derivatives of a face with n_nodes nodes."""
    if n_nodes in (4, 8):
        cs = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
        lin = np.array([0.25 * (1 + a * xi) * (1 + b * eta) for a, b in cs])
        dlin = np.array([[0.25 * a * (1 + b * eta), 0.25 * b * (1 + a * xi)] for a, b in cs])
        if n_nodes == 4:
            return lin, dlin
        N = np.zeros(8)
        for n, (a, b) in enumerate(cs):
            N[n] = 0.25 * (1 + a * xi) * (1 + b * eta) * (a * xi + b * eta - 1)
        mids = [(0, -1), (1, 0), (0, 1), (-1, 0)]
        for n, (a, b) in enumerate(mids):
            if a == 0:
                N[4 + n] = 0.5 * (1 - xi * xi) * (1 + b * eta)
            else:
                N[4 + n] = 0.5 * (1 + a * xi) * (1 - eta * eta)
        return N, dlin
    if n_nodes == 9:  # biquadratic Lagrange: corners, edge midpoints (as above), centre
        q = lambda t: np.array([0.5 * t * (t - 1), 1 - t * t, 0.5 * t * (t + 1)])  # at -1, 0, 1
        qx, qy = q(xi), q(eta)
        at = [(0, 0), (2, 0), (2, 2), (0, 2), (1, 0), (2, 1), (1, 2), (0, 1), (1, 1)]
        return np.array([qx[a] * qy[b] for a, b in at]), _face_shape(4, xi, eta)[1]
    l = np.array([1 - xi - eta, xi, eta])
    dlin = np.array([[-1.0, -1.0], [1.0, 0.0], [0.0, 1.0]])
    if n_nodes == 3:
        return l, dlin
    N = np.r_[l * (2 * l - 1), 4 * l[0] * l[1], 4 * l[1] * l[2], 4 * l[2] * l[0]]
    return N, dlin


def consistent_forces(mesh, traction):
    """Nodal forces (N) of traction(x) (MPa, a function of a point) over the top faces."""
    forces = np.zeros_like(mesh.nodes)
    for e, s in mesh.top_faces:
        rows = mesh.face_nodes(e, s)
        nc = 4 if len(rows) in (4, 8) else 3
        xc = mesh.nodes[rows[:nc]]
        for xi, eta, w in _face_rule(nc):
            N, dlin = _face_shape(len(rows), xi, eta)
            lin, _ = _face_shape(nc, xi, eta)
            point = lin @ xc
            jac = dlin.T @ xc
            da = np.linalg.norm(np.cross(jac[0], jac[1])) * w
            forces[rows] += np.outer(N, traction(point)) * da
    return forces


def top_face_points(mesh, lagrange9=False):
    """[faces, nodes, 3]: the nodes of every top face in face_nodes() order; with lagrange9
    (hexahedra) also the face centre, where a 27-node Q2 element has its ninth face node."""
    points = []
    for e, s in mesh.top_faces:
        p = [mesh.nodes[r] for r in mesh.face_nodes(e, s)]
        if lagrange9:
            p.append(np.mean(p[:4], axis=0))  # planar bilinear face: the image of (0, 0)
        points.append(p)
    return np.array(points)


def surface_work(mesh, traction, face_displacements):
    """Work of traction(x) (MPa) on the displacement interpolated from face_displacements
    [faces, nodes, 3] (mm) with the face's own shape functions (4, 8, 9, 3 or 6 nodes): N mm.
    For a consistent load this is the compliance f.u = u.K.u of the discrete solution."""
    work = 0.0
    for (e, s), u in zip(mesh.top_faces, face_displacements):
        nc = 4 if len(u) in (4, 8, 9) else 3
        xc = mesh.nodes[mesh.face_nodes(e, s)[:nc]]
        for xi, eta, w in _face_rule(nc):
            N, dlin = _face_shape(len(u), xi, eta)
            lin, _ = _face_shape(nc, xi, eta)
            jac = dlin.T @ xc
            work += (N @ u) @ traction(lin @ xc) * np.linalg.norm(np.cross(jac[0], jac[1])) * w
    return work


# --- load cases: name -> (bonefusion specification, CalculiX loads) ---
PRESSURE = 2.0  # MPa
SHEAR_FORCE = np.array([0.0, 50.0, 0.0])  # N
BEND_MOMENT = np.array([0.0, 1.5, 0.0])  # N m


def bending_traction(moment_nm):
    """Normal traction on the top face (outward normal +z) whose resultant about the face
    centroid is the in-plane moment (N m): t_z = g . (x - c), I g = n x M."""
    m = np.asarray(moment_nm) * 1000.0  # N mm
    lx, ly = X_BREAKS[-1] - X_BREAKS[0], Y_BREAKS[-1] - Y_BREAKS[0]
    ixx = ly * lx ** 3 / 12.0  # int (x - xc)^2 dA
    iyy = lx * ly ** 3 / 12.0
    g = np.cross([0.0, 0.0, 1.0], m)[:2] / np.array([ixx, iyy])
    return lambda p: np.array([0.0, 0.0, g @ (p[:2] - TOP_CENTROID[:2])])


def load_cases(with_extra=True):
    """[(name, bonefusion load-case text, applied force (N), applied moment about the top
    centroid (N mm), CalculiX load kind)]."""
    cases = [("press", f"pressure={PRESSURE:g}", np.array([0.0, 0.0, -PRESSURE * TOP_AREA]),
              np.zeros(3), ("pressure", PRESSURE))]
    if with_extra:
        cases.append(("shear", "force=" + ",".join(f"{v:g}" for v in SHEAR_FORCE), SHEAR_FORCE,
                      np.zeros(3), ("traction", lambda p: SHEAR_FORCE / TOP_AREA)))
        cases.append(("bend", "moment=" + ",".join(f"{v:g}" for v in BEND_MOMENT), np.zeros(3),
                      BEND_MOMENT * 1000.0, ("traction", bending_traction(BEND_MOMENT))))
    return cases


def case_traction(case):
    """The traction function (MPa of a point) of a load case from load_cases()."""
    kind, value = case[4]
    if kind == "pressure":
        return lambda p: np.array([0.0, 0.0, -value])  # the top face's outward normal is +z
    return value


# --- writing the deck ---
# CalculiX reads a number from the first 20 characters of its field only ("%.17g" would lose
# exponents): every real is written with 14 significant digits, at most 20 characters.
NUMBER = "%.13e"


def representable(values):
    """values rounded to what the deck holds, so that both codes see the same numbers."""
    return np.array([float(NUMBER % v) for v in np.ravel(values)]).reshape(np.shape(values))


def _lines_of(ids, per_line=8):
    ids = list(ids)
    return [", ".join(str(v) for v in ids[n:n + per_line]) for n in range(0, len(ids), per_line)]


def write_mesh(f, mesh, surface_by_element=False):
    """Nodes, elements (one *ELEMENT block per region), FIX, the top elsets and LOAD."""
    f.write("*NODE, NSET=NALL\n")
    ids = np.arange(1, len(mesh.nodes) + 1)
    np.savetxt(f, np.column_stack([ids, mesh.nodes]), fmt=["%d"] + [NUMBER] * 3, delimiter=", ")
    for region in MATERIALS:
        sel = np.nonzero(mesh.regions == region)[0]
        if len(sel) == 0:
            continue
        f.write(f"*ELEMENT, TYPE={mesh.element_type}, ELSET={region}\n")
        data = np.column_stack([sel + 1, mesh.cells[sel] + 1])
        if data.shape[1] <= 16:
            np.savetxt(f, data, fmt="%d", delimiter=", ")
        else:  # at most 16 entries per line: continue on the next one (C3D20)
            for row in data:
                f.write(", ".join(map(str, row[:16])) + ",\n" + ", ".join(map(str, row[16:])) + "\n")
    f.write("*NSET, NSET=FIX\n")
    f.write("\n".join(_lines_of(mesh.fix_nodes + 1)) + "\n")
    by_face = {}
    for e, s in mesh.top_faces:
        by_face.setdefault(s, []).append(e + 1)
    for s, elements in sorted(by_face.items()):
        f.write(f"*ELSET, ELSET=LOAD_S{s}\n" + "\n".join(_lines_of(elements)) + "\n")
    f.write("*SURFACE, NAME=LOAD, TYPE=ELEMENT\n")
    if surface_by_element:
        for e, s in sorted(mesh.top_faces):
            f.write(f"{e + 1}, S{s}\n")
    else:
        for s in sorted(by_face):
            f.write(f"LOAD_S{s}, S{s}\n")
    return sorted(by_face)


def write_deck(folder, job, mesh, cases, solver=None, include=False, surface_by_element=False,
               print_all=True):
    """Writes folder/job.inp (and folder/job_mesh.inp if include) with one *STEP per case.
    Returns the deck path."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, job + ".inp")
    with open(path, "w") as f:
        f.write(f"** Generated by tests/verification/calculix_decks.py: {mesh.element_type}, "
                f"{len(mesh.nodes)} nodes, {len(mesh.cells)} elements\n*HEADING\n"
                f"bonefusion CalculiX cross-check block ({mesh.element_type})\n")
        if include:
            mesh_file = job + "_mesh.inp"
            with open(os.path.join(folder, mesh_file), "w") as g:
                faces = write_mesh(g, mesh, surface_by_element)
            f.write(f"*INCLUDE, INPUT={mesh_file}\n")
        else:
            faces = write_mesh(f, mesh, surface_by_element)
        for region, (E, nu) in MATERIALS.items():
            f.write(f"*MATERIAL, NAME=M_{region}\n*ELASTIC\n{E:.13e}, {nu:.13e}\n"
                    f"*SOLID SECTION, ELSET={region}, MATERIAL=M_{region}\n")
        for n, (name, _, _, _, (kind, value)) in enumerate(cases):
            f.write(f"** load case {name}\n*STEP\n*STATIC" +
                    (f", SOLVER={solver}" if solver else "") + "\n")
            if n == 0:
                f.write("*BOUNDARY\nFIX, 1, 3\n")
            f.write("*DLOAD, OP=NEW\n")
            if kind == "pressure":
                for s in faces:
                    f.write(f"LOAD_S{s}, P{s}, {value:.13e}\n")
            f.write("*CLOAD, OP=NEW\n")
            if kind == "traction":
                forces = consistent_forces(mesh, value)
                forces[np.abs(forces) < 1e-13 * np.abs(forces).max()] = 0.0  # round-off dust
                for node in np.nonzero(np.any(forces != 0.0, axis=1))[0]:
                    for d in range(3):
                        if forces[node, d] != 0.0:
                            f.write(f"{node + 1}, {d + 1}, {forces[node, d]:.13e}\n")
            if print_all:
                f.write("*NODE PRINT, NSET=NALL\nU\n")
            f.write("*NODE PRINT, NSET=FIX, TOTALS=YES\nRF\n*END STEP\n")
    return path


# --- running ccx and reading the .dat file ---
def run_ccx(ccx, folder, job, threads=1, timer=None):
    """Runs `ccx -i job` in folder; raises RuntimeError with the log tail on failure.
    timer: optional list prefix such as ["/usr/bin/time", "-v"]."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), CCX_NPROC_STIFFNESS=str(threads),
               CCX_NPROC_EQUATION_SOLVER=str(threads))
    command = (timer or []) + [ccx, "-i", job]
    result = subprocess.run(command, cwd=folder, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    with open(os.path.join(folder, job + ".log"), "w") as f:
        f.write(result.stdout)
    if result.returncode != 0 or "*ERROR" in result.stdout or \
            not os.path.exists(os.path.join(folder, job + ".dat")):
        raise RuntimeError(f"ccx failed (exit {result.returncode}) in {folder}:\n"
                           + result.stdout[-3000:])
    return result.stdout


_HEADER = re.compile(r"^\s*(displacements|forces|total force) \(\S+\) for set (\S+) and time\s+(\S+)")
_OTHER_BLOCK = re.compile(r"^\s*\S.* for set \S+ and time\s+\S+")


def read_dat(path):
    """{(quantity, set, step): data}: 'displacements'/'forces' -> (ids, values[n, 3]),
    'total force' -> values[3]; step = 1, 2, ... in the order of the times printed."""
    blocks, times = {}, []
    current, rows = None, []

    def close():
        if current is None:
            return
        if current[0] == "total force":
            blocks[current] = np.array(rows[0], dtype=float)
        else:
            data = np.array(rows, dtype=float).reshape(-1, 4)
            blocks[current] = (data[:, 0].astype(int), data[:, 1:])

    with open(path) as f:
        for line in f:
            m = _HEADER.match(line)
            if m:
                close()
                time = float(m.group(3))
                if time not in times:
                    times.append(time)
                current, rows = (m.group(1), m.group(2), times.index(time) + 1), []
            elif _OTHER_BLOCK.match(line):
                # A block this reader does not collect (stresses, strains): it ends the last.
                close()
                current, rows = None, []
            elif current is not None and line.strip():
                rows.append(line.split())
    close()
    return blocks


# --- matching nodes by coordinates ---
def match_nodes(reference, points, tolerance=1e-9):
    """Row in `points` of each reference point (coordinates equal within tolerance, mm);
    -1 where there is none."""
    cell = 1e-6
    table = {}
    for n, key in enumerate(map(tuple, np.floor(points / cell).astype(np.int64))):
        table.setdefault(key, []).append(n)
    result = np.full(len(reference), -1, dtype=np.int64)
    keys = np.floor(reference / cell).astype(np.int64)
    offsets = list(itertools.product((-1, 0, 1), repeat=3))
    for r, key in enumerate(map(tuple, keys)):
        for o in offsets:
            for n in table.get((key[0] + o[0], key[1] + o[1], key[2] + o[2]), ()):
                if np.max(np.abs(points[n] - reference[r])) <= tolerance:
                    result[r] = n
                    break
            if result[r] >= 0:
                break
    return result


# --- the face-numbering probe ---
def _face_points(x, corners, edges, hexa):
    """Coordinates of a face's corners and (for quadratic elements) midside nodes."""
    points = [x[c] for c in corners]
    if len(x) > (8 if hexa else 4):
        n_corner = 8 if hexa else 4
        for m, (a, b) in enumerate(edges):
            if a in corners and b in corners:
                points.append(x[n_corner + m])
    return points


def probe_face_numbering(ccx, folder):
    """Loads each face S1..S6 (S1..S4) of one element of each type with P = 1 and checks that
    CalculiX's total reaction is area x outward normal of the face this module assumes.
    Returns a list of failure messages (empty if the numbering is right)."""
    failures = []
    unit_hex = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0],
                         [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]], dtype=float)
    unit_tet = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=float)
    for etype in ELEMENT_TYPES:
        hexa = etype in ("C3D8", "C3D20")
        x = (unit_hex if hexa else unit_tet) * np.array([1.0, 2.0, 3.0])
        faces, edges = (HEX_FACES, HEX20_EDGES) if hexa else (TET_FACES, TET10_EDGES)
        conn = list(range(len(x)))
        if etype in ("C3D20", "C3D10"):
            x = np.vstack([x, [0.5 * (x[a] + x[b]) for a, b in edges]])
            conn = list(range(len(x)))
        for s, f in faces.items():
            job = f"probe_{etype}_S{s}"
            a, b, c = x[f[0]], x[f[1]], x[f[2]]
            normal = np.cross(b - a, c - a)  # faces are planar: rectangles or triangles
            area = np.linalg.norm(normal) * (1.0 if len(f) == 4 else 0.5)
            outward = normal / np.linalg.norm(normal)
            if outward @ (x[list(f)].mean(axis=0) - x[:8 if hexa else 4].mean(axis=0)) < 0:
                outward = -outward  # the true outward normal, whatever the node order
            # Clamp another face: the opposite one of a hexahedron (no shared node: the total
            # reaction is then exactly p A n), the next one of a tetrahedron (shared nodes
            # take part of the load directly: only the direction is checked).
            other = faces[{1: 2, 2: 1, 3: 5, 4: 6, 5: 3, 6: 4}[s] if hexa else s % 4 + 1]
            fixed = [n for n in range(len(x))
                     if any(np.allclose(x[n], p) for p in _face_points(x, other, edges, hexa))]
            with open(os.path.join(folder, job + ".inp"), "w") as deck:
                deck.write("*NODE, NSET=NALL\n")
                for n, p in enumerate(x):
                    deck.write(f"{n + 1}, {p[0]}, {p[1]}, {p[2]}\n")
                deck.write(f"*ELEMENT, TYPE={etype}, ELSET=E\n")
                entries = [1] + [n + 1 for n in conn]
                deck.write(", ".join(map(str, entries[:16])) +
                           (",\n" + ", ".join(map(str, entries[16:])) if len(entries) > 16 else "")
                           + "\n")
                deck.write("*NSET, NSET=FIX\n" + ", ".join(str(n + 1) for n in fixed) + "\n")
                deck.write("*MATERIAL, NAME=M\n*ELASTIC\n1000, 0.3\n*SOLID SECTION, ELSET=E, "
                           f"MATERIAL=M\n*STEP\n*STATIC\n*BOUNDARY\nFIX, 1, 3\n*DLOAD\n1, P{s}, 1.0\n"
                           "*NODE PRINT, NSET=FIX, TOTALS=YES\nRF\n*END STEP\n")
            try:
                run_ccx(ccx, folder, job)
            except RuntimeError as error:
                failures.append(f"{etype} S{s}: {error}")
                continue
            total = read_dat(os.path.join(folder, job + ".dat"))[("total force", "FIX", 1)]
            expected = area * outward  # the reaction balances the load -p A n
            cosine = total @ outward / max(np.linalg.norm(total), 1e-300)
            if cosine < 1.0 - 1e-9 or (hexa and np.max(np.abs(total - expected)) > 1e-5 * area):
                failures.append(f"{etype} S{s}: total reaction {total}, expected the direction"
                                f" of {expected} (face nodes {[n + 1 for n in f]})")
    return failures
