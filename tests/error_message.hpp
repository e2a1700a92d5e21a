#pragma once
// The message of the orevox error a call throws, for tests that pin messages exactly.

#include <functional>
#include <string>

#include "orevox/core/error.hpp"

namespace orevox_test {

/// What `fn` throws as an orevox::Error, or "(no error)" when it returns.
inline std::string messageOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const orevox::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace orevox_test
