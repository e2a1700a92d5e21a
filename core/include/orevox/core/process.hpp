#pragma once
/// \file process.hpp
/// Process-level settings a program makes once, first thing in main().

#include <string>
#include <vector>

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
///   default; 2^18 cycles (about 0.1 ms) keeps them ready between back-to-back calls only.
///   Measured: a ResGCN epoch with 1 LibTorch thread took 2.04 s CPU for 1.04 s wall by
///   default, 1.25 s CPU for 1.04 s wall with the timeout (the second core left free).
/// - GLIBC_TUNABLES=glibc.malloc.mmap_threshold=32 MiB, trim_threshold=128 MiB. Tensors of
///   a few MiB are otherwise mapped and unmapped at every batch, and every page is faulted
///   in again (3.3 M minor page faults against 0.28 M in a 3D CNN inference run).
///
/// Measured with a pure LibTorch C++ copy of bench_volume_predict's PyTorch script (3D CNN
/// patch scoring, 2 threads): 7,500-9,400 patches/s in the default environment, 12,000-14,300
/// with these settings (the OpenBLAS timeout alone made no difference there once the other
/// two were set); see README "Performance".
void configureProcessEnvironment(char** argv);

/// The names of the variables configureProcessEnvironment sets.
std::vector<std::string> processEnvironmentNames();

/// The three variables as this process sees them, "NAME=value ..." ("(unset)" for a missing
/// one): benchmarks print it beside their figures.
std::string processEnvironmentSummary();

}  // namespace orevox
