#!/usr/bin/python3
"""Ordinary kriging in numpy, the reference of tests/bench/bench_kriging.cpp.

Reads float64 raw files written by the benchmark: samples (n x 4: x, y, z, value), voxel
centres (m x 3) and orevox's estimates at them (m x 2: estimate, variance); kriges every
centre from its k nearest samples (Euclidean, brute force, chunked) with the spherical or
exponential model gamma(h) = nugget + sill * f(h / range) (C(h) = nugget + sill - gamma(h)),
the same system as orevox ([C 1; 1' 0] [l; mu] = [c; 1], batched np.linalg.solve), and
prints the seconds (wall and CPU), the CPU time per voxel and the largest differences from orevox."""
import argparse
import time

import numpy as np


def shape(kind, r):
    if kind == "spherical":
        return np.where(r >= 1.0, 1.0, 1.5 * r - 0.5 * r ** 3)
    return 1.0 - np.exp(-3.0 * r)


def covariance(h, kind, nugget, sill, rng):
    gamma = np.where(h > 0.0, nugget + sill * shape(kind, h / rng), 0.0)
    return nugget + sill - gamma


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--samples", required=True)
    p.add_argument("--centres", required=True)
    p.add_argument("--orevox", required=True)
    p.add_argument("--neighbors", type=int, default=16)
    p.add_argument("--model", default="spherical")
    p.add_argument("--nugget", type=float, required=True)
    p.add_argument("--sill", type=float, required=True)
    p.add_argument("--range", type=float, required=True)
    p.add_argument("--chunk", type=int, default=500)
    a = p.parse_args()
    samples = np.fromfile(a.samples, dtype=np.float64).reshape(-1, 4)
    centres = np.fromfile(a.centres, dtype=np.float64).reshape(-1, 3)
    theirs = np.fromfile(a.orevox, dtype=np.float64).reshape(-1, 2)
    xyz, z = samples[:, :3], samples[:, 3]
    k = a.neighbors
    start = time.perf_counter()
    cpu = time.process_time()
    estimate = np.empty(len(centres))
    variance = np.empty(len(centres))
    c0 = a.nugget + a.sill
    for s in range(0, len(centres), a.chunk):
        x = centres[s:s + a.chunk]
        d2 = ((x[:, None, :] - xyz[None, :, :]) ** 2).sum(axis=2)
        nb = np.argpartition(d2, k - 1, axis=1)[:, :k]
        p_nb = xyz[nb]                                   # (m, k, 3)
        h = np.sqrt(((p_nb[:, :, None, :] - p_nb[:, None, :, :]) ** 2).sum(axis=3))
        m = len(x)
        A = np.ones((m, k + 1, k + 1))
        A[:, :k, :k] = covariance(h, a.model, a.nugget, a.sill, a.range)
        A[:, k, k] = 0.0
        b = np.ones((m, k + 1))
        b[:, :k] = covariance(np.sqrt(d2[np.arange(m)[:, None], nb]), a.model, a.nugget, a.sill, a.range)
        w = np.linalg.solve(A, b[:, :, None])[:, :, 0]
        estimate[s:s + m] = (w[:, :k] * z[nb]).sum(axis=1)
        variance[s:s + m] = np.maximum(0.0, c0 - (w[:, :k] * b[:, :k]).sum(axis=1) - w[:, k])
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print("numpy_seconds %.6f wall, %.6f CPU" % (seconds, cpu))
    print("numpy_us_per_voxel %.6f" % (1e6 * cpu / len(centres)))
    print("max_abs_diff_estimate %.3e" % np.abs(estimate - theirs[:, 0]).max())
    print("max_abs_diff_variance %.3e" % np.abs(variance - theirs[:, 1]).max())


if __name__ == "__main__":
    main()
