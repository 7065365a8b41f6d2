#!/usr/bin/env bash
# Recon on Spark, measured (BENCHMARKS.md "Spark"): scoring a 1,000,000-row Parquet file on
# local[1], local[2] and a loopback standalone cluster of two one-core workers, beside
# single-machine `recon score` on the same rows as CSV; data-parallel training on the credit-card
# subset on 1, 2 and 4 partitions beside one machine; and training wall time on 2,000,000 rows
# with one executor thread against two. Results: bench/results/spark-*.json.
#
#   bench/spark/bench.sh [score|train|scale ...]   (default: all three)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
CC="${CC_DATA:-$ROOT/../shared/data/creditcard/creditcard.csv.gz}"
WORK="${WORK:-/tmp/recon-spark-bench}"
OUT="$ROOT/bench/results"
mkdir -p "$WORK" "$OUT"
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(score train scale)

mvn -q -B -ntp -DskipTests -Drecon.native.skip=true package -pl java/spark,java/cli -am >/dev/null
jar="$ROOT/java/spark/target/recon-spark.jar"
opts=$(sed -n '/<spark.jvm.options>/,/<\/spark.jvm.options>/p' java/spark/pom.xml | sed -e 's/<[^>]*>//g' | tr '\n' ' ')
bench() {
  # shellcheck disable=SC2086
  java $opts -Xmx6g -cp "$jar:$ROOT/java/spark/target/spark-home/jars/*" dev.recon.spark.SparkBench "$@" \
      2> >(grep -v 'WARNING: Using incubator modules\| INFO \| WARN ' >&2)
}
for step in "${steps[@]}"; do
  case "$step" in
    score)
      for model in models/creditcard-subset "$WORK/ae"; do
        if [ "$model" = "$WORK/ae" ] && [ ! -f "$WORK/ae/model.recon" ]; then
          ./recon train --data "$CC" --detector ae --out "$WORK/ae" --quiet > /dev/null
        fi
        name=$( [ "$model" = models/creditcard-subset ] && echo ae-knn || echo ae )
        bench score "$model" "$CC" 1000000 "$WORK" "$ROOT/java/spark/target/spark-home" "$opts" > "$WORK/score-$name.json"
        csv=$(ls "$WORK"/rows-1000000-csv/part-*.csv)
        best=""
        for i in 1 2; do
          t0=$(date +%s.%N)
          ./recon score --model "$model" --data "$csv" --out "$WORK/single.csv" --quiet > /dev/null
          t=$(echo "$(date +%s.%N) - $t0" | bc)
          if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
          rm -f "$WORK/single.csv"
        done
        python3 - "$WORK/score-$name.json" "$best" "$OUT/spark-score-$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["recon score (single machine, CSV to CSV, whole process)"] = {"rows_per_s": r["rows"] / float(sys.argv[2])}
json.dump(r, open(sys.argv[3], "w"), indent=2)
print(json.dumps(r, indent=2))
PY
      done
      ;;
    train) bench train "$CC" Class "${SEEDS:-3}" | tee "$OUT/spark-train-creditcard.json" ;;
    scale) bench scale "$CC" 2000000 "${EPOCHS:-2}" "$WORK" "$ROOT/java/spark/target/spark-home" "$opts" \
             | tee "$OUT/spark-train-scale.json" ;;
    *) echo "bench/spark/bench.sh: unknown step $step (score, train, scale)" >&2; exit 2 ;;
  esac
done
