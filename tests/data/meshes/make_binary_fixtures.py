#!/usr/bin/python3
"""Writes the binary mesh fixtures of tests/datasets/test_mesh_io.cpp (run from this folder):
pyramid_binary_le.ply and pyramid_binary_be.ply (the pyramid of pyramid_ascii.ply, with a
quad base, a uchar and a double vertex property and an int face property), cube_binary.stl
(the unit cube, 12 triangles, whose 80-byte header starts with 'solid' so that only the
file size tells it is binary) and cube_ascii.stl (the same cube as text)."""
import struct

vertices = [(0, 0, 0, 255, 0.5), (2, 0, 0, 128, 1.5), (2, 2, 0, 0, 2.5), (0, 2, 0, 64, 3.5),
            (1, 1, 3, 32, 4.5)]
faces = [((0, 3, 2, 1), 7), ((0, 1, 4), 8), ((1, 2, 4), 9), ((2, 3, 4), 10), ((3, 0, 4), 11)]

for name, order, fmt in (("pyramid_binary_le.ply", "<", "binary_little_endian"),
                         ("pyramid_binary_be.ply", ">", "binary_big_endian")):
    header = ("ply\nformat %s 1.0\ncomment orevox_name pyramid\nelement vertex 5\n"
              "property float x\nproperty float y\nproperty float z\nproperty uchar red\n"
              "property double grade\nelement face 5\nproperty list uchar int vertex_indices\n"
              "property int domain\nend_header\n" % fmt)
    body = b""
    for x, y, z, red, grade in vertices:
        body += struct.pack(order + "fffBd", x, y, z, red, grade)
    for corners, domain in faces:
        body += struct.pack(order + "B" + "i" * len(corners) + "i", len(corners), *corners, domain)
    with open(name, "wb") as f:
        f.write(header.encode("ascii") + body)

cube = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (1, 1, 0), (0, 0, 1), (1, 0, 1), (0, 1, 1), (1, 1, 1)]
triangles = [(0, 2, 1), (1, 2, 3), (4, 5, 6), (5, 7, 6), (0, 1, 4), (1, 5, 4), (2, 6, 3), (3, 6, 7),
             (0, 4, 2), (2, 4, 6), (1, 3, 5), (3, 7, 5)]
with open("cube_binary.stl", "wb") as f:
    f.write(b"solid cube written in binary".ljust(80, b" "))
    f.write(struct.pack("<I", len(triangles)))
    for t in triangles:
        f.write(struct.pack("<fff", 0, 0, 0))  # normals are recomputed by readers
        for v in t:
            f.write(struct.pack("<fff", *cube[v]))
        f.write(struct.pack("<H", 0))
with open("cube_ascii.stl", "w", newline="\r\n") as f:
    f.write("solid unit cube\n")
    for t in triangles:
        f.write("  facet normal 0 0 0\n    outer loop\n")
        for v in t:
            f.write("      vertex %g %g %g\n" % cube[v])
        f.write("    endloop\n  endfacet\n")
    f.write("endsolid unit cube\n")
