#pragma once
/// \file process.hpp
/// Process-level settings a program makes once, first thing in main().

#include <string>

namespace orevox {

/// Sets the runtime environment of the libraries orevox links, then re-executes the program
/// (/proc/self/exe, same arguments) so that they read it: libgomp, OpenBLAS and glibc's
/// allocator read these variables only when they load, before main(). Each variable is set
/// only when the user has not set it (a user's own choice is kept), and the program is
/// re-executed only when something was set. It returns when nothing had to change or when
/// the re-execution failed (then the program carries on with the defaults). Processes the
/// program starts (the benchmarks' Python references) inherit the same settings.
///
/// - OMP_WAIT_POLICY=PASSIVE. LibTorch's and xgboost's OpenMP workers spin while they wait
///   for work by default. On a machine whose cores are busy with other work a spinning
///   worker that gets descheduled stalls every parallel region: small convolutions ran more
///   than 10x slower here (SSGSNet windows, 6.6 against 89 windows/s).
/// - OPENBLAS_THREAD_TIMEOUT=18. OpenBLAS's own worker threads (behind LibTorch's matrix
///   products) spin with sched_yield for 2^28 cycles (about 0.1 s) after every call by
///   default, taking a core from the OpenMP workers that run the next convolution; 2^18
///   cycles (about 0.1 ms) keeps them ready between back-to-back calls only.
/// - GLIBC_TUNABLES=glibc.malloc.mmap_threshold=32 MiB, trim_threshold=128 MiB. Tensors of
///   a few MiB are otherwise mapped and unmapped at every batch, and every page is faulted
///   in again (3.3 M minor page faults against 0.28 M in a 3D CNN inference run).
///
/// Measured together (bench_volume_predict, patch-by-patch DANN-CTA scoring, 2 threads):
/// 9,300 -> 13,000-14,000 patches/s; see README "Performance".
void configureProcessEnvironment(char** argv);

/// The three variables as this process sees them, "NAME=value ..." ("(unset)" for a missing
/// one): benchmarks print it beside their figures.
std::string processEnvironmentSummary();

}  // namespace orevox
