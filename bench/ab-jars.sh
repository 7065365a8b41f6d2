#!/usr/bin/env bash
# Two builds of Recon measured against each other in one JVM, epochs alternating (see
# bench/ab/AbTrain.java): how a change to the CPU backend was measured on a machine whose speed
# drifts. Build each version's jar with `mvn -B -DskipTests package` and copy
# java/cli/target/recon.jar aside.
# Usage: bench/ab-jars.sh A.jar B.jar [BATCH (4096)] [PAIRS (16)] [THREADS (all cores)]
# AB_DRIVER=ScoreDriver compares scoring passes (bench/ab/ScoreDriver.java) instead of epochs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 2 ] || { echo "usage: bench/ab-jars.sh A.jar B.jar [BATCH] [PAIRS] [THREADS]" >&2; exit 2; }
A="$(realpath "$1")"; B="$(realpath "$2")"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
VEC=(--add-modules jdk.incubator.vector)
for v in A B; do
  jar="$A"; [ "$v" = B ] && jar="$B"
  if ! javac -nowarn "${VEC[@]}" -cp "$jar" -d "$OUT/$v" "$ROOT/bench/ab/EpochDriver.java" \
      "$ROOT/bench/ab/ScoreDriver.java" 2> "$OUT/javac.txt"; then
    cat "$OUT/javac.txt" >&2
    exit 1
  fi
done
javac -d "$OUT/runner" "$ROOT/bench/ab/AbTrain.java"
java "${VEC[@]}" -Dab.driver="${AB_DRIVER:-EpochDriver}" -cp "$OUT/runner" AbTrain "$A" "$OUT/A/" "$B" "$OUT/B/" "${3:-4096}" "${4:-16}" "${5:-$(nproc)}" \
  2> >(grep -v 'incubator modules' >&2)
