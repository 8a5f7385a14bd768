#!/usr/bin/env bash
# Against real Kafka and Cassandra (scripts/local-cluster up; started here if not running):
#  1. raw write limit, the named baseline "cassandra_direct": EVENTS rows of our table written by
#     our own writer (prepared, token-aware, a batch in flight) with no Kafka: rows/s;
#  2. end to end: EVENTS events already in Kafka -> `stream` -> Cassandra: events/s as a ratio of
#     the raw limit (target >= 0.8), CPU seconds per million events, peak RSS of `stream`;
#  3. freshness: at a steady RATE events/s for 30 s, the age of each event when Cassandra
#     acknowledged it (produce to readable), p50 and p99 (target p99 <= 500 ms), with
#     `stream --flush-interval 100`.
# Usage: bench/e2e_cassandra.sh BUILD_DIR [EVENTS] [RATE]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
events=${2:-1000000}
rate=${3:-5000}
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/playstream
catalog=$src/data/sample-catalog.csv
work=$(mktemp -d /tmp/playstream-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
run=$(date +%s)

"$src/scripts/local-cluster" up >/dev/null
eval "$("$src/scripts/local-cluster" env)"
kafka=$PLAYSTREAM_KAFKA_BOOTSTRAP
cassandra=cassandra://$PLAYSTREAM_CASSANDRA_HOSTS

# Cassandra's JVM compiles its hot paths during the first writes: warm it up unmeasured first.
"$build/bench/bench_store_direct" 200000 "$cassandra/bench_warm_$run" 10000 >/dev/null
raw=$("$build/bench/bench_store_direct" "$events" "$cassandra/bench_raw_$run" 10000)

"$bin" schema --store "$cassandra/bench_e2e_$run" 2>/dev/null
"$bin" produce --brokers "$kafka" --topic "bench-$run" --partitions 8 --catalog "$catalog" \
  --count "$events" --rate 0 --users 100 --seed 42 2>"$work/produce.err"
/usr/bin/time -v "$bin" stream --brokers "$kafka" --topic "bench-$run" --group bench --catalog "$catalog" \
  --store "$cassandra/bench_e2e_$run" --max-messages "$events" --report-interval 0 2>"$work/stream.err"
seconds=$(sed -n 's/^stream: done: .* in \([0-9.]*\)s$/\1/p' "$work/stream.err")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/stream.err")
cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/stream.err")

"$bin" schema --store "$cassandra/bench_fresh_$run" 2>/dev/null
"$bin" stream --brokers "$kafka" --topic "fresh-$run" --group fresh --catalog "$catalog" \
  --store "$cassandra/bench_fresh_$run" --from latest --flush-interval 100 --exit-when-idle 5 --report-interval 0 2>"$work/fresh.err" &
streamer=$!
sleep 4  # joined the group before the first event
"$bin" produce --brokers "$kafka" --topic "fresh-$run" --partitions 4 --catalog "$catalog" \
  --count $((rate * 30)) --rate "$rate" --users 100 -X linger.ms=5 2>"$work/fresh-produce.err"
wait $streamer
fresh=$(sed -n 's/^stream: done: .*age_at_ack: \(p50=[^ ]* p99=[^ ]*\).*/\1/p' "$work/fresh.err")

python3 - "$events" "$seconds" "$rss_kb" "$cpu" "$raw" "$rate" "$fresh" <<'PY'
import sys
events, seconds, rss_kb, cpu, raw, rate, fresh = sys.argv[1:]
events, seconds, cpu, raw = int(events), float(seconds), float(cpu), float(raw)
ours = events / seconds
print(f"raw write limit (baseline cassandra_direct, {events} rows): {raw:,.0f} rows/s")
print(f"end to end (Kafka -> stream -> Cassandra, {events} events): {ours:,.0f} events/s; ratio to the raw "
      f"limit {ours / raw:.2f}; {cpu / events * 1e6:.1f} CPU s per million events; peak RSS {int(rss_kb) / 1024:.1f} MB")
print(f"freshness at {rate} events/s for 30 s, --flush-interval 100 (event time to Cassandra ack): {fresh}")
PY
