#!/usr/bin/env bash
# Freshness against real Kafka and Cassandra: `produce` at a steady RATE events/s for SECONDS s
# into a topic that `stream` (default batching: no timer) already holds, and the age of each
# event when Cassandra acknowledged its row (event time to ack: produce to readable). Prints
# p50/p99/max over the run, the worst one-second p99 (from stream's progress lines every second:
# whether the tail is one stall or spread), and as the named baseline measured in the same run
# the store's own share: Cassandra's write round trip per batch (stream's
# playstream_store_write_duration_seconds, mean and the p99's histogram bucket), with the load
# average, and the requests sent to Cassandra per event (the driver's per-node counters: rows, index
# upserts, prepares), and the node's CPU (cores) and GC pauses meanwhile (from its GC log, when
# `local-cluster` started it: a tail that lines up with a pause is the store's). Targets (issue
# 10): p99 <= 50 ms at 5,000/s, <= 100 ms at 20,000/s. Extra arguments go to `stream` (e.g.
# --flush-interval 20, --linger 10).
# Needs the servers up (scripts/local-cluster up, or PLAYSTREAM_STATE of a running cluster).
# Usage: bench/freshness.sh BUILD_DIR RATE [SECONDS] [STREAM_ARGS...]   (BENCH_PREFIX names topics/keyspaces)
set -euo pipefail
build_dir=${1:-build}
rate=${2:-5000}
fresh_seconds=${3:-60}
shift $(($# < 3 ? $# : 3))
src=$(cd "$(dirname "$0")/.." && pwd)
streamer=
# shellcheck source=bench/lib.bash
. "$src/bench/lib.bash"
bench_init "$build_dir"
topic="$prefix-fresh-$run"
keyspace="${prefix//-/_}_fresh_$run"
cleanup() {
  [[ -n $streamer ]] && kill "$streamer" 2>/dev/null
  "$src/scripts/local-cluster" kafka-topics --delete --topic "$topic" >/dev/null 2>&1 || true
  bench_drop_keyspace "$keyspace"
  rm -rf "$work"
}
trap cleanup EXIT
bench_servers
bench_machine

"$bin" schema --store "$cassandra/$keyspace" 2>/dev/null
# Steady state: the topic exists and the stream holds its partitions before the first event. (A
# topic created by `produce` is found by a subscribed stream only at its next metadata refresh, and
# the events of that gap arrive as a backlog: start-up lag, not freshness.) The topic is new, so
# --from earliest reads every event (--from latest could skip those sent before the first fetch).
"$src/scripts/local-cluster" kafka-topics --create --topic "$topic" --partitions 4 >"$work/topic.err" 2>&1
"$bin" stream --brokers "$kafka" --topic "$topic" --group "$prefix-fresh" --catalog "$catalog" \
  --store "$cassandra/$keyspace" --from earliest --exit-when-idle 5 --report-interval 1 --http 127.0.0.1:0 "$@" \
  2>"$work/fresh.err" &
streamer=$!
for _ in $(seq 300); do grep -qs '^stream: assigned [1-9]' "$work/fresh.err" && break; sleep 0.1; done
grep -q '^stream: assigned [1-9]' "$work/fresh.err" || { cat "$work/fresh.err" >&2; exit 1; }
# A partition just assigned is first fetched after librdkafka's backoffs for a topic it has just
# learnt of (its first fetches of an empty log come back with no data): events sent at once waited
# ~0.5 s, which is start-up, not freshness, and alone made the p99 of a 60 s run (~0.8 % of it).
sleep 2
http=$(sed -n 's/^stream: metrics and health on http:\/\///p' "$work/fresh.err")
load_start=$(bench_load) t_start=$(date -u +%FT%T.%3N) node_cpu0=$(bench_pid_cpu "$cassandra_pid") wall0=$(date +%s.%N)
"$bin" produce --brokers "$kafka" --topic "$topic" --catalog "$catalog" \
  --count $((rate * fresh_seconds)) --rate "$rate" --users 100 -X linger.ms=5 2>"$work/produce.err" &
producer=$!
# The last scrape before stream exits holds every write of the run.
node_cpu1= wall1=
while kill -0 $streamer 2>/dev/null; do
  curl -sf "http://$http/metrics" -o "$work/metrics.new" && mv "$work/metrics.new" "$work/metrics"
  # The node's CPU while events are sent, not in `stream`'s idle seconds after.
  if [[ -z $node_cpu1 ]] && ! kill -0 $producer 2>/dev/null; then
    node_cpu1=$(bench_pid_cpu "$cassandra_pid") wall1=$(date +%s.%N)
  fi
  sleep 1
done
wait $producer
wait $streamer
streamer=
load_end=$(bench_load)
node_gc=$(bench_node_gc "$t_start" "$(date -u +%FT%T.%3N)")
node_cores=-
if [[ -n $cassandra_pid && -n $node_cpu1 ]]; then
  node_cores=$(bc -l <<<"($node_cpu1 - $node_cpu0) / ($wall1 - $wall0)" | xargs printf '%.2f')
fi
grep -q "^stream: done: consumed=$((rate * fresh_seconds)) stored=$((rate * fresh_seconds)) " "$work/fresh.err" ||
  { grep '^stream: done' "$work/fresh.err" >&2; echo "not every event stored" >&2; exit 1; }
# "p50=.. p99=.. max=.." of one of the ages in stream's done line.
done_ages() { sed -n "s/^stream: done: .*$1: \\(p50=[^ ]* p99=[^ ]* max=[^ ]*\\).*/\\1/p" "$work/fresh.err"; }
fresh=$(done_ages age_at_ack)
# Kafka's share (and any wait while the store held `stream` back): their age when `stream` read them.
read_age=$(done_ages age_at_read)
# Each one-second interval's p99 (progress lines); the first and last seconds of traffic included.
seconds_p99=$(sed -n 's/.*recent_age: p50=[^ ]* p99=\([0-9]*\)ms.*/\1/p' "$work/fresh.err" | tr '\n' ' ')
python3 - "$rate" "$fresh_seconds" "$fresh" "$seconds_p99" "$work/metrics" "$load_start" "$load_end" "$*" "$read_age" "$node_gc" "$node_cores" <<'PY'
import re, sys
rate, seconds, fresh, per_second, metrics, load_start, load_end, args, read_age, node_gc, node_cores = sys.argv[1:]
m = re.search(r"p99=(\d+)ms", fresh)
p99 = int(m.group(1)) if m else None  # None: beyond the histogram's 10 s
per_second = [int(x) for x in per_second.split()] or [0]
buckets, total, count, requests = [], 0.0, 0, 0
for line in open(metrics):
    if line.startswith("playstream_cassandra_node_requests_total{"): requests += int(float(line.split()[-1]))
    m = re.match(r'playstream_store_write_duration_seconds_bucket\{le="([^"]+)"\} (\d+)', line)
    if m: buckets.append((float("inf") if m.group(1) == "+Inf" else float(m.group(1)), int(m.group(2))))
    if line.startswith("playstream_store_write_duration_seconds_sum "): total = float(line.split()[1])
    if line.startswith("playstream_store_write_duration_seconds_count "): count = int(line.split()[1])
write_p99 = next(le for le, n in buckets if n >= 0.99 * count) * 1000
# The slow writes: how many took over 50 ms, and the bucket of the slowest (a store pause stalls
# every event behind it, so a few slow writes can make the events' p99 while the writes' stays low).
slow = count - next((n for le, n in buckets if le >= 0.05), count)
write_max = next(le for le, n in buckets if n >= count) * 1000
print(f"freshness at {int(rate):,} events/s for {seconds} s{' (stream ' + args + ')' if args else ''}, event time to "
      f"Cassandra ack: {fresh} (when stream read them from Kafka: {read_age}); worst one-second p99 {max(per_second)} ms (median second {sorted(per_second)[len(per_second) // 2]} ms, "
      f"{len(per_second)} seconds); baseline store write (Cassandra's round trip, {count} batches): mean "
      f"{total / count * 1000:.1f} ms, p99 <= {write_p99:g} ms (bucket), {slow} writes over 50 ms, the slowest <= {write_max:g} ms; ratio p99 / write p99 bucket "
      f"{f'{p99 / write_p99:.2f}' if p99 is not None else '> ' + format(10000 / write_p99, '.0f')}; "
      f"Cassandra requests per event {requests / (int(rate) * int(seconds)):.2f} (rows and index upserts); "
      f"the node meanwhile: {node_cores} of a core, GC {node_gc}; "
      f"load average {load_start} at start, {load_end} at end")
PY
