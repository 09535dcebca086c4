// The same two stacked blocks as box_hex.geo, 2 x 1 x 1 mm ("bone") under 2 x 1 x 0.5 mm
// ("graft"), meshed with tetrahedra. Volume 3 mm^3.
// Regenerate: gmsh -3 -format msh41 box_tet.geo -o box_tet_41.msh (and msh22, -order 2).
Mesh.MeshSizeMin = 0.6;
Mesh.MeshSizeMax = 0.6;
Point(1) = {0, 0, 0};
Point(2) = {2, 0, 0};
Point(3) = {2, 1, 0};
Point(4) = {0, 1, 0};
Line(1) = {1, 2};
Line(2) = {2, 3};
Line(3) = {3, 4};
Line(4) = {4, 1};
Curve Loop(1) = {1, 2, 3, 4};
Plane Surface(1) = {1};
lower[] = Extrude {0, 0, 1} { Surface{1}; };
upper[] = Extrude {0, 0, 0.5} { Surface{lower[0]}; };
Physical Volume("bone") = {lower[1]};
Physical Volume("graft") = {upper[1]};
Physical Surface("bottom") = {1};
Physical Surface("top") = {upper[0]};
