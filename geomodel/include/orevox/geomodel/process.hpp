#pragma once
/// \file process.hpp
/// Process-level settings a program makes once, first thing in main().

namespace orevox {

/// LibTorch's and xgboost's OpenMP workers spin while they wait for work (libgomp's default
/// policy). On a machine whose cores are busy with other work (a build, parallel tests, a
/// second job) a spinning worker that gets descheduled stalls every parallel region: small
/// convolutions ran more than 10x slower here (SSGSNet windows, 6.6 against 89 windows/s).
/// libgomp reads OMP_WAIT_POLICY only when it loads, before main(), so when the variable is
/// unset this sets it to PASSIVE and re-executes the program (/proc/self/exe) with the same
/// arguments. It returns when the variable was already set (a user's own choice is kept) or
/// when the re-execution failed (then the program simply carries on with the default).
void usePassiveOpenmpWait(char** argv);

}  // namespace orevox
