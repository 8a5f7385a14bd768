#!/usr/bin/env bash
# Against real Kafka and Cassandra (scripts/local-cluster up; started here if not running):
#  1. raw write limit, the faster of two named baselines: "cassandra_direct", EVENTS rows of our
#     table written by our own writer (prepared, token-aware, a batch in flight) with no Kafka, and
#     "cassandra_stress", EVENTS/2 rows of the same size by Cassandra's own load tool: rows/s;
#  2. end to end: EVENTS events already in Kafka -> `stream` -> Cassandra: events/s as a ratio of
#     the raw limit (target >= 0.8), CPU seconds per million events, peak RSS of `stream`;
#  3. freshness: at a steady RATE events/s for 60 s, the age of each event when Cassandra
#     acknowledged it (produce to readable), p50 and p99 and the worst one-second p99
#     (bench/freshness.sh; targets p99 <= 50 ms at 5,000/s, <= 100 ms at 20,000/s);
#  4. LZ4 frame compression: bytes on the wire and CPU per million rows with and without
#     (bench/cassandra_wire.sh).
# Usage: bench/e2e_cassandra.sh BUILD_DIR [EVENTS] [RATE]
set -euo pipefail
events=${2:-1000000}
rate=${3:-5000}
fresh_seconds=60
src=$(cd "$(dirname "$0")/.." && pwd)
trap 'rm -rf "$work"' EXIT

"$src/scripts/local-cluster" up >/dev/null
# shellcheck source=bench/lib.bash
. "$src/bench/lib.bash"
bench_init "${1:-build}"
bench_servers
bench_machine

# Cassandra's JVM compiles its hot paths during the first writes: warm it up unmeasured first.
"$build/bench/bench_store_direct" 200000 "$cassandra/bench_warm_$run" 10000 >/dev/null
raw=$("$build/bench/bench_store_direct" "$events" "$cassandra/bench_raw_$run" 10000)
# The second raw figure: Cassandra's own load tool, rows of the same size, one per INSERT, at
# playstream's write consistency, with as many client threads as it takes to saturate the node.
"$src/scripts/local-cluster" cqlsh -e "DROP KEYSPACE IF EXISTS bench_stress" >/dev/null 2>&1
"$src/scripts/local-cluster" cassandra-stress user profile="$src/bench/cassandra-stress.yaml" "ops(insert=1)" \
  n=$((events / 2)) cl=LOCAL_QUORUM -node 127.0.0.1 -rate threads=128 -mode native cql3 protocolVersion=4 \
  >"$work/stress.out" 2>&1 || { tail -n 30 "$work/stress.out" >&2; exit 1; }
stress=$(sed -n 's/^Row rate *: *\([0-9,]*\) row\/s.*/\1/p' "$work/stress.out" | tr -d ,)

"$bin" schema --store "$cassandra/bench_e2e_$run" 2>/dev/null
"$bin" produce --brokers "$kafka" --topic "bench-$run" --partitions 8 --catalog "$catalog" \
  --count "$events" --rate 0 --users 100 --seed 42 2>"$work/produce.err"
/usr/bin/time -v "$bin" stream --brokers "$kafka" --topic "bench-$run" --group bench --catalog "$catalog" \
  --store "$cassandra/bench_e2e_$run" --max-messages "$events" --report-interval 0 2>"$work/stream.err"
seconds=$(sed -n 's/^stream: done: .* in \([0-9.]*\)s$/\1/p' "$work/stream.err")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/stream.err")
cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/stream.err")

python3 - "$events" "$seconds" "$rss_kb" "$cpu" "$raw" "$stress" <<'PY'
import sys
events, seconds, rss_kb, cpu, raw, stress = sys.argv[1:]
events, seconds, cpu, raw, stress = int(events), float(seconds), float(cpu), float(raw), float(stress)
ours = events / seconds
limit = max(raw, stress)
print(f"raw write limit: baseline cassandra_direct ({events} rows) {raw:,.0f} rows/s; baseline cassandra_stress "
      f"({events // 2} rows, 128 threads) {stress:,.0f} rows/s; limit taken: {limit:,.0f} rows/s")
print(f"end to end (Kafka -> stream -> Cassandra, {events} events): {ours:,.0f} events/s; ratio to the raw "
      f"limit {ours / limit:.2f}; {cpu / events * 1e6:.1f} CPU s per million events; peak RSS {int(rss_kb) / 1024:.1f} MB")
PY
"$src/bench/freshness.sh" "$build" "$rate" "$fresh_seconds"
"$src/bench/cassandra_wire.sh" "$build" "$events"
