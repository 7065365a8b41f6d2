#!/usr/bin/env bash
# Accuracy over seeds: trains with default settings once per seed and prints the mean and
# standard deviation of the test-split metrics. Usage: bench/seeds.sh [DATA] [SEEDS...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${1:-$ROOT/../shared/data/creditcard/creditcard.csv.gz}"
shift || true
SEEDS=("$@")
[ ${#SEEDS[@]} -gt 0 ] || SEEDS=(1 2 3 4 5)
OUT="$(mktemp -d)"
for s in "${SEEDS[@]}"; do
  "$ROOT/recon" train --data "$DATA" --seed "$s" --out "$OUT/seed$s" --json --quiet >> "$OUT/runs.jsonl"
done
python3 - "$OUT/runs.jsonl" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
print(f"{len(runs)} runs on {runs[0]['data']['source']}")
for k in ["roc_auc", "pr_auc", "best_f1", "f1", "precision", "recall", "recall_at_fpr_0.001", "train_samples_per_s"]:
    v = [r[k] for r in runs]
    sd = statistics.stdev(v) if len(v) > 1 else 0.0
    print(f"{k:22s} mean {statistics.mean(v):.4f}  sd {sd:.4f}  per seed {', '.join(f'{x:.4f}' for x in v)}")
PY
rm -rf "$OUT"
