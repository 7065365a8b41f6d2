#!/usr/bin/python3
"""Markdown table of a `recon bench --suite` JSON (bench/tabular.sh writes one): per set, Recon's
ROC-AUC / average precision beside each peer's, the best in bold, and the means.
Usage: bench/tabular_table.py RESULT.json"""
import json, sys

r = json.load(open(sys.argv[1]))
peers = ["ae", "knn", "lof", "if"]
print("| set | rows | features | Recon | AE (PyTorch) | kNN | LOF | IF |")
print("| --- | ---: | ---: | --- | --- | --- | --- | --- |")
for s in r["sets"]:
    p = s["peers"]
    best = max(p[k]["roc"] for k in peers)
    cell = lambda roc, ap, b: f"**{roc:.3f} / {ap:.3f}**" if b else f"{roc:.3f} / {ap:.3f}"
    cells = [cell(s["roc"], s["ap"], s["roc"] >= best)]
    cells += [cell(p[k]["roc"], p[k]["ap"], p[k]["roc"] == best and s["roc"] < best) for k in peers]
    print(f"| {s['set']} | {s['rows']:,} | {s['features']} | " + " | ".join(cells) + " |")
m = r["summary"]
print(f"| **mean** | | | **{m['roc']:.3f} / {m['ap']:.3f}** | "
      + " | ".join(f"{m['peers'][k]['roc']:.3f} / {m['peers'][k]['ap']:.3f}" for k in peers) + " |")
print(f"\nRecon best on {m['best']} of {m['sets']} sets; best or within 0.01 of the best peer (ROC-AUC) on {m['matched']}.")
