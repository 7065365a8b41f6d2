#!/usr/bin/env bash
# Shows the machine code HotSpot's C2 compiler made of a CPU kernel, to confirm it runs on FMA
# vector instructions: runs `recon bench` with the method's code printed (hex; no hsdis plugin
# needed), takes the last C2 compilation and disassembles it with objdump (binutils).
# Usage: bench/kernel-asm.sh [METHOD (block8x2)]   e.g. block4x2, block6x4Dense, panel
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
METHOD="${1:-block8x2}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$ROOT/recon" info >/dev/null # builds the jar if needed
java --add-modules jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=quiet \
  "-XX:CompileCommand=print,dev.recon.backend.cpu.VectorKernels::$METHOD" \
  -jar "$ROOT/java/cli/target/recon.jar" bench --batch 4096 --epochs 1 --warmup 2 --csv-mb 0 > "$OUT/print.txt" 2>&1
python3 - "$OUT/print.txt" "$OUT/code.bin" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
starts = [m.start() for m in re.finditer(r"Compiled method \(c2\)", text)]
if not starts:
    sys.exit("kernel-asm.sh: no C2 compilation of the method was printed")
part = text[starts[-1]:]
print(part.splitlines()[0])
code = part[part.index("[MachCode]"):part.index("[/MachCode]")]
out = bytearray()
for line in code.splitlines():
    m = re.match(r"\s*0x[0-9a-f]+: ([0-9a-f |]+)$", line)
    if m:
        for word in m.group(1).replace("|", " ").split():
            out += bytes.fromhex(word)
open(sys.argv[2], "wb").write(out)
PY
objdump -D -b binary -m i386:x86-64 "$OUT/code.bin" > "$OUT/code.s"
echo "instructions: $(grep -c $'\t' "$OUT/code.s"); FMA instructions by kind:"
grep -o 'vfmadd[0-9a-z]* *%[xyz]mm' "$OUT/code.s" | sed 's/ *%/ /' | sort | uniq -c
echo "the first FMA loop, from its first load to its back branch:"
awk '/vfmadd/ && !f {f=NR} {line[NR]=$0} END {
  s=f; for (i=f; i>1 && i>f-16; i--) if (line[i] ~ /vmovdqu|vmovups/) s=i;
  for (i=s; i<=NR; i++) { print line[i]; if (line[i] ~ /\tj[a-z]+ / && line[i] ~ /jl|jb|jne/ && i>f) break } }' "$OUT/code.s" \
  | cut -f3 | grep -v '^$'
