#!/usr/bin/python3
"""Known truth for the structural predictors (issue 13, item 5).

Drills a synth3d pair (`orevox synth 3d --drillholes N`), picks the detachment fault (top of
the logged alteration: the hanging-wall gouge top) and the granite contact (top of the first
granite) in every hole, rebuilds both surfaces from these picks alone (`orevox model build`,
one orientation per surface from the plane through its picks), computes the predictors
(`orevox model features`) and compares them with synth3d's truth channels inside the drilled
hull (the convex hull of the holes' samples in plan, between their lowest and highest
sample): RMSE of fault_distance (voxels) and fault_dip (degrees), agreement of rock_type
(rebuilt as alteration where -T <= fault_distance <= 0 with T the median logged alteration
thickness, granite below the granite contact, metamorphic elsewhere). Then `orevox transfer
train` on the rebuilt channels and on the truth channels (fault_distance, fault_dip,
dip_change, fault_undulation, granite_distance) and the target AUC of both.

Usage: /usr/bin/python3 scripts/structural_truth.py [--orevox build/apps/orevox]
           [--holes 60] [--size 128,128,64] [--cell 20] [--seed 1] [--models rf]
           [--quick] --out DIR
Prints a Markdown table row and writes DIR/summary.json. Needs numpy.
"""
import argparse
import csv
import json
import os
import subprocess
import sys

import numpy as np


def run(cmd, creates=None):
    if creates and os.path.exists(creates):
        return
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)


def column(rows, name):
    return np.array([float(r[name]) if r[name] != "" else np.nan for r in rows])


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def picks(intervals):
    """Per hole, the boundary point where the log enters alteration from metamorphic (the
    fault's gouge top) and where it first enters granite (the granite contact), and the
    downhole length of the first alteration run."""
    holes = {}
    for r in intervals:
        holes.setdefault(r["hole"], []).append(r)
    fault, granite, thickness = [], [], []
    for rows in holes.values():
        rows.sort(key=lambda r: float(r["from"]))
        seen_fault = seen_granite = False
        for prev, cur in zip(rows, rows[1:]):
            if float(prev["to"]) != float(cur["from"]):
                continue  # a gap: no contact between them
            point = [float(cur["x_from"]), float(cur["y_from"]), float(cur["z_from"])]
            if not seen_fault and prev["rock_type"] == "metamorphic" and cur["rock_type"] == "alteration":
                fault.append(point)
                seen_fault = True
                run_end = [r for r in rows if float(r["from"]) >= float(cur["from"])]
                length = 0.0
                for r in run_end:
                    if r["rock_type"] != "alteration":
                        break
                    length += float(r["to"]) - float(r["from"])
                thickness.append((point, length, cur))
            if not seen_granite and prev["rock_type"] != "granite" and cur["rock_type"] == "granite":
                granite.append(point)
                seen_granite = True
    return np.array(fault), np.array(granite), thickness


def plane_normal(points):
    c = points.mean(axis=0)
    _, _, vt = np.linalg.svd(points - c)
    n = vt[2]
    return c, n if n[2] > 0 else -n


def write_constraints(path, fault, granite):
    with open(path, "w") as f:
        f.write("X,Y,Z,feature_name,val,nx,ny,nz\n")
        for name, pts in (("fault", fault), ("granite", granite)):
            for p in pts:
                f.write(f"{p[0]},{p[1]},{p[2]},{name},0,,,\n")
            c, n = plane_normal(pts)
            f.write(f"{c[0]},{c[1]},{c[2]},{name},,{n[0]},{n[1]},{n[2]}\n")


def hull(points):
    """Convex hull (monotone chain) of 2D points, counter-clockwise."""
    pts = sorted(set(map(tuple, points)))
    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])


