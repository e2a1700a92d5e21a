#pragma once
/// \file stratigraphy_io.hpp
/// The stratigraphy table of `orevox model build --stratigraphy S.csv`: one row per
/// horizon, columns (case-insensitive, any order; others ignored)
///
/// | column | meaning |
/// |---|---|
/// | `series` | the series (one implicit field) the horizon belongs to; required |
/// | `horizon` | the horizon's name, the base of the unit of that name; required (also read from
/// `unit` or `name`) | | `value` | the series' field value of the horizon (larger = younger);
/// required | | `order` | the horizon's position in the column, 1 = youngest (top); required | |
/// `relation` | `erode` (default) or `onlap`: how the series meets the next older one |
///
/// Constraint rows (constraint_io.hpp) whose feature_name is a series constrain its field
/// with their own `val`; rows whose feature_name is a horizon are interface points (value:
/// the horizon's) or orientations of its series. See geomodel/stratigraphy.hpp for the
/// units and relations, and StratigraphicColumn::build for the checks.

#include <string>
#include <vector>

#include "orevox/geomodel/faults.hpp"
#include "orevox/geomodel/stratigraphy.hpp"

namespace orevox {

/// Reads and checks a stratigraphy table. IoError when unreadable; DataError naming the
/// file, line, column and value for a missing column, a bad cell or a contradictory column.
StratigraphicColumn readStratigraphicColumn(const std::string& path);

/// Reads a fault displacement table (`--fault-displacement D.csv`): one row per fault,
/// columns `fault` and `displacement` (metres along the slip vector, > 0: the hanging
/// wall moves down-dip), optional `radius` (metres: a finite fault, FaultDisplacement) and
/// `sx,sy,sz` (the hanging wall's slip direction; default down-dip); blank cells take the
/// defaults. LoopStructural's Hamersley `fault_displacement.csv` (Fault,displacement) reads
/// as is. DataError naming the file, line, column and value for a bad cell, a fault listed
/// twice, a non-positive radius or a zero slip vector.
std::vector<FaultDisplacement> readFaultDisplacements(const std::string& path);

}  // namespace orevox
