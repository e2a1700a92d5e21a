#pragma once
// The 8 symmetries of the square (the dihedral group D4) as index maps on a k x k grid: the
// augmentation of 2D windows (raster_data.cpp) and of 3D patches about the vertical axis,
// slice by slice (volume_samples.cpp), share this one definition.

#include <cstddef>
#include <vector>

namespace orevox::detail {

/// dest[source] for a k x k grid stored row-major (index = row * k + col, east to the right).
/// op 0-3: op quarter turns counter-clockwise seen from above; op 4-7: an east-west mirror
/// (col -> k-1-col) then op - 4 quarter turns. `rowZeroNorth`: row 0 is the northern row
/// (raster windows); otherwise the southern one (voxel slices, y increasing northward). The
/// same op is then the same geographic transform for both. op must be in 0..7.
inline std::vector<std::size_t> squareSymmetry(std::size_t k, int op, bool rowZeroNorth) {
  std::vector<std::size_t> dest(k * k);
  for (std::size_t row = 0; row < k; ++row) {
    for (std::size_t col = 0; col < k; ++col) {
      std::size_t x = op >= 4 ? k - 1 - col : col, y = rowZeroNorth ? k - 1 - row : row;
      for (int q = 0; q < op % 4; ++q) {  // (x, y) -> (-y, x) about the centre
        const std::size_t nx = k - 1 - y;
        y = x;
        x = nx;
      }
      dest[row * k + col] = (rowZeroNorth ? k - 1 - y : y) * k + x;
    }
  }
  return dest;
}

}  // namespace orevox::detail
