#!/usr/bin/env bash
# Packs the device check kit into bench/gpu/kit/ (ignored by git), on a machine without a GPU:
# everything bench/gpu/check.sh needs on a GPU machine that has no Java, no Maven and no network.
#   jre.tar.xz        a jlinked Java runtime with the modules Recon needs (unpacked by check.sh)
#   lib/recon.jar     the Recon jar (JCuda, its natives and the CUDA 13 compatibility layer inside)
#   lib/junit-platform-console-standalone-*.jar, tests/*.jar   the CUDA contract tests and their runner
#   data/creditcard-sample.csv.gz   every fraud of the real subset and a third of its normals
#   MANIFEST.sha256   a checksum of every file, which check.sh verifies first
# The kit and the tracked files together must stay under 62 MiB (the device tool carries 64 MiB).
# Usage: bench/gpu/pack.sh   (JAVA_HOME picks the JDK whose jlink builds the runtime)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KIT="$ROOT/bench/gpu/kit"
DATA="${RECON_CREDITCARD:-$ROOT/../shared/data/creditcard/creditcard.csv.gz}"
LIMIT=$((62 * 1024 * 1024))
JDK="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
JUNIT_CONSOLE=1.11.4

[ -f "$DATA" ] || { echo "pack.sh: the credit-card data is missing: $DATA" >&2; exit 1; }
cd "$ROOT"
echo "pack.sh: building the jar and the test classes"
if ! mvn -q -B -ntp -Dstyle.color=never -DskipTests -Drecon.native.skip=true package -pl java/cli -am \
    > "${TMPDIR:-/tmp}/recon-pack-mvn.log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "${TMPDIR:-/tmp}/recon-pack-mvn.log" >&2
  echo "pack.sh: the build failed" >&2
  exit 1
fi
# a CUDA-13-only GPU machine needs the compatibility layer (the build leaves it out without gcc)
entries="$("$JDK/bin/jar" tf java/cli/target/recon.jar)"
for lib in libcublas.so.12 libnvrtc.so.12; do
  grep -qx "native/linux-x86_64/$lib" <<< "$entries" \
      || { echo "pack.sh: the jar lacks native/linux-x86_64/$lib (was gcc missing?)" >&2; exit 1; }
done

rm -rf "$KIT"
mkdir -p "$KIT/lib" "$KIT/tests" "$KIT/data"
cp java/cli/target/recon.jar "$KIT/lib/"
"$JDK/bin/jar" --create --file "$KIT/tests/recon-core-tests.jar" -C java/core/target/test-classes .
"$JDK/bin/jar" --create --file "$KIT/tests/recon-cuda-tests.jar" -C java/cuda/target/test-classes .
mvn -q -B -ntp dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$JUNIT_CONSOLE" \
    -DoutputDirectory="$KIT/lib" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' || true
[ -f "$KIT/lib/junit-platform-console-standalone-$JUNIT_CONSOLE.jar" ] \
    || { echo "pack.sh: could not fetch the JUnit console launcher" >&2; exit 1; }

echo "pack.sh: jlink (modules from jdeps, plus what JCuda and the test runner use)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
MODULES="$("$JDK/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$KIT/lib/recon.jar" 2>/dev/null | tail -1)"
MODULES="$MODULES,java.logging,java.management,jdk.unsupported,jdk.incubator.vector"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$TMP/jre" 2>&1 | grep -v '^WARNING: Using incubator' || true
# the JVM library is shipped with its symbol table: 4 MB the kit can do without
strip --strip-unneeded "$TMP/jre/lib/server/libjvm.so" 2>/dev/null || true
"$TMP/jre/bin/java" -version > /dev/null 2>&1 || { echo "pack.sh: the jlinked runtime does not start" >&2; exit 1; }
echo "$MODULES" > "$TMP/jre/MODULES"
(cd "$TMP" && tar cf - jre | xz -T0 -6 > "$KIT/jre.tar.xz")

echo "pack.sh: the data sample"
# the header, every fraud (Class 1) and every third normal row, in file order
zcat "$DATA" | awk -F, 'NR == 1 { print; next } { c = $NF; gsub(/"/, "", c); n++ } c == "1" || n % 3 == 0' \
    | gzip -9 > "$KIT/data/creditcard-sample.csv.gz"

(cd "$KIT" && find . -type f ! -name MANIFEST.sha256 -printf '%P\n' | sort | xargs sha256sum > MANIFEST.sha256)

kit_bytes="$(du -sb "$KIT" | cut -f1)"
tracked_bytes="$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)"
total=$((kit_bytes + tracked_bytes))
awk -v k="$kit_bytes" -v t="$tracked_bytes" \
    'BEGIN { printf "pack.sh: kit %.1f MiB + tracked files %.1f MiB = %.1f MiB (limit 62 MiB)\n", k / 1048576, t / 1048576, (k + t) / 1048576 }'
if [ "$total" -gt "$LIMIT" ]; then
  echo "pack.sh: the kit is too large to carry" >&2
  exit 1
fi
echo "pack.sh: done: $KIT"
