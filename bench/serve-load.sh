#!/usr/bin/env bash
# Load test of `recon serve` on loopback with wrk (Debian: apt-get install wrk): single-row
# requests flat out and paced at 5,000/s (micro-batching on and off), 1,000-row batches as CSV
# and as JSON, and single rows while the model is reloaded twice a second. Server and wrk share
# the machine. Results: a table on stdout and bench/results/serve-load-<model kind>.json.
#
# Usage: bench/serve-load.sh [--model BUNDLE | --train-ae] [--data CSV] [--duration S] [--soak S] [--out FILE]
#   --model B    the bundle to serve (default: the committed default-detector model)
#   --train-ae   first train the reference's plain autoencoder (--detector ae) on --data, and serve it
#   --soak S     also run S seconds at about 5,000 requests/s and compare the heap after a full GC
#                at its start and end (the issue's memory check: --soak 600)
#   --soak-only S  only that run (after the warm-up)
# `health` (GET /v1/health, no model work) is the server's own ceiling on the same machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$ROOT/models/creditcard-subset/model.recon"
DATA="$ROOT/../shared/data/creditcard/creditcard.csv.gz"
DURATION=60
SOAK=0
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --train-ae) TRAIN_AE=1; shift ;;
    --data) DATA="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --soak) SOAK="$2"; shift 2 ;;
    --soak-only) SOAK="$2"; SOAK_ONLY=1; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "serve-load.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "serve-load.sh: wrk is needed (Debian: apt-get install wrk)" >&2; exit 2; }
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() { [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
python3 "$ROOT/bench/serve/bodies.py" "$DATA" "$WORK"
JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"; export JAVA_OPTS
"$ROOT/recon" --version >/dev/null # builds the jar if needed, outside the timing
if [ -n "${TRAIN_AE:-}" ]; then
  "$ROOT/recon" train --data "$DATA" --detector ae --out "$WORK/ae" --quiet >/dev/null
  MODEL="$WORK/ae/model.recon"
fi

start_server() { # $1: micro-batch on|off
  : > "$WORK/server.log"
  # shellcheck disable=SC2086
  "$ROOT/recon" serve --model "$MODEL" --port 0 --micro-batch "$1" ${SERVE_OPTS:-} 2> "$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    URL="$(grep -o 'http://[0-9.:]*' "$WORK/server.log" | head -1 || true)"
    if [ -n "$URL" ] && curl -sf "$URL/v1/ready" >/dev/null; then
      KIND="$(curl -s "$URL/v1/model" | python3 -c 'import json,sys; print(json.load(sys.stdin)["detector"]["kind"])')"
      return 0
    fi
    sleep 0.1
  done
  echo "serve-load.sh: the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1
}
stop_server() {
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
}

RESULTS="$WORK/results.jsonl"
# paced runs: 55 connections, each waiting 10 ms after every answer: about 5,000 requests/s
PACED_CONNS=55
PACED_WAIT=10
run() { # name body content-type connections wait-ms seconds [batch rows]
  local name="$1" body="$2" ct="$3" conns="$4" wait="$5" secs="$6" rows="${7:-1}"
  local line
  local target="$URL/v1/score"
  [ "$body" != - ] || target="$URL/v1/health"
  local file=""
  [ "$body" = - ] || file="$WORK/$body"
  line="$(BODY="$file" CT="$ct" WAIT="$wait" \
      wrk -t1 -c"$conns" -d"${secs}s" -s "$ROOT/bench/serve/post.lua" "$target" | grep '^RESULT ' | cut -c8-)"
  printf '{"name": "%s", "micro_batch": "%s", "connections": %d, "wait_ms": %d, "rows_per_request": %d, "wrk": %s}\n' \
      "$name" "$MB" "$conns" "$wait" "$rows" "$line" >> "$RESULTS"
  echo "$name (micro-batch $MB): $line" >&2
}

for MB in on off; do
  [ "$MB" = on ] || [ -z "${SOAK_ONLY:-}" ] || break
  start_server "$MB"
  run warmup one.json application/json 16 0 10
  if [ -z "${SOAK_ONLY:-}" ]; then
    run single-row one.json application/json 16 0 "$DURATION"
    [ "$MB" = off ] || run health - - 16 0 "$DURATION"
    run single-row-5k one.json application/json "$PACED_CONNS" "$PACED_WAIT" "$DURATION"
    if [ "$MB" = on ]; then
      run csv-1000 batch.csv text/csv 4 0 "$DURATION" 1000
      run json-1000 batch.json application/json 4 0 "$DURATION" 1000
      # reloads twice a second while single rows arrive: every request must still succeed
      ( end=$((SECONDS + DURATION)); ok=0; bad=0
        while [ $SECONDS -lt $end ]; do
          if curl -sf -XPOST "$URL/v1/reload" >/dev/null; then ok=$((ok+1)); else bad=$((bad+1)); fi
          sleep 0.5
        done
        echo "$ok $bad" > "$WORK/reloads" ) &
      RELOADER=$!
      run single-row-during-reloads one.json application/json 16 0 "$DURATION"
      wait "$RELOADER"
      read -r RELOAD_OK RELOAD_BAD < "$WORK/reloads"
      echo "reloads: $RELOAD_OK ok, $RELOAD_BAD failed" >&2
    fi
  fi
  if [ "$MB" = on ]; then
    if [ "$SOAK" -gt 0 ]; then
      pid="$(pgrep -f -n 'recon.jar serve')"
      heap() { jcmd "$pid" GC.run >/dev/null; jcmd "$pid" GC.heap_info | grep -o 'used [0-9]*K' | head -1 | grep -o '[0-9]*'; }
      HEAP_START="$(heap)"
      run soak-5k one.json application/json "$PACED_CONNS" "$PACED_WAIT" "$SOAK"
      HEAP_END="$(heap)"
      echo "heap after GC: ${HEAP_START} KB at the start, ${HEAP_END} KB after ${SOAK} s" >&2
    fi
  fi
  stop_server
done

python3 - "$RESULTS" "$MODEL" "${RELOAD_OK:-0}" "${RELOAD_BAD:-0}" "${HEAP_START:-}" "${HEAP_END:-}" "${SOAK}" "${OUT}" "$ROOT" "$KIND" <<'PY'
import json, os, platform, sys, time
res, model, rok, rbad, h0, h1, soak, out, root, kind = sys.argv[1:]
runs = [json.loads(l) for l in open(res) if '"warmup"' not in l]
doc = {"date": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} cores, {platform.machine()}",
       "model": model, "detector": kind, "runs": runs}
if int(rok) + int(rbad) > 0:
    doc["reloads"] = {"ok": int(rok), "failed": int(rbad)}
if h0:
    doc["soak"] = {"seconds": int(soak), "heap_after_gc_kb": [int(h0), int(h1)]}
print(f"{'run':28} {'batch':>5} {'req/s':>9} {'rows/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
for r in runs:
    w = r["wrk"]; err = sum(w["errors"].values())
    print(f"{r['name'] + ' (mb ' + r['micro_batch'] + ')':28} {r['rows_per_request']:>5} {w['rps']:>9.0f} "
          f"{w['rps'] * r['rows_per_request']:>10.0f} {w['latency_ms']['p50']:>7.3f} {w['latency_ms']['p99']:>7.3f} {err:>6}")
if "reloads" in doc:
    print(f"reloads during load: {rok} ok, {rbad} failed")
if h0:
    print(f"heap after GC: {h0} KB -> {h1} KB over {soak} s ({(int(h1) - int(h0)) / int(h0) * 100:+.1f} %)")
out = out or f"{root}/bench/results/serve-load-{kind}.json"
json.dump(doc, open(out, "w"), indent=1)
print("wrote", out)
PY