def inside(h, x, y):
    ok = np.ones_like(x, dtype=bool)
    for i in range(len(h)):
        a, b = h[i], h[(i + 1) % len(h)]
        ok &= (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) >= 0
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--orevox", default="build/apps/orevox")
    ap.add_argument("--holes", type=int, default=60)
    ap.add_argument("--size", default="128,128,64")
    ap.add_argument("--cell", default="20")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--models", default="rf")
    ap.add_argument("--epochs", default="10")
    ap.add_argument("--quick", action="store_true", help="no transfer training")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    ox = a.orevox
    out = a.out
    os.makedirs(out, exist_ok=True)
    synth = os.path.join(out, "synth")
    run([ox, "synth", "3d", "--seed", a.seed, "--size", a.size, "--cell", a.cell,
         "--drillholes", str(a.holes), "--out", synth, "--quiet"], synth + "/target.vdb")
    truth_channels = "fault_distance,fault_dip,dip_change,fault_undulation,granite_distance,orebody"
    rebuilt_channels = ("fault_distance,fault_dip,fault_dip_change,fault_undulation,"
                        "granite_distance,orebody")
    summary = {"holes": a.holes, "size": a.size, "cell": float(a.cell), "seed": a.seed}
    for deposit in ("source", "target"):
        d = os.path.join(out, deposit)
        vdb = os.path.join(synth, deposit + ".vdb")
        run([ox, "drillholes", "desurvey", "--collars", f"{synth}/{deposit}_collars.csv",
             "--surveys", f"{synth}/{deposit}_surveys.csv", "--intervals",
             f"{synth}/{deposit}_intervals.csv", "--crs", "EPSG:32651", "--out", d + "/dh",
             "--quiet"], d + "/dh/intervals.csv")
        intervals = read_csv(d + "/dh/intervals.csv")
        fault, granite, runs = picks(intervals)
        write_constraints(d + "/picks.csv", fault, granite)
        run([ox, "model", "build", "--points", d + "/picks.csv", "--like", vdb, "--out",
             d + "/model.vdb", "--surfaces", d + "/surfaces", "--quiet"], d + "/model.vdb")
        run([ox, "model", "features", "--model", vdb, "--keep", "orebody", "--surface",
             d + "/surfaces/fault_0.ts:fault", "--surface", d + "/surfaces/granite_0.ts:granite",
             "--out", d + "/features.vdb", "--quiet"], d + "/features.vdb")
        run([ox, "model", "features", "--model", d + "/features.vdb", "--keep", rebuilt_channels,
             "--out", d + "/rebuilt.vdb", "--quiet"], d + "/rebuilt.vdb")
        run([ox, "model", "features", "--model", vdb, "--keep", truth_channels, "--out",
             d + "/truth.vdb", "--quiet"], d + "/truth.vdb")

        # Voxel centres inside the drilled hull, sampled from both volumes.
        info = json.loads(subprocess.run([ox, "info", vdb, "--json"], check=True,
                                         capture_output=True, text=True).stdout)
        lo, size, cell = np.array(info["box"]["min"]), info["size"], np.array(info["voxel"])
        xyz = np.array([[float(r["x"]), float(r["y"]), float(r["z"])] for r in intervals])
        h = hull(xyz[:, :2])
        axes = [lo[i] + (np.arange(size[i]) + 0.5) * cell[i] for i in range(3)]
        X, Y, Z = np.meshgrid(*axes, indexing="ij")
        keep = inside(h, X, Y) & (Z >= xyz[:, 2].min()) & (Z <= xyz[:, 2].max())
        pts = np.column_stack([X[keep], Y[keep], Z[keep]])
        with open(d + "/hull_points.csv", "w") as f:
            f.write("x,y,z\n")
            np.savetxt(f, pts, delimiter=",", fmt="%.3f")
        for name, volume in (("truth", vdb), ("rebuilt", d + "/features.vdb")):
            run([ox, "sample", "--volume", volume, "--points", d + "/hull_points.csv", "--out",
                 f"{d}/hull_{name}.csv", "--quiet"], f"{d}/hull_{name}.csv")
        t = read_csv(d + "/hull_truth.csv")
        r = read_csv(d + "/hull_rebuilt.csv")
        rock = np.nan_to_num(column(t, "rock_type"))
        solid = rock > 0  # below the topography (air is inactive)
        tf, rf = column(t, "fault_distance")[solid], column(r, "fault_distance")[solid]
        tdip, rdip = column(t, "fault_dip")[solid], column(r, "fault_dip")[solid]
        rg = column(r, "granite_distance")[solid]
        # Logged alteration thickness across the rebuilt fault: downhole length x |cos| of
        # the angle between the hole and the picks' plane normal.
        _, n = plane_normal(fault)
        thick = []
        for p, length, row in runs:
            v = np.array([float(row["x_to"]) - float(row["x_from"]),
                          float(row["y_to"]) - float(row["y_from"]),
                          float(row["z_to"]) - float(row["z_from"])])
            thick.append(length * abs(v.dot(n)) / np.linalg.norm(v))
        T = float(np.median(thick))
        rebuilt_rock = np.where((rf <= 0) & (rf >= -T), 3, np.where(rg < 0, 1, 2))
        true_rock = rock[solid]
        summary[deposit] = {
            "fault_picks": len(fault), "granite_picks": len(granite),
            "hull_voxels": int(solid.sum()),
            "fault_distance_rmse_voxels": float(np.sqrt(np.mean((rf - tf) ** 2)) / cell[0]),
            "fault_distance_bias_m": float(np.mean(rf - tf)),
            "fault_dip_rmse_degrees": float(np.sqrt(np.mean((rdip - tdip) ** 2))),
            "alteration_thickness_m": T,
            "rock_type_agreement": float(np.mean(rebuilt_rock == true_rock)),
            "rock_type_majority_share": float(max(np.mean(true_rock == c) for c in (1, 2, 3))),
        }
        print(deposit, json.dumps(summary[deposit]), file=sys.stderr, flush=True)

    if not a.quick:
        for name in ("truth", "rebuilt"):
            tdir = os.path.join(out, "transfer_" + name)
            run([ox, "transfer", "train", "--source", f"{out}/source/{name}.vdb", "--target",
                 f"{out}/target/{name}.vdb", "--model", a.models, "--seed", a.seed, "--epochs",
                 a.epochs, "--out", tdir, "--report", tdir + ".json", "--quiet"])
            with open(tdir + ".json") as f:
                rep = json.load(f)
            summary["transfer_" + name] = rep["results"]
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
