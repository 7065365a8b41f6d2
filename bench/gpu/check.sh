#!/usr/bin/env bash
# The device check: run from the repository root on a GPU machine, with bench/gpu/kit/ (made
# by bench/gpu/pack.sh) carried along. Needs no Java, Maven or network there: the kit brings its
# own runtime. Each step is time-boxed; a failing step is recorded and the next one runs.
# $OUT/gpu-check.json is rewritten after every step, $OUT/gpu-check.log has the details.
#
#   bench/gpu/check.sh            the full check (about 4 minutes)
#   bench/gpu/check.sh --quick    fewer rows, epochs and batch sizes (about 2 minutes)
#   bench/gpu/check.sh --dry-run  on a machine without a GPU, from the kit alone: checks the
#                                 kit, trains briefly on the CPU with the kit's runtime, writes
#                                 the JSON with the GPU fields null; exits non-zero on failure
#
# Steps: kit integrity; GPU, driver and CUDA libraries (nvidia-smi, recon info); the CUDA
# contract tests on the device (-Drecon.requireGpu=true); the default model trained on the CPU
# and on the GPU from one seed; recon bench on the GPU (batch 256, 4096, 65,536; scoring from
# host memory and device-resident) and on the CPU (batch 256, all cores); PyTorch eager and
# torch.compile on the same GPU (bench/torch_train.py).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KIT="$ROOT/bench/gpu/kit"
OUT="${OUT:-$ROOT/bench/gpu/out}"
QUICK=0
DRY=0
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1 ;;
    --dry-run) DRY=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "check.sh: unknown option $a (--quick, --dry-run)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
LOG="$OUT/gpu-check.log"
JSON="$OUT/gpu-check.json"
: > "$LOG"
START=$(date +%s)
BUDGET=$((QUICK ? 110 : 230))
((DRY)) && BUDGET=170
FAILED=0

log() { printf '%s %s\n' "$(date +%T)" "$*" | tee -a "$LOG" >&2; }
# a JSON string, or null for an empty value
jstr() {
  if [ -z "${1:-}" ]; then printf 'null'; return; fi
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr '\n\t\r' '   ' | tr -d '\000-\037')"
}
# the first number for KEY in compact JSON on stdin, or null
jnum() { local v; v="$(grep -o "\"$1\":-\?[0-9][0-9.eE+-]*" | head -1 | cut -d: -f2)"; printf '%s' "${v:-null}"; }
# seconds left for a step: its own limit, or what is left of the whole budget
left() { local rem=$((BUDGET - ($(date +%s) - START))); ((rem < 5)) && rem=5; ((rem < $1)) && echo "$rem" || echo "$1"; }

J_mode=$(jstr "$( ((DRY)) && echo dry-run || { ((QUICK)) && echo quick || echo full; })")
J_gpu=null J_driver=null J_cuda_libraries=null J_path=null J_contract=null J_cpu_vs_gpu=null
J_train=null J_score=null J_torch=null J_launches=null J_kit=null J_steps='[]'
write_json() {
  cat > "$JSON.tmp" <<EOF
{"mode":$J_mode,"date":$(jstr "$(date -u +%Y-%m-%dT%H:%M:%SZ)"),"kit":$J_kit,"gpu":$J_gpu,"driver":$J_driver,"cuda_libraries":$J_cuda_libraries,"path":$J_path,"contract":$J_contract,"cpu_vs_gpu":$J_cpu_vs_gpu,"train_samples_per_s":$J_train,"score_rows_per_s":$J_score,"torch":$J_torch,"launches_per_step":$J_launches,"steps":$J_steps}
EOF
  mv "$JSON.tmp" "$JSON"
}
step_done() { # NAME STATUS SECONDS
  local entry
  entry="{\"step\":$(jstr "$1"),\"status\":$(jstr "$2"),\"seconds\":$3}"
  if [ "$J_steps" = '[]' ]; then J_steps="[$entry]"; else J_steps="${J_steps%]},$entry]"; fi
  [ "$2" = ok ] || [ "$2" = skipped ] || FAILED=1
  log "step $1: $2 (${3}s)"
  write_json
}
run_step() { # NAME LIMIT COMMAND...: runs with a time limit, output to $OUT/NAME.out
  local name="$1" limit t0 rc
  limit="$(left "$2")"
  shift 2
  t0=$(date +%s)
  log "step $name: $* (limit ${limit}s)"
  timeout --kill-after=5 "$limit" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"
  rc=$?
  cat "$OUT/$name.err" >> "$LOG"
  STEP_SECONDS=$(($(date +%s) - t0))
  if ((rc == 124 || rc == 137)); then STEP_STATUS="timed out after ${limit}s"
  elif ((rc != 0)); then STEP_STATUS="failed (exit $rc): $(tail -1 "$OUT/$name.err")"
  else STEP_STATUS=ok; fi
  return $rc
}
write_json

