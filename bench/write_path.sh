#!/usr/bin/env bash
# The write path against real Kafka and Cassandra (issue 10: end to end >= 0.95 of the raw write
# limit in every run of three; CPU per million events; peak RSS): EVENTS events already in Kafka
# (8 partitions, gzip as `produce` sends them) -> `stream` -> Cassandra, RUNS times. The named
# baseline, "cassandra_direct" (our writer with no Kafka: bench_store_direct, the same row count
# and batch size), is measured before each run and after the last, since the node's speed drifts
# as it warms, compacts and collects: each run's ratio is to the faster of the two around it.
# Per run: events/s, the ratio, stream's CPU s per million events, peak RSS, the load average.
# With PERF=1, the last run is profiled (perf record -e cpu-clock) and its top symbols printed.
# Needs the servers up (scripts/local-cluster up, or PLAYSTREAM_STATE of a running cluster).
# Usage: bench/write_path.sh BUILD_DIR [EVENTS] [RUNS]   (BENCH_PREFIX names topics/keyspaces)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.bash
. "$src/bench/lib.bash"
bench_against_servers "${1:-build}"
events=${2:-1000000}
runs=${3:-3}

direct() { # direct N: rows/s of cassandra_direct into a keyspace of its own
  local keyspace="${prefix//-/_}_direct_${run}_$1" rate
  "$bin" schema --store "$cassandra/$keyspace" 2>/dev/null
  rate=$("$build/bench/bench_store_direct" "$events" "$cassandra/$keyspace" 10000)
  bench_drop_keyspace "$keyspace"
  echo "$rate"
}

# Cassandra's JVM compiles its hot paths during the first writes: warm it up unmeasured.
warm="${prefix//-/_}_warm_$run"
"$bin" schema --store "$cassandra/$warm" 2>/dev/null
"$build/bench/bench_store_direct" 200000 "$cassandra/$warm" 10000 >/dev/null
bench_drop_keyspace "$warm"

topic="$prefix-write-$run"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 8 --catalog "$catalog" \
  --count "$events" --rate 0 --users 100 --seed 42 2>"$work/produce.err"

before=$(direct 0)
results=()
for ((n = 1; n <= runs; n++)); do
  keyspace="${prefix//-/_}_write_${run}_$n"
  "$bin" schema --store "$cassandra/$keyspace" 2>/dev/null
  args=(--brokers "$kafka" --topic "$topic" --group "$prefix-write-$run-$n" --catalog "$catalog"
        --store "$cassandra/$keyspace" --max-messages "$events")
  if [[ ${PERF:-0} == 1 && $n == "$runs" ]]; then
    perf record -e cpu-clock -F 999 -o "$work/perf.data" -- "$bin" stream "${args[@]}" --report-interval 0 \
      2>"$work/perf.err" >/dev/null
    seconds=$(sed -n 's/^stream: done: .* in \([0-9.]*\)s$/\1/p' "$work/perf.err") rss_mb=- cpu=- load=$(bench_load)
  else
    bench_timed_stream "run$n" "${args[@]}"
  fi
  bench_drop_keyspace "$keyspace"
  after=$(direct "$n")
  limit=$((before > after ? before : after))
  results+=("$seconds $limit $cpu")
  printf '  run %d: %8.0f events/s; cassandra_direct before %d, after %d rows/s; ratio %.3f; CPU %s s per million; peak RSS %s MB (load %s)\n' \
    "$n" "$(bc -l <<<"$events / $seconds")" "$before" "$after" "$(bc -l <<<"$events / $seconds / $limit")" \
    "$([[ $cpu == - ]] && echo - || printf '%.2f' "$(bc -l <<<"$cpu / $events * 1000000")")" "$rss_mb" "$load"
  before=$after
done
"$src/scripts/local-cluster" kafka-topics --delete --topic "$topic" >/dev/null 2>&1 || true

python3 - "$events" "${results[@]}" <<'PY'
import sys
events = int(sys.argv[1])
runs = [r.split() for r in sys.argv[2:]]
ratios = [events / float(s) / float(limit) for s, limit, _ in runs]
cpus = [float(c) / events * 1e6 for _, _, c in runs if c != "-"]
print(f"write path ({events} events in Kafka -> stream -> Cassandra, {len(runs)} runs): ratio to cassandra_direct "
      f"{', '.join(f'{r:.3f}' for r in ratios)} (target >= 0.95 in every run: {'met' if min(ratios) >= 0.95 else 'missed'}); "
      f"stream CPU s per million events {', '.join(f'{c:.2f}' for c in cpus) or '-'} (target <= 2.5)")
PY
if [[ ${PERF:-0} == 1 ]]; then
  perf report -i "$work/perf.data" --no-children --sort symbol -g none 2>/dev/null | grep '%' | grep -v '^#' | head -20
fi
