#!/usr/bin/python3
"""Markdown tables from bench/images/oneclass.py's JSON documents.

Usage: bench/images/table.py RESULT.json [RESULT.json ...]
Prints, per data set and kind: the mean ROC-AUC over classes (each class's mean over seeds) for
Recon and PyTorch and the per-class means; then the median training throughput of each side.
"""
import json
import statistics
import sys


def main():
    runs = []
    for path in sys.argv[1:]:
        with open(path) as f:
            runs += json.load(f)["runs"]
    keys = sorted({(r["dataset"], r["kind"]) for r in runs})
    classes = sorted({r["class"] for r in runs})
    print("| data set | model | side | mean ROC-AUC | " + " | ".join(f"class {c}" for c in classes) + " |")
    print("| --- | --- | --- | --- | " + " | ".join("---" for _ in classes) + " |")
    for ds, kind in keys:
        for side, name in (("recon", "Recon"), ("torch", "PyTorch")):
            per = []
            for c in classes:
                v = [r[side]["roc_auc"] for r in runs if (r["dataset"], r["kind"], r["class"]) == (ds, kind, c)
                     and side in r]
                per.append(statistics.mean(v) if v else float("nan"))
            seeds = len({r["seed"] for r in runs if (r["dataset"], r["kind"]) == (ds, kind)})
            print(f"| {ds} | {kind} | {name} ({seeds} seeds) | **{statistics.mean(per):.4f}** | "
                  + " | ".join(f"{p:.3f}" for p in per) + " |")
    print()
    print("| data set | model | Recon samples/s (median run) | PyTorch samples/s (median run) |")
    print("| --- | --- | --- | --- |")
    for ds, kind in keys:
        sel = [r for r in runs if (r["dataset"], r["kind"]) == (ds, kind) and "torch" in r]
        rs = statistics.median(r["recon"]["samples_per_s"] for r in sel)
        ts = statistics.median(r["torch"]["samples_per_s"] for r in sel)
        print(f"| {ds} | {kind} | {rs:,.0f} | {ts:,.0f} |")


if __name__ == "__main__":
    main()
