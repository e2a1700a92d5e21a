#pragma once
/// \file voxet_io.hpp
/// GOCAD Voxets: a text header (`.vo`) plus one raw, big-endian binary file per property,
/// the 3D grid format of GOCAD/SKUA and of many mining packages' exports.

#include <string>
#include <vector>

#include "orevox/core/atomic_file.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// Reads a GOCAD Voxet. The header gives the grid as AXIS_O, AXIS_U/V/W, AXIS_MIN/MAX and
/// AXIS_N: node (i, j, k) lies at O + u_i U + v_j V + w_k W with u_i = MIN_u + i (MAX_u -
/// MIN_u) / (N_u - 1), and so on; orevox puts voxel centres on the nodes. Both conventions
/// of real files read alike: unit axis vectors with MIN/MAX in world units, and full-length
/// axis vectors with MIN/MAX 0..1. The axes may be permuted or reversed (W pointing down,
/// `ZPOSITIVE Depth`, whose z are negated to elevation) but must be parallel to x, y, z
/// (a rotated voxet is a DataError). Properties: PROP_FILE (relative to the header's folder),
/// PROP_OFFSET, PROP_ESIZE 4 (IEEE float32) or 1 (8-bit integers, PROP_SIGNED 1 by default),
/// PROP_FORMAT RAW, big-endian, u fastest; a value equal to PROP_NO_DATA_VALUE (or NaN) is
/// an inactive voxel. PROP_UNIT becomes the channel's units, a header line `orevox_crs:WKT`
/// (written by writeVoxet) the CRS. DataError naming the file, line and value for anything
/// else (a missing or short property file, an unknown element type, non-positive N, ...).
VoxelModel readVoxet(const std::string& path);

/// Writes every channel of `model` as a GOCAD Voxet: the header at `path` (.vo) and one
/// file per channel beside it, named `<stem>_<channel>@@` (characters other than letters,
/// digits, '-' and '_' replaced by '_'). Unit axis vectors, MIN = 0 and MAX = (N - 1) x
/// voxel size (so the node spacing is the voxel size), AXIS_O the centre of voxel (0,0,0).
/// A channel whose active values are all whole numbers in [-127, 127] is written as signed
/// 8-bit integers with nodata -128, any other as float32 with nodata -99999 (or a smaller
/// power of ten times -99999 when a value equals it). Inactive voxels get nodata. All files
/// are written under temporary names and renamed into place together at the end, so a
/// failed write leaves none of them. DataError when the model has no channels.
void writeVoxet(const VoxelModel& model, const std::string& path);

/// writeVoxet into a run's `outputs`: every file declared there (the header last, `option`
/// naming them in messages) and written under its temporary name, renamed into place with
/// the run's other outputs by outputs.commit(), so they land all or none. Returns the final
/// paths of the files, the header last.
std::vector<std::string> writeVoxet(const VoxelModel& model, const std::string& path,
                                    OutputBatch& outputs, const std::string& option = "--voxet");

}  // namespace orevox
