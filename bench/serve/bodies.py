"""Request bodies for bench/serve-load.sh, from the first rows of a CSV(.gz) file with a header:
one-row JSON, 1,000-row JSON (arrays in the header's feature order) and 1,000-row CSV, the label
column (Class) left out. Usage: bodies.py DATA OUTDIR"""
import csv, gzip, json, sys

data, out = sys.argv[1], sys.argv[2]
opener = gzip.open if data.endswith(".gz") else open
with opener(data, "rt", newline="") as f:
    r = csv.reader(f)
    header = next(r)
    keep = [i for i, h in enumerate(header) if h.lower() not in ("class", "label")]
    rows = [[row[i] for i in keep] for _, row in zip(range(1000), r)]
names = [header[i] for i in keep]
with open(f"{out}/one.json", "w") as f:
    json.dump({"rows": [[float(v) for v in rows[0]]]}, f)
with open(f"{out}/batch.json", "w") as f:
    json.dump({"rows": [[float(v) for v in row] for row in rows]}, f)
with open(f"{out}/batch.csv", "w") as f:
    f.write(",".join(names) + "\n")
    for row in rows:
        f.write(",".join(row) + "\n")
