#!/usr/bin/python3
"""Thalanga VMS (issue 13, item 6): the footwall/hanging-wall volcanic contact picked from
the logs, modelled, and the distance to it as a predictor of massive sulphide intervals,
scored on held-out holes.

Desurveys the geology logs (`orevox drillholes desurvey`), picks in every training hole the
points where FORMATION changes between FV (footwall volcanics) and HV (hanging-wall
volcanics), skipping rows of other or no formation (the midpoint between the end of the
last row of one and the start of the first row of the other), builds the contact from these
picks (`orevox model build`, fdi, value 0 and one normal: the plane through the picks) on a
box around them, writes its isosurface, computes `contact_distance` with `orevox model
features --like` and samples it (trilinear) at the middles of the held-out holes' intervals.
Held out: every fifth hole carrying a logged Lith1_Validated, by sorted hole id. Score:
minus the absolute distance; label: Lith1_Validated MS or SMS. Prints the ROC AUC with a
stratified percentile bootstrap interval (1,000 replicates, seed 1) and a Markdown row.

Usage: /usr/bin/python3 scripts/thalanga_contact.py [--orevox build/apps/orevox]
           [--data ../shared/datasets/thalanga_vms] [--cell 25] --out DIR
"""
import argparse
import csv
import json
import os

import numpy as np

from structural_truth import run  # the same command runner (scripts/ is on sys.path)


def auc(labels, scores):
    """Mann-Whitney AUC with ties counted half."""
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = labels == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return (ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--orevox", default="build/apps/orevox")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                   "shared", "datasets", "thalanga_vms"))
    ap.add_argument("--cell", default="25")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    ox, out, data = a.orevox, a.out, a.data
    os.makedirs(out, exist_ok=True)
    run([ox, "drillholes", "desurvey", "--collars", data + "/ThalangaML_collar.csv",
         "--surveys", data + "/ThalangaML_survey.csv", "--intervals",
         data + "/ThalangaML_Geology.csv", "--crs", "EPSG:28355", "--out", out + "/dh",
         "--quiet"], out + "/dh/intervals.csv")
    with open(out + "/dh/intervals.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    holes = {}
    for r in rows:
        holes.setdefault(r["hole"], []).append(r)
    logged = sorted(h for h, rs in holes.items() if any(r["Lith1_Validated"] for r in rs))
    held = set(logged[4::5])

    picks = []
    for h, rs in holes.items():
        if h in held:
            continue
        rs = sorted((r for r in rs if r["FORMATION"] in ("FV", "HV")), key=lambda r: float(r["from"]))
        for prev, cur in zip(rs, rs[1:]):
            if prev["FORMATION"] != cur["FORMATION"]:
                p = [(float(prev[c + "_to"]) + float(cur[c + "_from"])) / 2 for c in "xyz"]
                picks.append(p)
    picks = np.array(picks)
    c = picks.mean(axis=0)
    _, _, vt = np.linalg.svd(picks - c)
    n = vt[2] if vt[2][2] > 0 else -vt[2]
    with open(out + "/picks.csv", "w") as f:
        f.write("X,Y,Z,feature_name,val,nx,ny,nz\n")
        for p in picks:
            f.write(f"{p[0]:.3f},{p[1]:.3f},{p[2]:.3f},contact,0,,,\n")
        f.write(f"{c[0]:.3f},{c[1]:.3f},{c[2]:.3f},contact,,{n[0]},{n[1]},{n[2]}\n")
    lo, hi = picks.min(axis=0) - 100, picks.max(axis=0) + 100
    extent = ",".join(f"{v:.0f}" for v in list(lo) + list(hi))
    run([ox, "model", "build", "--points", out + "/picks.csv", "--cell", a.cell, "--extent",
         extent, "--out", out + "/model.vdb", "--surfaces", out + "/surfaces", "--quiet"],
        out + "/model.vdb")
    run([ox, "model", "features", "--like", out + "/model.vdb", "--surface",
         out + "/surfaces/contact_0.ts:contact", "--out", out + "/features.vdb", "--quiet"],
        out + "/features.vdb")

    # Held-out intervals inside the model box.
    test = [r for r in rows if r["hole"] in held and r["Lith1_Validated"]]
    xyz = np.array([[float(r[k]) for k in "xyz"] for r in test])
    keep = np.all((xyz >= lo) & (xyz <= hi), axis=1)
    with open(out + "/heldout.csv", "w") as f:
        f.write("x,y,z,label\n")
        for p, r, k in zip(xyz, test, keep):
            if k:
                label = 1 if r["Lith1_Validated"] in ("MS", "SMS") else 0
                f.write(f"{p[0]:.3f},{p[1]:.3f},{p[2]:.3f},{label}\n")
    run([ox, "sample", "--volume", out + "/features.vdb", "--points", out + "/heldout.csv",
         "--channels", "contact_distance", "--interp", "linear", "--out",
         out + "/heldout_distance.csv", "--quiet"])
    with open(out + "/heldout_distance.csv", newline="") as f:
        s = [r for r in csv.DictReader(f) if r["contact_distance"] != ""]
    labels = np.array([int(r["label"]) for r in s])
    dist = np.array([float(r["contact_distance"]) for r in s])
    score = -np.abs(dist)
    value = auc(labels, score)
    rng = np.random.default_rng(1)
    pos, neg = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    boot = []
    for _ in range(1000):
        idx = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
        boot.append(auc(labels[idx], score[idx]))
    low, high = np.percentile(boot, [2.5, 97.5])
    summary = {
        "training_holes": len(holes) - len(held), "heldout_holes": len(held),
        "picks": len(picks), "extent": extent, "cell": float(a.cell),
        "heldout_intervals": len(s), "heldout_massive_sulphide": int(labels.sum()),
        "auc": value, "auc_ci95": [low, high],
        "median_distance_ms": float(np.median(np.abs(dist[labels == 1]))),
        "median_distance_other": float(np.median(np.abs(dist[labels == 0]))),
    }
    with open(out + "/summary.json", "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
