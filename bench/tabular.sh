#!/usr/bin/env bash
# Accuracy of the default detector on every labelled CSV in a folder, beside the peers in its
# peers.json: `recon bench --suite`, averaged over seeds 1, 2 and 3, with the JSON kept in
# bench/results/. Usage: bench/tabular.sh [DIR] [more recon bench options, e.g. --detector ae]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$ROOT/../shared/data/adbench}"
shift || true
mkdir -p "$ROOT/bench/results"
exec "$ROOT/recon" bench --suite "$DIR" --seeds 1,2,3 --out "$ROOT/bench/results/tabular-$(basename "$DIR").json" "$@"
