#!/usr/bin/python3
"""Reference out-of-fold map AUC on Murchison, computed outside orevox (numpy only).

A logistic regression on three covariates of every grid cell (distance to the nearest
fault, inside greenstone 0/1, distance to the greenstone contact), fitted under spatial
blocks: the grid is cut into 4 x 4 blocks and each block is scored by the model fitted on
the other 15 (leave one block out). The pooled cell-level AUC against deposit presence
(cells holding at least one of the 255 gold deposits), with a stratified percentile
bootstrap interval, is the figure `orevox raster train --dataset murchison` reports as
`metrics.oof_map_auc` is held against (issue 14, item 5).

The grid is orevox's for the dataset: the faults' extent tiled from its north-west corner
by square cells of --cell metres (orevox's `GridSpec::fromExtent`).

    /usr/bin/python3 scripts/murchison_reference.py [--cell 1000] [--blocks 4]
"""
import argparse
import csv
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "datasets", "data", "murchison")


def segments_of_lines(path):
    segs = []
    for f in json.load(open(path))["features"]:
        g = f["geometry"]
        lines = [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]
        for line in lines:
            for a, b in zip(line[:-1], line[1:]):
                segs.append((a[0], a[1], b[0], b[1]))
    return np.array(segs, dtype=float)


def rings_of_polygons(path):
    rings = []
    for f in json.load(open(path))["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for poly in polys:
            for ring in poly:
                rings.append(np.array(ring, dtype=float))
    return rings


def distance_to_segments(px, py, segs, chunk=64):
    """Exact Euclidean distance from every point to the nearest segment (brute force)."""
    best = np.full(px.shape, np.inf)
    for s in range(0, len(segs), chunk):
        x0, y0, x1, y1 = (segs[s:s + chunk, i][:, None] for i in range(4))
        dx, dy = x1 - x0, y1 - y0
        len2 = np.maximum(dx * dx + dy * dy, 1e-300)
        t = np.clip(((px[None, :] - x0) * dx + (py[None, :] - y0) * dy) / len2, 0.0, 1.0)
        ex = px[None, :] - (x0 + t * dx)
        ey = py[None, :] - (y0 + t * dy)
        best = np.minimum(best, np.sqrt(ex * ex + ey * ey).min(axis=0))
    return best


def inside_rings(px, py, rings):
    """Even-odd rule over every ring (outer boundaries and holes alike)."""
    inside = np.zeros(px.shape, dtype=bool)
    for ring in rings:
        x0, y0 = ring[:-1, 0], ring[:-1, 1]
        x1, y1 = ring[1:, 0], ring[1:, 1]
        for a, b, c, d in zip(x0, y0, x1, y1):
            if b == d:
                continue
            crosses = (b > py) != (d > py)
            xcross = a + (py - b) * (c - a) / (d - b)
            inside ^= crosses & (px < xcross)
    return inside


def logistic_fit(X, y, ridge=1e-6, iters=50):
    """Maximum-likelihood logistic regression by Newton's method (intercept first)."""
    X1 = np.hstack([np.ones((X.shape[0], 1)), X])
    w = np.zeros(X1.shape[1])
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-X1 @ w))
        g = X1.T @ (p - y) + ridge * w
        H = (X1 * (p * (1 - p))[:, None]).T @ X1 + ridge * np.eye(len(w))
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def auc(labels, scores):
    """Mann-Whitney AUC with mid-ranks for ties."""
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    mid = (ends - counts + 1 + ends) / 2.0  # ranks start+1 .. end of each tied group
    r = mid[inverse]
    npos = labels.sum()
    nneg = len(labels) - npos
    return (r[labels == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cell", type=float, default=1000.0)
    ap.add_argument("--blocks", type=int, default=4)
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    faults = segments_of_lines(os.path.join(DATA, "faults.geojson"))
    rings = rings_of_polygons(os.path.join(DATA, "greenstone.geojson"))
    xmin = min(faults[:, 0].min(), faults[:, 2].min())
    xmax = max(faults[:, 0].max(), faults[:, 2].max())
    ymin = min(faults[:, 1].min(), faults[:, 3].min())
    ymax = max(faults[:, 1].max(), faults[:, 3].max())
    width = math.ceil((xmax - xmin) / a.cell - 1e-9)
    height = math.ceil((ymax - ymin) / a.cell - 1e-9)
    col, row = np.meshgrid(np.arange(width), np.arange(height))
    col, row = col.ravel(), row.ravel()
    px = xmin + (col + 0.5) * a.cell
    py = ymax - (row + 0.5) * a.cell

    contact = np.array([(r[i, 0], r[i, 1], r[i + 1, 0], r[i + 1, 1])
                        for r in rings for i in range(len(r) - 1)])
    X = np.column_stack([distance_to_segments(px, py, faults),
                         inside_rings(px, py, rings).astype(float),
                         distance_to_segments(px, py, contact)])
    presence = np.zeros(width * height, dtype=int)
    with open(os.path.join(DATA, "gold_deposits.csv")) as f:
        for d in csv.DictReader(f):
            c = math.floor((float(d["x"]) - xmin) / a.cell)
            r = math.floor((ymax - float(d["y"])) / a.cell)
            if 0 <= c < width and 0 <= r < height:
                presence[r * width + c] = 1

    block = (row * a.blocks // height) * a.blocks + col * a.blocks // width
    scores = np.empty(width * height)
    for b in range(a.blocks * a.blocks):
        test = block == b
        train = ~test
        mu, sd = X[train].mean(axis=0), X[train].std(axis=0)
        sd[sd == 0] = 1.0
        w = logistic_fit((X[train] - mu) / sd, presence[train].astype(float))
        scores[test] = 1.0 / (1.0 + np.exp(-(w[0] + ((X[test] - mu) / sd) @ w[1:])))
    value = auc(presence, scores)
    rng = np.random.default_rng(a.seed)
    pos, neg = np.flatnonzero(presence == 1), np.flatnonzero(presence == 0)
    reps = []
    for _ in range(a.bootstrap):
        rows = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
        reps.append(auc(presence[rows], scores[rows]))
    lo, hi = np.percentile(reps, [2.5, 97.5])
    print(f"murchison, {a.cell:g} m cells ({width} x {height}), {a.blocks} x {a.blocks} blocks "
          f"left out one at a time: {presence.sum()} deposit cells of {width * height}; "
          f"logistic regression on fault distance, greenstone, contact distance: "
          f"out-of-fold map AUC {value:.3f} [{lo:.3f}, {hi:.3f}]")


if __name__ == "__main__":
    main()
