#!/usr/bin/env bash
# Quick start (2): install, build and run every test (unit tests of each module, CLI tests,
# and the benchmarks in their short --quick mode). Tests that render with VTK need a
# display, so CTest runs under xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh -DOREVOX_BUILD_TESTS=ON
cd build
# Two test programs run at once on two cores: OpenMP workers must sleep, not spin, while they
# wait (see geomodel/include/orevox/geomodel/process.hpp; the orevox binary sets this itself).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
xvfb-run -a ctest --output-on-failure --timeout 900 -j "${OREVOX_JOBS:-2}"
