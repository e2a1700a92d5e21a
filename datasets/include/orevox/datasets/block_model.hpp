#pragma once
/// \file block_model.hpp
/// Block models as CSV (the usual Leapfrog / GOCAD / Datamine export): one row per block
/// with the x, y, z of its centre (metres) and value columns, on a regular lattice.

#include <string>

#include "orevox/datasets/csv_io.hpp"
#include "orevox/voxel/voxel_model.hpp"

namespace orevox {

/// Reads a regular block model. The CSV is parsed as by readSamplesCsv (same options; an
/// empty zColumn means "z"; negative values are always accepted, since block values are
/// any quantity: signed distances, dips, z-scores, not only concentrations). The block size per axis is the smallest positive gap between
/// the distinct sorted centre coordinates; an axis with a single coordinate takes the
/// smallest block size of the other axes. Origin = smallest centre - size / 2. Every row is
/// one active voxel in each value column (a missing value leaves that channel inactive
/// there); a file with no value columns gives one channel "block" = 1. Sub-blocked models
/// are not regular and are refused. DataError naming the file, line, column and value for
/// a centre off the lattice or a repeated block, plus every readSamplesCsv error.
VoxelModel readBlockModelCsv(const std::string& path, const CsvOptions& options = {});

/// Writes the voxels active in any channel, in x-fastest order: x, y, z (centres, metres)
/// then one column per channel (empty where that channel is inactive). Atomic.
/// DataError when the model has no channels.
void writeBlockModelCsv(const VoxelModel& model, const std::string& path);

}  // namespace orevox
