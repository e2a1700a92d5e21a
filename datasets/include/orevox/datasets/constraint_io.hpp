#pragma once
/// \file constraint_io.hpp
/// Constraint tables of implicit structural models in LoopStructural's layout, so that its
/// data sets run unchanged: one row per constraint, columns (case-insensitive, any order;
/// others such as a pandas index column or `coord` are ignored)
///
/// | column | meaning |
/// |---|---|
/// | `X`, `Y`, `Z` | position (world units, z up); required |
/// | `feature_name` | the feature (series, horizon, fault) the row constrains; required (also read from `name` or `formation`, as in map2loop's tables) |
/// | `val` | the field's value at the point (an interface point of the horizon `val`) |
/// | `nx`, `ny`, `nz` | normal: the direction in which the field increases |
/// | `gx`, `gy`, `gz` | gradient: read like a normal (its direction and sense) |
/// | `dip`, `azimuth`, `polarity` | a plane as dip (degrees) and dip direction (degrees clockwise
/// from north); polarity 1 (default) upright, -1 overturned |
///
/// A row gives a value, an orientation or both. In a table without a `val` column (map
/// contacts: X,Y,Z,name) a row without an orientation is an interface point whose value is
/// its horizon's in a stratigraphy (NaN here; modelFeatures in geomodel/stratigraphy.hpp); a row with neither, a partial triple (nx
/// without nz), a non-numeric or non-finite number, or a zero vector is a DataError naming
/// the file, the line, the column and the value.

#include <string>

#include "orevox/geomodel/implicit_field.hpp"

namespace orevox {

/// Reads one constraint table (see the file comment). Features are listed in order of
/// first appearance, each with `source` = `path` and the source line of every constraint.
/// IoError when unreadable; DataError for a missing required column or a bad row.
ConstraintSet readConstraintTable(const std::string& path);

}  // namespace orevox
