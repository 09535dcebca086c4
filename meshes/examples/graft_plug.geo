// A cube of bone (20 mm) with a cylindrical graft plug (radius 5 mm) through its middle,
// meshed with tetrahedra: an example of a Gmsh mesh with physical groups for bonefusion.
// Regenerate (deterministic for a given Gmsh version):
//   gmsh -3 -format msh41 graft_plug.geo -o graft_plug.msh
SetFactory("OpenCASCADE");
Mesh.MeshSizeMin = 2.0;
Mesh.MeshSizeMax = 2.0;
Box(1) = {-10, -10, 0, 20, 20, 20};
Cylinder(2) = {0, 0, 0, 0, 0, 20, 5};
BooleanFragments{ Volume{1}; Delete; }{ Volume{2}; Delete; }
// After the fragments: the plug and the cube with a hole. Select by bounding boxes.
plug[] = Volume In BoundingBox{-5.1, -5.1, -0.1, 5.1, 5.1, 20.1};
all[] = Volume{:};
bone[] = all[];
bone[] -= plug[];
Physical Volume("graft") = plug[];
Physical Volume("bone") = bone[];
bottom[] = Surface In BoundingBox{-10.1, -10.1, -0.1, 10.1, 10.1, 0.1};
top[] = Surface In BoundingBox{-10.1, -10.1, 19.9, 10.1, 10.1, 20.1};
Physical Surface("bottom") = bottom[];
Physical Surface("top") = top[];
