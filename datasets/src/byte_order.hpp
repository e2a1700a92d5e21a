#pragma once
/// \file byte_order.hpp
/// Fixed byte orders for binary formats (VTK XML appended data and STL: little-endian;
/// PLY: either; GOCAD Voxet: big-endian), independent of the host's order. Private to the
/// datasets module.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

namespace orevox::detail {

inline bool hostIsLittleEndian() {
  const std::uint16_t probe = 1;
  unsigned char first = 0;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

/// Appends `value`'s bytes to `out` in little-endian (or big-endian) order.
template <typename T>
void appendBytes(std::string& out, T value, bool littleEndian = true) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  if (littleEndian != hostIsLittleEndian()) std::reverse(bytes, bytes + sizeof(T));
  out.append(reinterpret_cast<const char*>(bytes), sizeof(T));
}

/// Appends `count` values of `bytesEach` bytes from `data` (host order) in little-endian
/// order.
inline void appendLittleEndian(std::string& out, const void* data, std::size_t count,
                               std::size_t bytesEach) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  if (hostIsLittleEndian()) {
    out.append(reinterpret_cast<const char*>(bytes), count * bytesEach);
    return;
  }
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t b = bytesEach; b-- > 0;) out += char(bytes[i * bytesEach + b]);
}

/// The value of type T stored at `p` in little-endian (or big-endian) order. The caller
/// checks that sizeof(T) bytes are there.
template <typename T>
T readBytes(const void* p, bool littleEndian = true) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, p, sizeof(T));
  if (littleEndian != hostIsLittleEndian()) std::reverse(bytes, bytes + sizeof(T));
  T v;
  std::memcpy(&v, bytes, sizeof(T));
  return v;
}

}  // namespace orevox::detail
