#!/usr/bin/env python3
"""Summarises bench/results/spark-train-creditcard.json: mean ROC-AUC, AP and seconds per detector and partitioning."""
import json
import statistics as st
import sys

r = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "bench/results/spark-train-creditcard.json"))
by = {}
for run, sets in r.items():
    kind = run.split(",")[0]
    for setting, v in sets.items():
        by.setdefault((kind, setting), []).append(v)
print("| detector | training | ROC-AUC (mean ± sd) | vs one machine | AP | epochs | seconds |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for (kind, setting), vs in by.items():
    roc = [v["roc_auc"] for v in vs]
    one = st.mean(x["roc_auc"] for x in by[(kind, "one machine")])
    print(f"| {kind} | {setting} | {st.mean(roc):.4f} ± {st.stdev(roc):.4f} | {st.mean(roc) - one:+.4f} | "
          f"{st.mean(v['pr_auc'] for v in vs):.4f} | {vs[0]['epochs']} | {st.mean(v['seconds'] for v in vs):.1f} |")
