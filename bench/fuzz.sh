#!/usr/bin/env bash
# Long fuzzing runs (Jazzer, coverage-guided) of the CSV reader with its label inference and of the
# bundle loader, 10 minutes per target (ParsersLongFuzz). Findings (crash-* inputs) are copied into
# ParsersFuzzTest's inputs, which every build replays as regression tests; a finding also fails
# the run. Usage: bench/fuzz.sh [TARGET...]   (csvReaderAndLabelInference bundleLoader
# sealedBundleLoader; default: all three, one after another)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csvReaderAndLabelInference bundleLoader sealedBundleLoader)
INPUTS=java/core/src/test/resources/dev/recon/fuzz
mvn -B -q -ntp -DskipTests install -pl java/core -am > /dev/null || { echo "fuzz.sh: the build failed" >&2; exit 1; }
status=0
for t in "${targets[@]}"; do
  log="java/core/target/fuzz-$t.log"
  # start from the stored seeds and findings (a valid bundle, CSV files), not from nothing
  mkdir -p "$INPUTS/ParsersLongFuzzInputs/$t"
  cp "$INPUTS/ParsersFuzzTestInputs/$t"/* "$INPUTS/ParsersLongFuzzInputs/$t/" 2>/dev/null || true
  echo "fuzz.sh: $t for 10 minutes (log: $log)"
  JAZZER_FUZZ=1 mvn -B -ntp -o surefire:test -pl java/core -Dtest="ParsersLongFuzz#$t" \
      -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1 || status=1
  grep -a "Done [0-9]* runs" "$log" | tail -1 | sed "s/^/fuzz.sh: $t: /"
  mkdir -p "$INPUTS/ParsersFuzzTestInputs/$t"
  for f in "$INPUTS/ParsersLongFuzzInputs/$t"/crash-*; do
    [ -f "$f" ] && cp "$f" "$INPUTS/ParsersFuzzTestInputs/$t/" && echo "fuzz.sh: $t: finding $(basename "$f") kept as a regression input"
  done
  rm -rf "$INPUTS/ParsersLongFuzzInputs"
done
exit $status
