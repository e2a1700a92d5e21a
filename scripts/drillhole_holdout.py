#!/usr/bin/python3
"""Hold-out test of drillhole estimators by spatial blocks of holes (docs/drillholes.md).

Usage: drillhole_holdout.py --composites intervals.csv --field CU --cutoff 0.5 --block 2000
           --share 0.2 --seed 1 --out DIR --orevox build/apps/orevox -- GRID OPTIONS...

The holes are grouped into square blocks of --block (CRS units) by their first composite;
whole blocks, drawn at random (--seed), are held out until about --share of the holes are.
orevox grids the training composites once per estimator (nearest = IDW over 1 neighbour,
IDW, ordinary kriging; GRID OPTIONS are passed to every `orevox drillholes grid`), `orevox
sample` reads each volume at the held-out composites (nearest voxel), and the script scores
the held-out composites with a value and an estimate: RMSE, Spearman rank correlation, and
the ROC AUC of the estimate for FIELD >= cutoff (ties counted half). Prints a Markdown table
and writes DIR/holdout.csv."""
import argparse
import csv
import os
import random
import subprocess
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return r


def pearson(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    saa = sum((x - ma) ** 2 for x in a)
    sbb = sum((y - mb) ** 2 for y in b)
    return sab / (saa * sbb) ** 0.5


def auc(score, label):
    r = ranks(score)
    pos = sum(label)
    neg = len(label) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    return (sum(ri for ri, l in zip(r, label) if l) - pos * (pos + 1) / 2.0) / (pos * neg)


def main():
    argv = sys.argv[1:]
    grid_options = []
    if "--" in argv:
        grid_options = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    p = argparse.ArgumentParser()
    p.add_argument("--composites", required=True)
    p.add_argument("--field", required=True)
    p.add_argument("--cutoff", type=float, required=True)
    p.add_argument("--block", type=float, default=2000.0)
    p.add_argument("--share", type=float, default=0.2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    p.add_argument("--orevox", default="orevox")
    a = p.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    header, rows = read(a.composites)
    hole, x, y = header.index("hole"), header.index("x"), header.index("y")
    first = {}
    for r in rows:
        first.setdefault(r[hole], (float(r[x]), float(r[y])))
    blocks = {}
    for h, (hx, hy) in first.items():
        blocks.setdefault((int(hx // a.block), int(hy // a.block)), []).append(h)
    keys = sorted(blocks)
    random.Random(a.seed).shuffle(keys)
    held = set()
    for k in keys:
        if len(held) >= a.share * len(first):
            break
        held.update(blocks[k])
    train = os.path.join(a.out, "train.csv")
    test = os.path.join(a.out, "test.csv")
    with open(train, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(r for r in rows if r[hole] not in held)
    with open(test, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(r for r in rows if r[hole] in held)
    print("holes %d, held out %d in %d of %d blocks; composites %d, held out %d" % (
        len(first), len(held), sum(1 for k in keys if blocks[k][0] in held), len(keys), len(rows),
        sum(1 for r in rows if r[hole] in held)))
    estimators = [("nearest", ["--method", "idw", "--neighbors", "1"]), ("idw", ["--method", "idw"]),
                  ("kriging", ["--method", "kriging"])]
    table = []
    for name, options in estimators:
        volume = os.path.join(a.out, name + ".vdb")
        sampled = os.path.join(a.out, name + "_test.csv")
        subprocess.run([a.orevox, "drillholes", "grid", "--intervals", train, "--fields", a.field, "--out", volume,
                        "--quiet"] + grid_options + options, check=True)
        subprocess.run([a.orevox, "sample", "--volume", volume, "--points", test, "--x", "x", "--y", "y", "--z", "z",
                        "--channels", a.field, "--out", sampled, "--quiet"], check=True)
        h, srows = read(sampled)
        truth_col, est_col = h.index(a.field), len(h) - 1
        truth, est = [], []
        missing = 0
        for r in srows:
            t = r[truth_col]
            if t == "" or t.startswith("<"):
                t = "" if t == "" else str(0.5 * float(t[1:]))
            if t == "":
                continue
            if r[est_col] == "":
                missing += 1
                continue
            truth.append(float(t))
            est.append(float(r[est_col]))
        rmse = (sum((e - t) ** 2 for e, t in zip(est, truth)) / len(truth)) ** 0.5
        rho = pearson(ranks(est), ranks(truth))
        area = auc(est, [t >= a.cutoff for t in truth])
        table.append((name, len(truth), missing, rmse, rho, area))
    with open(os.path.join(a.out, "holdout.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["estimator", "scored", "without_estimate", "rmse", "spearman", "auc"])
        w.writerows(table)
    print("| estimator | held-out composites scored | without an estimate | RMSE | Spearman | AUC %s>=%g |" % (
        a.field, a.cutoff))
    print("|---|---|---|---|---|---|")
    for name, n, miss, rmse, rho, area in table:
        print("| %s | %d | %d | %.4f | %.3f | %.3f |" % (name, n, miss, rmse, rho, area))


if __name__ == "__main__":
    main()
