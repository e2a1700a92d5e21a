#!/usr/bin/env bash
# Quick start (2): install, build and run every test (unit tests of each module, CLI tests,
# and the benchmarks in their short --quick mode). Tests that render with VTK need a
# display, so CTest runs under xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh -DOREVOX_BUILD_TESTS=ON
cd build
# Two test programs run at once on two cores: OpenMP and OpenBLAS workers must sleep, not spin,
# while they wait, and tensors should not be mapped afresh at every batch. The orevox binary
# sets these itself (core/include/orevox/core/process.hpp); the test programs get them here.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-18}"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728}"
xvfb-run -a ctest --output-on-failure --timeout 900 -j "${OREVOX_JOBS:-2}"
