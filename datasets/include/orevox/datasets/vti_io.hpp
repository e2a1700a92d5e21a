#pragma once
/// \file vti_io.hpp
/// VTK XML ImageData (.vti) without VTK, so volumes open in ParaView while VTK stays in
/// the viz module.

#include <string>

#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// Writes every channel as a PointData Float32 array: VTK points are the voxel centres
/// (Origin = centre of voxel (0,0,0), Spacing = voxel size, WholeExtent = 0 nx-1 0 ny-1
/// 0 nz-1), so ParaView draws the data at the voxel centres and its outline spans first
/// to last centre. Voxels inactive in a channel are written as NaN; a UInt8 array
/// "vtkValidPointMask" marks voxels active in any channel. Appended raw binary,
/// little-endian, header_type UInt64. VTI has no place for a CRS or units: the CRS (WKT)
/// and each channel's units, when set, travel as the extra attributes OrevoxCrs on
/// <ImageData> and OrevoxUnits on the channel's <DataArray>, which VTK and ParaView ignore
/// and readVti restores. Atomic. DataError when the model has no channels.
void writeVti(const VoxelModel& model, const std::string& path);

/// Reads what writeVti writes, and any single-piece, uncompressed ImageData whose
/// one-component arrays are Float32 or Float64 (ascii, base64 inline, raw or base64
/// appended; either byte order; UInt32 or UInt64 headers), as PointData (voxels centred
/// on the points) or CellData (voxels = cells). A voxel is active in a channel when its
/// value is not NaN and the "vtkValidPointMask" array, if present, is non-zero there.
/// Channel backgrounds are 0; the CRS and units come from OrevoxCrs / OrevoxUnits when
/// present (see writeVti), empty otherwise. IoError / DataError naming the file for anything else
/// (compressed data, several pieces, rotated Direction, other array types, ...).
VoxelModel readVti(const std::string& path);

}  // namespace orevox
