#!/usr/bin/python3
"""Writes the binary property files of tests/data/voxets/fixture.vo (run from this folder),
read by tests/datasets/test_voxet_io.cpp. Grid: 3 x 2 x 2 nodes, u fastest, big-endian.
grade: float32, value 0.5 * e for element e = i + 3 j + 6 k, except e = 5 (nodata -99999).
rock: signed 8-bit after 4 padding bytes (PROP_OFFSET 4), value e % 3 - 1, except e = 11
(nodata -128)."""
import struct

grade = b"".join(struct.pack(">f", -99999.0 if e == 5 else 0.5 * e) for e in range(12))
with open("fixture_grade@@", "wb") as f:
    f.write(grade)
rock = b"PAD!" + b"".join(struct.pack(">b", -128 if e == 11 else e % 3 - 1) for e in range(12))
with open("fixture_rock@@", "wb") as f:
    f.write(rock)
