#!/usr/bin/env bash
# Recon against PyTorch on this machine, in one run: the CPU's FP32 peak (a large SGEMM through
# NumPy's OpenBLAS), PyTorch training and scoring of the same autoencoder (bench/torch_train.py),
# and `recon bench`; then the ratios. Rounds alternate PyTorch and Recon, so that both see the
# same load on machines whose speed drifts.
# Needs Debian's python3-torch and python3-numpy (apt-get install python3-torch python3-numpy).
# Usage: bench/compare-pytorch.sh [ROUNDS] (default 2)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=/usr/bin/python3
ROUNDS="${1:-2}"
if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
  echo "compare-pytorch.sh: needs PyTorch and NumPy for $PY (apt-get install python3-torch python3-numpy)" >&2
  exit 1
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(grep -o -w 'avx512f\|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
# OpenBLAS's own kernel choice; this workplace may force an older one through OPENBLAS_CORETYPE
peak=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" "$ROOT/bench/sgemm_peak.py")
echo "FP32 peak (4096^3 SGEMM, NumPy/OpenBLAS, all cores): $peak GFLOP/s"
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
  forced=$("$PY" "$ROOT/bench/sgemm_peak.py")
  echo "  with this machine's OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE: $forced GFLOP/s"
fi

"$ROOT/recon" info >/dev/null  # builds the jar first if needed, outside the timings
for r in $(seq 1 "$ROUNDS"); do
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" "$ROOT/bench/torch_train.py" --threads "$(nproc)" \
      --batch 256 4096 --epochs 3 > "$OUT/torch$r.json"
  # the peak again right before and after Recon's run: the host's load moves it from minute to minute
  before=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" "$ROOT/bench/sgemm_peak.py")
  "$ROOT/recon" bench --batch 256,4096 --epochs 5 --peak "$peak" --json > "$OUT/recon$r.json"
  after=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" "$ROOT/bench/sgemm_peak.py")
  echo "$before $after" > "$OUT/peak$r.txt"
done

"$PY" - "$OUT" "$ROUNDS" "$peak" <<'PY'
import json, sys
out, rounds, peak = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
FLOPS = 148992
def row(name, recon, torch):
    print(f"  {name:42s} recon {recon:12,.0f}   pytorch {torch:12,.0f}   ratio {recon / torch:5.2f}x")
for r in range(1, rounds + 1):
    t = json.load(open(f"{out}/torch{r}.json"))
    c = json.load(open(f"{out}/recon{r}.json"))
    tt = {(x["loader"], x["batch"]): x["samples_per_s"] for x in t["train"]}
    cc = {x["batch"]: x for x in c["results"]}
    print(f"round {r}: PyTorch {t['torch']}, {t['threads']} threads; recon {cc[256]['backend']}")
    row("training, batch 256 vs DataLoader", cc[256]["train_samples_per_s"], tt[("dataloader", 256)])
    row("training, batch 256 vs index batching", cc[256]["train_samples_per_s"], tt[("index", 256)])
    row("training, batch 4096 vs index batching", cc[4096]["train_samples_per_s"], tt[("index", 4096)])
    row("scoring (samples/s)", cc[4096]["score_samples_per_s"], t["score_samples_per_s"])
    before, after = (float(v) for v in open(f"{out}/peak{r}.txt").read().split())
    near = max(before, after)  # the higher of the two: the smaller fraction
    print(f"  peak beside this round's recon run: {before:.0f} GFLOP/s before, {after:.0f} after")
    if abs(before - after) > 0.15 * near:
        print("  (the host's load changed during this round: its figures do not compare with the others)")
    for b in (256, 4096):
        g = cc[b]["train_samples_per_s"] * FLOPS / 1e9
        best = cc[b]["train_samples_per_s_best"] * FLOPS / 1e9
        print(f"  recon training, batch {b:4d}: {g:6.1f} GFLOP/s = {100 * g / peak:4.1f} % of the {peak:.0f} GFLOP/s peak,"
              f" {100 * g / near:4.1f} % of the {near:.0f} beside it"
              f" (median epoch; best epoch {best:.1f} = {100 * best / peak:4.1f} %)")
    print(f"  csv parsing: {c.get('csv_mb_per_s', float('nan')):.0f} MB/s")
PY
