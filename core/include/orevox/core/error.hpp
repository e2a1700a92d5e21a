#pragma once
/// \file error.hpp
/// The one exception hierarchy of orevox. Errors are thrown where they are detected and
/// caught once, in the `orevox` main, which prints `what()` on one line and exits with
/// `exitCode()`: 2 for a usage error, 1 for a data or I/O error.

#include <stdexcept>
#include <string>

namespace orevox {

/// Base of every error orevox throws on purpose.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  /// Process exit code the CLI maps this error to.
  virtual int exitCode() const { return 1; }
};

/// A wrong option, argument or parameter value (exit code 2).
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message) {}
  int exitCode() const override { return 2; }
};

/// Where in an input a problem was found. Empty / zero fields are left out of messages.
struct SourceLocation {
  std::string file;    ///< path of the input file
  long line = 0;       ///< 1-based line (or record / feature number), 0 = unknown
  long column = 0;     ///< 1-based column number, 0 = unknown
  std::string field;   ///< column or attribute name
  std::string value;   ///< the offending value, verbatim
};

/// Bad input data: missing or non-numeric columns, negative concentrations, empty extent,
/// mismatched CRS, ... The message names file, line, column and value when known, e.g.
/// `samples.csv:12:4: column 'Au': value '-3': negative concentration`.
class DataError : public Error {
 public:
  explicit DataError(const std::string& message, SourceLocation where = {})
      : Error(format(message, where)), where_(std::move(where)), message_(message) {}
  const SourceLocation& where() const { return where_; }
  /// The message without the location prefix.
  const std::string& message() const { return message_; }

  static std::string format(const std::string& message, const SourceLocation& where) {
    std::string out;
    if (!where.file.empty()) {
      out += where.file;
      if (where.line > 0) out += ":" + std::to_string(where.line);
      if (where.line > 0 && where.column > 0) out += ":" + std::to_string(where.column);
      out += ": ";
    }
    if (!where.field.empty()) out += "column '" + where.field + "': ";
    if (!where.value.empty()) out += "value '" + where.value + "': ";
    return out + message;
  }

 private:
  SourceLocation where_;
  std::string message_;
};

/// A file that cannot be opened, read, written or renamed.
class IoError : public DataError {
 public:
  explicit IoError(const std::string& message, SourceLocation where = {})
      : DataError(message, std::move(where)) {}
};

}  // namespace orevox
