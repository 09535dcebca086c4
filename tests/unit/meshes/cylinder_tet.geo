// A cylinder of radius 1 mm and height 1 mm meshed with 10-node tetrahedra whose midside nodes
// Gmsh places on the curved wall, so max_midside_offset > 0. No physical groups: all elements
// are saved. Regenerate: gmsh -3 -order 2 -format msh41 cylinder_tet.geo -o cylinder_tet10_41.msh
SetFactory("OpenCASCADE");
Mesh.MeshSizeMin = 0.7;
Mesh.MeshSizeMax = 0.7;
Cylinder(1) = {0, 0, 0, 0, 0, 1, 1};
