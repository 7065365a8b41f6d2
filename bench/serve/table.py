"""Markdown table of bench/serve-load.sh results, for README.md and BENCHMARKS.md.
Usage: table.py RESULTS.json [RESULTS.json ...]"""
import json, sys

NAMES = {"single-row": "single rows, flat out (16 connections)",
         "health": "GET /v1/health, flat out (no model work: the server's ceiling)",
         "single-row-5k": "single rows, paced at ~5,000/s (55 connections)",
         "csv-1000": "1,000-row CSV bodies, flat out (4 connections)",
         "json-1000": "1,000-row JSON bodies, flat out (4 connections)",
         "single-row-during-reloads": "single rows while reloading twice a second",
         "soak-5k": "single rows, paced at ~5,000/s, 10 minutes"}

print("| detector | run | micro-batching | requests/s | rows/s | p50 ms | p99 ms | p99.9 ms | errors |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for path in sys.argv[1:]:
    doc = json.load(open(path))
    for r in doc["runs"]:
        w = r["wrk"]
        lat = w["latency_ms"]
        rows = w["rps"] * r["rows_per_request"]
        print(f"| `{doc['detector']}` | {NAMES.get(r['name'], r['name'])} | {r['micro_batch']} | {w['rps']:,.0f} | "
              f"{rows:,.0f} | {lat['p50']:.2f} | {lat['p99']:.2f} | {lat['p999']:.2f} | {sum(w['errors'].values())} |")
    extra = []
    if doc.get("reloads"):
        extra.append(f"reloads during load: {doc['reloads']['ok']} done, {doc['reloads']['failed']} failed")
    if doc.get("soak"):
        h0, h1 = doc["soak"]["heap_after_gc_kb"]
        extra.append(f"heap after a full GC: {h0:,} KB at the start, {h1:,} KB after {doc['soak']['seconds']} s "
                     f"({(h1 - h0) / h0 * 100:+.1f} %)")
    for e in extra:
        print(f"| `{doc['detector']}` | {e} | | | | | | | |")
