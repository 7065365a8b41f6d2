#!/usr/bin/env bash
# Rewrites the *.symbols lists from JCuda's native libraries: every symbol libJCublas2 imports
# from libcublas.so.12 and libJNvrtc from libnvrtc.so.12. Run after changing the JCuda version
# (CompatSymbolsTest fails until then). Usage: native/compat/symbols.sh [JCUDA_VERSION]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
V="${1:-12.6.0}"
REPO="${MAVEN_REPO:-$HOME/.m2/repository}/org/jcuda"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && unzip -q -o "$REPO/jcublas-natives/$V/jcublas-natives-$V-linux-x86_64.jar" "lib/libJCublas2-*" \
   && unzip -q -o "$REPO/jcuda-natives/$V/jcuda-natives-$V-linux-x86_64.jar" "lib/libJNvrtc-*")
imports() { readelf --dyn-syms -W "$1" | awk '$7 == "UND" { print $8 }' | sed -n "s/@$2\$//p" | sort -u; }
imports "$TMP"/lib/libJCublas2-*.so 'libcublas\.so\.12' > "$HERE/libcublas.so.12.symbols"
imports "$TMP"/lib/libJNvrtc-*.so 'libnvrtc\.so\.12' > "$HERE/libnvrtc.so.12.symbols"
wc -l "$HERE"/*.symbols
