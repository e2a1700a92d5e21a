#!/usr/bin/python3
"""2D results feed the 3D path (issue 14 item 4), on synth3d.

Builds synth2d-style surface geochemistry over both synth3d deposits (16 elements with
lithology-dependent lognormal backgrounds, spatially correlated variation, the Au-As-Sb-Hg
halo of synth2d's gold association above ore columns, attenuated with the depth of the ore
and dispersed laterally, barren alteration anomalies, analytical noise, closure and
detection limits), then:
  1. ResGNN (`orevox graph`) trained on the SOURCE samples (label: ore in the column below),
     applied to every sample of both deposits (`orevox graph predict`): p_ore per node;
  2. SSGSNet (`orevox raster train`) on the IDW stack of log10 values over both deposits,
     deposits = the source's ore columns, applied to the whole stack (`raster predict`);
  3. `orevox transfer train` with both draped onto the voxel columns (--drape-map,
     --drape-samples), which reports every model's target AUC with and without them.
The target's truth is used for evaluation only. Prints the with/without table (markdown).

  /usr/bin/python3 scripts/drape_2d_to_3d.py --orevox build/apps/orevox --out /tmp/drape
"""
import argparse
import json
import os
import subprocess

import numpy as np

ELEMENTS = ["Au", "B", "Sn", "Cu", "Ag", "Ba", "Mn", "Pb", "Zn", "As", "Sb", "Bi", "Hg", "Mo", "W", "F"]
# synth2d's element laws (geomodel/src/synth2d.cpp kLaw): median ppm, spatial sigma, noise
# sigma (ln units), detection limit ppm.
MEDIAN = [0.0015, 40, 4, 20, 0.08, 400, 600, 30, 70, 8, 0.6, 0.4, 0.05, 0.8, 2.5, 450]
SPATIAL = [0.45, 0.35, 0.40, 0.35, 0.35, 0.30, 0.40, 0.30, 0.30, 0.50, 0.45, 0.45, 0.45, 0.40, 0.40, 0.30]
NOISE = [0.45, 0.15, 0.15, 0.12, 0.20, 0.12, 0.12, 0.12, 0.12, 0.15, 0.18, 0.18, 0.25, 0.18, 0.15, 0.12]
DL = [0.0003, 5, 1, 1, 0.02, 50, 30, 2, 10, 1, 0.2, 0.1, 0.01, 0.4, 0.4, 100]
# Background multipliers per lithology (synth2d kLithMultiplier), the Au-As-Sb-Hg association
# (kAssociation row 0) and barren alteration (kAlterationOnly).
LITH = [
    [0.8, 1.6, 3.0, 0.5, 0.9, 0.8, 0.6, 1.4, 0.8, 0.5, 0.6, 2.5, 0.7, 1.6, 3.0, 1.8],
    [1.0, 1.3, 0.8, 0.7, 0.8, 0.8, 0.6, 0.8, 0.7, 0.8, 0.9, 0.8, 0.8, 0.7, 0.8, 0.6],
    [0.8, 0.5, 0.6, 0.7, 1.2, 2.0, 2.2, 1.3, 1.6, 1.0, 1.2, 0.7, 1.3, 0.8, 0.6, 1.3],
    [1.5, 0.6, 0.8, 2.5, 1.2, 1.1, 1.5, 0.9, 1.4, 1.0, 0.9, 0.8, 0.9, 1.0, 0.7, 0.8],
    [1.2, 1.6, 1.0, 1.3, 1.3, 1.6, 1.4, 1.1, 1.3, 1.6, 1.4, 1.0, 1.5, 1.8, 1.0, 1.0],
]
GOLD = [60.0, 1.0, 1.0, 1.2, 2.5, 1.0, 1.0, 1.5, 1.0, 10.0, 8.0, 1.5, 6.0, 1.0, 1.3, 1.0]
ALTERATION = [1.3, 1.6, 1.0, 1.0, 1.2, 2.0, 1.0, 1.0, 1.0, 4.0, 3.5, 1.0, 3.0, 1.0, 1.0, 1.5]
CELL = 10.0  # synth3d voxel edge, m


def run(orevox, *args):
    print("+ orevox " + " ".join(args), flush=True)
    subprocess.run([orevox, *args], check=True)


def smooth(field, sigma):
    """Gaussian smoothing of a 2D array (separable, reflecting edges)."""
    r = int(3 * sigma) + 1
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    pad = np.pad(field, r, mode="reflect")
    rows = np.apply_along_axis(lambda v: np.convolve(v, k, mode="valid"), 1, pad)
    return np.apply_along_axis(lambda v: np.convolve(v, k, mode="valid"), 0, rows)


