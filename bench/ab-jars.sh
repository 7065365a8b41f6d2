#!/usr/bin/env bash
# Two builds of Recon measured against each other in one JVM, passes alternating
# (dev.recon.cli.AbBench): how a change to the CPU backend is measured on a machine whose speed
# drifts. Build each version's jar with `mvn -B -DskipTests package` and copy
# java/cli/target/recon.jar aside; both must come from a build that has AbBench.
# Usage: bench/ab-jars.sh A.jar B.jar [BATCH (4096)] [PAIRS (16)] [THREADS (all cores)] [ROWS (227000)]
# AB_PASS=score compares scoring passes instead of training epochs.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bench/ab-jars.sh A.jar B.jar [BATCH] [PAIRS] [THREADS] [ROWS]" >&2; exit 2; }
A="$(realpath "$1")"; B="$(realpath "$2")"
java --add-modules jdk.incubator.vector -cp "$B" dev.recon.cli.AbBench "$A" "$B" "${AB_PASS:-epoch}" \
  "${3:-4096}" "${4:-16}" "${5:-$(nproc)}" "${6:-227000}" 2> >(grep -v 'incubator modules' >&2)