# 1. the kit: checksums, then the runtime unpacked next to it (once per kit)
t0=$(date +%s)
if [ ! -f "$KIT/MANIFEST.sha256" ]; then
  J_kit='"missing: run bench/gpu/pack.sh first"'
  step_done kit "missing $KIT/MANIFEST.sha256" 0
  exit 1
fi
if ! (cd "$KIT" && sha256sum --quiet -c MANIFEST.sha256) >> "$LOG" 2>&1; then
  J_kit='"corrupt"'
  step_done kit "checksum mismatch (see the log)" $(($(date +%s) - t0))
  exit 1
fi
stamp="$(sha256sum "$KIT/jre.tar.xz" | cut -c1-16)"
if [ "$(cat "$KIT/jre/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$KIT/jre" "$KIT/jre.new"
  mkdir -p "$KIT/jre.new"
  if command -v xz > /dev/null; then
    xz -dc "$KIT/jre.tar.xz" | tar xf - -C "$KIT/jre.new"
  else
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$KIT/jre.tar.xz" "$KIT/jre.new"
  fi
  mv "$KIT/jre.new/jre" "$KIT/jre" && rm -rf "$KIT/jre.new" && echo "$stamp" > "$KIT/jre/.stamp"
fi
JAVA="$KIT/jre/bin/java"
if ! "$JAVA" -version >> "$LOG" 2>&1; then
  J_kit='"runtime does not start"'
  step_done kit "the kit's Java runtime does not start" $(($(date +%s) - t0))
  exit 1
fi
J_kit="$(jstr "ok, $(sed -n 1p "$KIT/jre/MODULES" | tr ',' ' ' | wc -w) modules, runtime $("$JAVA" -version 2>&1 | sed -n 1p)")"
step_done kit ok $(($(date +%s) - t0))

# the Python environment's NVIDIA wheels, if any, as a place to find the CUDA libraries
if command -v python3 > /dev/null; then
  wheels="$(python3 - 2>/dev/null <<'EOF'
import os, site
dirs = []
for base in site.getsitepackages() + [site.getusersitepackages()]:
    for sub in ("nvidia/cu13/lib", "nvidia/cublas/lib", "nvidia/cuda_nvrtc/lib"):
        p = os.path.join(base, sub)
        if os.path.isdir(p):
            dirs.append(p)
print(":".join(dirs))
EOF
)"
  [ -n "$wheels" ] && export RECON_CUDA_LIBS="${RECON_CUDA_LIBS:+$RECON_CUDA_LIBS:}$wheels" && log "CUDA wheels: $wheels"
fi
RECON=("$JAVA" --add-modules jdk.incubator.vector -Drecon.home="$ROOT" -jar "$KIT/lib/recon.jar")
SAMPLE="$KIT/data/creditcard-sample.csv.gz"

# 2. GPU, driver, CUDA libraries
t0=$(date +%s)
if ((DRY)); then
  step_done gpu skipped 0
else
  if command -v nvidia-smi > /dev/null; then
    q="$(timeout 20 nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv,noheader 2>> "$LOG" | head -1)"
    J_gpu="$(jstr "$(echo "$q" | cut -d, -f1,3,4 | sed 's/^ *//')")"
    J_driver="$(jstr "$(echo "$q" | cut -d, -f2 | tr -d ' ')")"
  fi
  run_step info 60 "${RECON[@]}" info --json
  # the cuda entry of recon info's JSON, and from it how cuBLAS and NVRTC were reached
  cuda="$(python3 -c 'import json, sys