def columns(csv_path):
    """Per voxel column of a block-model CSV: origin, shape, top rock code, ore depth."""
    names = open(csv_path).readline().strip().split(",")
    a = np.genfromtxt(csv_path, delimiter=",", skip_header=1)
    col = {n: a[:, i] for i, n in enumerate(names)}
    x0, y0 = col["x"].min() - CELL / 2, col["y"].min() - CELL / 2
    i = np.round((col["x"] - x0 - CELL / 2) / CELL).astype(int)
    j = np.round((col["y"] - y0 - CELL / 2) / CELL).astype(int)
    nx, ny = i.max() + 1, j.max() + 1
    top = np.full((ny, nx), -np.inf)
    np.maximum.at(top, (j, i), col["z"])
    at_top = col["z"] == top[j, i]
    rock = np.zeros((ny, nx), dtype=int)
    rock[j[at_top], i[at_top]] = col["rock_type"][at_top].astype(int)
    ore_top = np.full((ny, nx), -np.inf)
    ore = col["orebody"] > 0.5
    np.maximum.at(ore_top, (j[ore], i[ore]), col["z"][ore])
    depth = np.where(np.isfinite(ore_top), top - ore_top, np.inf)  # m below the surface
    return x0, y0, nx, ny, rock, depth


def samples(csv_path, count, rng):
    """Sites, chemistry (ppm, censored below DL) and the ore-below label over one deposit."""
    x0, y0, nx, ny, rock, depth = columns(csv_path)
    # Halo strength above ore: decays with the depth of the shallowest ore voxel (150 m) and
    # disperses laterally (30 m); a few barren alteration anomalies on top.
    halo = smooth(np.where(np.isfinite(depth), np.exp(-depth / 150.0), 0.0), 3.0)
    halo /= max(halo.max(), 1e-9)
    alteration = np.zeros((ny, nx))
    for _ in range(3):
        ci, cj = rng.uniform(0, nx), rng.uniform(0, ny)
        jj, ii = np.mgrid[0:ny, 0:nx]
        alteration += np.exp(-((ii - ci) ** 2 + (jj - cj) ** 2) / (2 * 6.0 ** 2))
    fields = [smooth(rng.standard_normal((ny, nx)), 8.0) for _ in ELEMENTS]
    x = x0 + rng.uniform(0, nx * CELL, count)
    y = y0 + rng.uniform(0, ny * CELL, count)
    i = np.minimum((x - x0) // CELL, nx - 1).astype(int)
    j = np.minimum((y - y0) // CELL, ny - 1).astype(int)
    lith = (rock[j, i] - 1) % 5
    ppm = np.zeros((count, len(ELEMENTS)))
    for e in range(len(ELEMENTS)):
        f = fields[e] / max(fields[e].std(), 1e-9)
        ln = (np.log(MEDIAN[e]) + np.log(np.array(LITH)[lith, e]) + SPATIAL[e] * f[j, i]
              + np.log1p((GOLD[e] - 1.0) * halo[j, i]) + np.log1p((ALTERATION[e] - 1.0) * alteration[j, i])
              + NOISE[e] * rng.standard_normal(count))
        ppm[:, e] = np.exp(ln)
    ppm *= 1e6 / (ppm.sum(axis=1, keepdims=True) + 0.96e6)  # closure against a major-element rest
    rest = 1e6 - ppm.sum(axis=1)
    ore = np.isfinite(depth[j, i]).astype(int)
    return x, y, ppm, rest, ore


def write_samples(path, rows, with_log):
    head = ["id", "x", "y"] + ELEMENTS + ["rest", "ore_below"]
    if with_log:
        head += ["log10_" + e for e in ELEMENTS]
    with open(path, "w") as out:
        out.write(",".join(head) + "\n")
        n = 0
        for x, y, ppm, rest, ore in rows:
            for s in range(len(x)):
                n += 1
                cells = ["S%05d" % n, "%.2f" % x[s], "%.2f" % y[s]]
                for e in range(len(ELEMENTS)):
                    v = ppm[s, e]
                    cells.append("<%g" % DL[e] if v < DL[e] else "%.6g" % v)
                cells += ["%.1f" % rest[s], str(ore[s])]
                if with_log:
                    cells += ["%.5f" % np.log10(max(ppm[s, e], 0.65 * DL[e])) for e in range(len(ELEMENTS))]
                out.write(",".join(cells) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--orevox", default="build/apps/orevox")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--size", default="64,64,32")
    p.add_argument("--shift", default="0.5")
    p.add_argument("--sites", type=int, default=600, help="surface samples per deposit")
    p.add_argument("--epochs", default="5", help="epochs of the volume networks")
    p.add_argument("--models", default="dann-cta,cnn3d,rf")
    p.add_argument("--threads", default="2")
    p.add_argument("--reuse-2d", action="store_true", help="keep the 2D results already in --out")
    a = p.parse_args()
    o, w = a.orevox, a.out
    os.makedirs(w, exist_ok=True)
    common = ["--threads", a.threads, "--quiet"]
    if not (a.reuse_2d and os.path.exists(w + "/ssgsnet_map.tif") and os.path.exists(w + "/resgnn_samples.csv")):
        surface_2d(a, o, w, common)
    transfer(a, o, w, common)


def surface_2d(a, o, w, common):
    run(o, "synth", "3d", "--seed", str(a.seed), "--size", a.size, "--shift", a.shift, "--out", w + "/synth3d", *common)
    rows = {}
    rng = np.random.default_rng(a.seed)
    for d in ("source", "target"):
        run(o, "convert", w + "/synth3d/%s.vdb" % d, w + "/synth3d/%s.csv" % d, "--quiet")
        rows[d] = samples(w + "/synth3d/%s.csv" % d, a.sites, rng)
    write_samples(w + "/source_samples.csv", [rows["source"]], False)
    write_samples(w + "/all_samples.csv", [rows["source"], rows["target"]], True)
    xs, ys, _, _, ore = rows["source"]
    with open(w + "/source_ore_sites.csv", "w") as out:  # the deposits of the raster path
        out.write("x,y\n")
        for s in np.flatnonzero(ore):
            out.write("%.2f,%.2f\n" % (xs[s], ys[s]))
    print("surface samples: %d per deposit, ore below %.1f %% (source) / %.1f %% (target)"
          % (a.sites, 100 * rows["source"][4].mean(), 100 * rows["target"][4].mean()))

    # 1. ResGNN on the source samples, applied to both deposits' nodes.
    run(o, "graph", "--samples", w + "/source_samples.csv", "--label", "ore_below", "--elements", ",".join(ELEMENTS),
        "--model", "resgcn", "--folds", "4", "--block-size", "160", "--epochs", "10", "--oversample", "none",
        "--seed", str(a.seed), "--out", w + "/graph", *common)
    run(o, "graph", "predict", "--model", w + "/graph/resgcn.pt", "--samples", w + "/all_samples.csv",
        "--out", w + "/resgnn_samples.csv", *common)
    # 2. SSGSNet on the log10 IDW stack over both deposits, applied to the whole stack.
    nx, ny = (int(v) for v in a.size.split(",")[:2])
    src0, tgt0 = (271000.0, 4122000.0), (278500.0, 4137500.0)  # synth3d box origins
    extent = "%.1f,%.1f,%.1f,%.1f" % (src0[0] - 160, src0[1] - 160, tgt0[0] + nx * CELL + 160, tgt0[1] + ny * CELL + 160)
    run(o, "grid", "--samples", w + "/all_samples.csv", "--fields", ",".join("log10_" + e for e in ELEMENTS),
        "--cell", "20", "--extent", extent, "--radius", "200", "--signed", "--out", w + "/stack.tif", *common)
    run(o, "raster", "train", "--stack", w + "/stack.tif", "--deposits", w + "/source_ore_sites.csv",
        "--model", "ssgsnet", "--window", "16", "--epochs", "5", "--folds", "3", "--block-size", "220",
        "--seed", str(a.seed), "--shap-windows", "0", "--out", w + "/raster", *common)
    run(o, "raster", "predict", "--model", w + "/raster/ssgsnet.pt", "--stack", w + "/stack.tif",
        "--out", w + "/ssgsnet_map.tif", *common)


def sample_auc(rows):
    """Mann-Whitney AUC of p_ore against ore_below (ties count 1/2)."""
    pos = np.array([float(r[1]) for r in rows if r[0] == "1"])
    neg = np.array([float(r[1]) for r in rows if r[0] == "0"])
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return wins / (len(pos) * len(neg))


def transfer(a, o, w, common):
    """3. The volume path with and without the draped 2D results."""
    lines = open(w + "/resgnn_samples.csv").read().splitlines()
    head = lines[0].split(",")
    ix, io, ip = head.index("x"), head.index("ore_below"), head.index("p_ore")
    cells = [l.split(",") for l in lines[1:]]
    src = [(c[io], c[ip]) for c in cells if float(c[ix]) < 275000]
    tgt = [(c[io], c[ip]) for c in cells if float(c[ix]) >= 275000]
    print("ResGNN per-sample AUC against ore below: source (its training samples) %.3f, target %.3f"
          % (sample_auc(src), sample_auc(tgt)))
    run(o, "transfer", "train", "--dataset", "synth3d", "--size", a.size, "--seed", str(a.seed), "--shift", a.shift,
        "--model", a.models, "--epochs", a.epochs, "--positives", "300", "--drape-map", w + "/ssgsnet_map.tif",
        "--drape-samples", w + "/resgnn_samples.csv", "--out", w + "/transfer", "--report", w + "/transfer.json",
        *common)
    models = json.load(open(w + "/transfer.json"))["results"]["models"]
    print("| model | target AUC without 2D | with surface_ssgsnet + surface_resgnn | out-of-fold map AUC without | with |")
    print("|---|---|---|---|---|")
    for name, m in models.items():
        wo = m.get("without_2d", {}).get("metrics", {})
        print("| %s | %.3f | %.3f | %.3f | %.3f |" % (name, wo.get("target_auc", float("nan")), m["metrics"]["target_auc"],
                                                    wo.get("oof_map_auc", float("nan")),
                                                    m["metrics"].get("oof_map_auc", float("nan"))))


if __name__ == "__main__":
    main()
