#!/usr/bin/env bash
# The fetch bound (src/kafka/fetch_bound.hpp) against real Kafka and Cassandra: EVENTS events
# already in Kafka (8 partitions, gzip as `produce` sends them) -> `stream` -> Cassandra, with the
# bound derived from --batch-size (the default) and without it: baseline "unbounded", the settings
# `stream` had before (queued.max.messages.kbytes=16384, from which librdkafka derived
# fetch.max.bytes=16777216), given as -X. RUNS runs of each, alternating (bounded, unbounded, unbounded,
# bounded, ...) since neighbours on a shared machine move single runs. For each run: events/s,
# peak RSS (target <= 100 MB), CPU seconds per million events of stream, Cassandra and Kafka
# (the servers' include other clients' work on a shared cluster), the load average at its start;
# then the ratio of the bounded runs' events/s to the unbounded ones' (no loss: >= 0.95). After
# the first run, the table's size on Cassandra's disk (nodetool tablestats), for docs/sizing.md.
# Needs the servers up (scripts/local-cluster up, or PLAYSTREAM_STATE of a running cluster).
# Usage: bench/fetch_bound.sh BUILD_DIR [EVENTS] [RUNS]   (BENCH_PREFIX names topics/keyspaces)
set -euo pipefail
events=${2:-1000000}
runs=${3:-3}
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.bash
. "$src/bench/lib.bash"
bench_against_servers "${1:-build}"

topic="$prefix-fetch-$run"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 8 --catalog "$catalog" \
  --count "$events" --rate 0 --users 100 --seed 42 2>"$work/produce.err"

declare -a results
order=()
for ((i = 0; i < runs; i++)); do
  if ((i % 2 == 0)); then order+=(bounded unbounded); else order+=(unbounded bounded); fi
done
n=0
for mode in "${order[@]}"; do
  n=$((n + 1))
  keyspace="${prefix//-/_}_fetch_${run}_$n"
  "$bin" schema --store "$cassandra/$keyspace" 2>/dev/null
  extra=()
  [[ $mode == unbounded ]] && extra=(-X queued.max.messages.kbytes=16384 -X fetch.max.bytes=16777216)
  bench_timed_stream "run$n" --brokers "$kafka" --topic "$topic" --group "$prefix-fetch-$n" --catalog "$catalog" \
    --store "$cassandra/$keyspace" --max-messages "$events" "${extra[@]}"
  results+=("$mode $seconds $rss_mb $cpu $cassandra_cpu $kafka_cpu")
  printf '  run %d %-9s %8.0f events/s  peak RSS %6.1f MB  CPU s per million events: stream %5.2f, Cassandra %5.2f, Kafka %5.2f  (load %s)\n' \
    "$n" "$mode" "$(bc -l <<<"$events / $seconds")" "$rss_mb" "$(bc -l <<<"$cpu / $events * 1000000")" \
    "$(bc -l <<<"$cassandra_cpu / $events * 1000000")" "$(bc -l <<<"$kafka_cpu / $events * 1000000")" "$load"
  if ((n == 1)); then  # what a row costs on Cassandra's disk, for docs/sizing.md
    "$src/scripts/local-cluster" nodetool flush "$keyspace" listening_history >/dev/null 2>&1 || true
    "$src/scripts/local-cluster" nodetool tablestats "$keyspace.listening_history" 2>/dev/null |
      grep -E 'Space used \(live\)|Number of partitions|Compacted partition mean bytes|SSTable Compression Ratio' |
      sed 's/^[[:space:]]*/  cassandra table after run 1: /' || true
  fi
  bench_drop_keyspace "$keyspace"
done
"$src/scripts/local-cluster" kafka-topics --delete --topic "$topic" >/dev/null 2>&1 || true

python3 - "$events" "${results[@]}" <<'PY'
import statistics, sys
events = int(sys.argv[1])
runs = {"bounded": [], "unbounded": []}
servers = []
for r in sys.argv[2:]:
    mode, seconds, rss, cpu, cass, kafka = r.split()
    runs[mode].append((float(seconds), float(rss), float(cpu)))
    servers.append((float(cass), float(kafka)))
def summary(mode):
    rs = runs[mode]
    rate = len(rs) * events / sum(s for s, _, _ in rs)
    return rate, [r for _, r, _ in rs], statistics.median(c for _, _, c in rs) / events * 1e6
b_rate, b_rss, b_cpu = summary("bounded")
u_rate, u_rss, u_cpu = summary("unbounded")
print(f"fetch bound ({events} events in Kafka -> stream -> Cassandra, {len(runs['bounded'])} runs each): "
      f"bounded {b_rate:,.0f} events/s, peak RSS {min(b_rss):.1f}-{max(b_rss):.1f} MB, {b_cpu:.2f} CPU s/M; "
      f"baseline unbounded (the settings before: 16 MiB queue and fetches): {u_rate:,.0f} events/s, peak RSS "
      f"{min(u_rss):.1f}-{max(u_rss):.1f} MB, {u_cpu:.2f} CPU s/M; ratio (events/s) {b_rate / u_rate:.2f}, "
      f"(peak RSS) {max(b_rss) / max(u_rss):.2f}")
print(f"servers, median of all runs: Cassandra {statistics.median(c for c, _ in servers) / events * 1e6:.2f} CPU s "
      f"per million rows (RF 1), Kafka {statistics.median(k for _, k in servers) / events * 1e6:.2f} CPU s per million "
      f"events fetched")
PY