b = [x for x in json.load(sys.stdin)["backends"] if x["name"] == "cuda"]
print(json.dumps(b[0]) if b else "null")' < "$OUT/info.out" 2>> "$LOG")"
  J_cuda_libraries="${cuda:-null}"
  J_path="$(jstr "$(python3 -c 'import json, sys
c = json.load(sys.stdin) or {}
print("; ".join([d for d in c.get("details", []) if d.startswith(("cuBLAS:", "NVRTC:"))] + ([c["reason"]] if "reason" in c else [])))' \
      <<< "$J_cuda_libraries" 2>> "$LOG")")"
  step_done gpu "$STEP_STATUS" $(($(date +%s) - t0))
fi

# 3. the CUDA contract suite on the device
CP="$KIT/lib/recon.jar:$KIT/tests/recon-core-tests.jar:$KIT/tests/recon-cuda-tests.jar"
REQUIRE=$((DRY ? 0 : 1))
run_step contract 100 "$JAVA" --add-modules jdk.incubator.vector -Drecon.requireGpu=$([ $REQUIRE = 1 ] && echo true || echo false) \
    -jar "$KIT/lib/junit-platform-console-standalone-"*.jar execute --disable-banner --details=summary \
    --class-path "$CP" --select-class dev.recon.backend.cuda.GpuCudaBackendTest \
    --select-method 'dev.recon.backend.cuda.NetworkKernelsTest#onTheGpuTheFusedKernelsEqualTheLayerByLayerReference(dev.recon.model.AutoencoderSpec,int,int,int)'
summary="$(cat "$OUT/contract.out")"
cnt() { local v; v="$(printf '%s' "$summary" | grep -o "[0-9]* tests $1" | head -1 | cut -d' ' -f1)"; printf '%s' "${v:-null}"; }
J_contract="{\"passed\":$(cnt successful),\"failed\":$(cnt failed),\"aborted\":$(cnt aborted)}"
if ((DRY)); then
  # no device: every test is aborted by its assumption and none fails, which shows that the
  # kit's test jars load and run
  if [ "$(cnt failed)" = 0 ] && [ "$(cnt aborted)" = "$(cnt found)" ] && [ "$(cnt found)" != null ] \
      && [ "$(cnt found)" -gt 0 ]; then
    STEP_STATUS=ok
  else
    STEP_STATUS="the contract tests did not all skip: $(cnt found) found, $(cnt aborted) aborted, $(cnt failed) failed"
  fi
  J_contract=null
fi
step_done contract "$STEP_STATUS" "$STEP_SECONDS"

# 4. the default model, CPU and GPU from the same seed
EPOCHS=$((DRY ? 2 : (QUICK ? 5 : 15)))
train() { # DEVICE
  run_step "train-$1" 80 "${RECON[@]}" train --data "$SAMPLE" --device "$1" --seed 42 --epochs "$EPOCHS" \
      --baseline none --json --quiet --out "$OUT/train-$1"
}
train cpu
cpu_json="$(cat "$OUT/train-cpu.out")"
cpu_status="$STEP_STATUS"
cpu_secs="$STEP_SECONDS"
gpu_secs=0
cpu_loss1="$(printf '%s' "$cpu_json" | jnum train_loss)"
cpu_final="$(printf '%s' "$cpu_json" | grep -o '"train_loss":[0-9.eE+-]*' | tail -1 | cut -d: -f2)"
cpu_auc="$(printf '%s' "$cpu_json" | jnum roc_auc)"
gpu_loss1=null gpu_final="" gpu_auc=null rel=null
if ((DRY)); then
  gpu_status=skipped
else
  train cuda
  gpu_status="$STEP_STATUS"
  gpu_secs="$STEP_SECONDS"
  gpu_json="$(cat "$OUT/train-cuda.out")"
  gpu_loss1="$(printf '%s' "$gpu_json" | jnum train_loss)"
  gpu_final="$(printf '%s' "$gpu_json" | grep -o '"train_loss":[0-9.eE+-]*' | tail -1 | cut -d: -f2)"
  gpu_auc="$(printf '%s' "$gpu_json" | jnum roc_auc)"
  if [ "$cpu_loss1" != null ] && [ "$gpu_loss1" != null ]; then
    rel="$(awk -v a="$cpu_loss1" -v b="$gpu_loss1" 'BEGIN { d = a - b; if (d < 0) d = -d; printf "%.3g", d / a }')"
  fi
fi
J_cpu_vs_gpu="{\"epochs\":$EPOCHS,\"loss_rel_epoch1\":$rel,\"final_loss_cpu\":${cpu_final:-null},\"final_loss_gpu\":${gpu_final:-null},\"roc_auc_cpu\":$cpu_auc,\"roc_auc_gpu\":$gpu_auc}"
step_done train-cpu "$cpu_status" "$cpu_secs"
step_done train-cuda "$gpu_status" "$gpu_secs"
if ((DRY)); then
  [ "$cpu_auc" != null ] || { log "dry run: no ROC-AUC from the CPU training"; FAILED=1; }
  write_json
  log "dry run done: $JSON"
  exit $FAILED
fi

# 5. throughput: Recon on the GPU and on all CPU cores, then PyTorch on the same GPU
ROWS=$((QUICK ? 100000 : 227000))
BATCHES=$( ((QUICK)) && echo 256,4096 || echo 256,4096,65536)
run_step bench-cuda 90 "${RECON[@]}" bench --device cuda --rows "$ROWS" --batch "$BATCHES" --epochs 2 --warmup 2 \
    --csv-mb 0 --json
bench_gpu="$(cat "$OUT/bench-cuda.out")"
step_done bench-cuda "$STEP_STATUS" "$STEP_SECONDS"
run_step bench-cpu 60 "${RECON[@]}" bench --device cpu --rows "$ROWS" --batch 256 --epochs 2 --warmup 2 --csv-mb 0 --json
bench_cpu="$(cat "$OUT/bench-cpu.out")"
step_done bench-cpu "$STEP_STATUS" "$STEP_SECONDS"
per_batch() { # BENCH_JSON KEY: {"256": v, ...} from the results list
  printf '%s' "$1" | grep -o '{"device":[^{}]*}' | while read -r r; do
    printf '"%s":%s\n' "$(printf '%s' "$r" | jnum batch)" "$(printf '%s' "$r" | jnum "$2")"
  done | paste -sd, - | sed 's/^/{/; s/$/}/'
}
if [ -n "$bench_gpu$bench_cpu" ]; then
  J_train="{\"cuda\":$(per_batch "$bench_gpu" train_samples_per_s),\"cpu\":$(per_batch "$bench_cpu" train_samples_per_s),\"cpu_threads\":$(printf '%s' "$bench_cpu" | jnum threads)}"
  J_score="{\"device_resident\":$(per_batch "$bench_gpu" score_resident_samples_per_s),\"from_host\":$(per_batch "$bench_gpu" score_samples_per_s),\"cpu\":$(per_batch "$bench_cpu" score_samples_per_s)}"
  J_launches="$(per_batch "$bench_gpu" launches_per_step)"
  write_json
fi
if command -v python3 > /dev/null; then
  TB=$( ((QUICK)) && echo "256 4096" || echo "256 4096 65536")
  # shellcheck disable=SC2086
  run_step torch 100 python3 "$ROOT/bench/torch_train.py" --device cuda --compile --rows "$ROWS" --epochs 2 \
      --loader index --batch $TB
  torch_json="$(cat "$OUT/torch.out")"
  if [ -n "$torch_json" ]; then
    J_torch="$(python3 -c 'import json, sys
d = json.loads(sys.stdin.read())
per = lambda rows: {str(r["batch"]): r["samples_per_s"] for r in rows or []}
print(json.dumps({"device": d.get("device"), "eager": per(d.get("train")), "compile": per(d.get("train_compile")),
                  "compile_error": d.get("compile_error"), "score_resident": d.get("score_samples_per_s"),
                  "score_from_host": d.get("score_host_samples_per_s")}))' <<< "$torch_json" 2>> "$LOG" || echo null)"
  fi
  step_done torch "$STEP_STATUS" "$STEP_SECONDS"
else
  step_done torch "skipped: no python3" 0
fi
log "done in $(($(date +%s) - START))s: $JSON"
exit $FAILED
