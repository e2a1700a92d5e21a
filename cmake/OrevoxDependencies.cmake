# All third-party packages come from Debian 12 (see scripts/install-deps.sh).
# Light, header-level dependencies are found here; each heavy library (GDAL, OpenVDB,
# LibTorch, VTK) is found only in the one module that uses it.
find_package(Threads REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(TBB REQUIRED)
find_package(Boost 1.74 REQUIRED)            # Boost.Graph is header-only
find_package(nanoflann REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(spdlog REQUIRED)

# Common warning flags as an interface target every module links PRIVATE.
add_library(orevox_warnings INTERFACE)
target_compile_options(orevox_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wno-unused-parameter>)
