#!/usr/bin/env bash
# `produce --compression` end to end against real Kafka and Cassandra: the same EVENTS events
# (same seed) produced with gzip (the default, the classroom's: the named baseline), lz4 and zstd,
# each into its own topic of 8 partitions, then streamed into Cassandra from each topic, RUNS times
# in the order gzip lz4 zstd zstd lz4 gzip ... For each codec: the topic's bytes on the broker's
# disk per million events, produce's CPU seconds per million (and the broker's meanwhile), and stream's events/s, CPU seconds
# per million events (the decompression is stream's) and peak RSS; then each as a ratio to gzip.
# Needs the servers up (scripts/local-cluster up, or PLAYSTREAM_STATE of a running cluster).
# Usage: bench/produce_compression.sh BUILD_DIR [EVENTS] [RUNS]   (BENCH_PREFIX names topics/keyspaces)
set -euo pipefail
events=${2:-1000000}
runs=${3:-2}
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.bash
. "$src/bench/lib.bash"
bench_against_servers "${1:-build}"
kafka_data=${PLAYSTREAM_STATE:-$src/.cluster}/kafka

codecs=(gzip lz4 zstd)
declare -A produce_cpu broker_cpu disk
for codec in "${codecs[@]}"; do
  topic="$prefix-codec-$codec-$run"
  k0=$(bench_pid_cpu "${kafka_pid:-}")
  /usr/bin/time -f "%U %S" -o "$work/produce-$codec.cpu" "$bin" produce --brokers "$kafka" --topic "$topic" \
    --partitions 8 --catalog "$catalog" --count "$events" --rate 0 --users 100 --seed 42 \
    --compression "$codec" 2>"$work/produce-$codec.err"
  produce_cpu[$codec]=$(awk '{print $1 + $2}' "$work/produce-$codec.cpu")
  broker_cpu[$codec]=$(bc <<<"$(bench_pid_cpu "${kafka_pid:-}") - $k0")
  # The topic's log segments on the broker (the bytes that travel, stored once: no replication here).
  sleep 2
  disk[$codec]=$(find "$kafka_data" -path "*/$topic-[0-9]*/*.log" -printf '%s\n' 2>/dev/null | awk '{s += $1} END {print s + 0}')
done

results=()
n=0
for ((i = 0; i < runs; i++)); do
  if ((i % 2 == 0)); then order=(gzip lz4 zstd); else order=(zstd lz4 gzip); fi
  for codec in "${order[@]}"; do
    n=$((n + 1))
    keyspace="${prefix//-/_}_codec_${run}_$n"
    "$bin" schema --store "$cassandra/$keyspace" 2>/dev/null
    bench_timed_stream "run$n" --brokers "$kafka" --topic "$prefix-codec-$codec-$run" --group "$prefix-codec-$n" \
      --catalog "$catalog" --store "$cassandra/$keyspace" --max-messages "$events"
    results+=("$codec $seconds $rss_mb $cpu")
    printf '  run %d %-4s %8.0f events/s  peak RSS %6.1f MB  %5.2f CPU s per million events  (load %s)\n' \
      "$n" "$codec" "$(bc -l <<<"$events / $seconds")" "$rss_mb" "$(bc -l <<<"$cpu / $events * 1000000")" "$load"
    bench_drop_keyspace "$keyspace"
  done
done
for codec in "${codecs[@]}"; do
  "$src/scripts/local-cluster" kafka-topics --delete --topic "$prefix-codec-$codec-$run" >/dev/null 2>&1 || true
done

python3 - "$events" "gzip ${produce_cpu[gzip]} ${disk[gzip]} ${broker_cpu[gzip]}" \
  "lz4 ${produce_cpu[lz4]} ${disk[lz4]} ${broker_cpu[lz4]}" "zstd ${produce_cpu[zstd]} ${disk[zstd]} ${broker_cpu[zstd]}" \
  "${results[@]}" <<'PY'
import sys
events = int(sys.argv[1])
per_m = lambda v: v / events * 1e6
codec = {}
for c in sys.argv[2:5]:
    name, cpu, disk, broker = c.split()
    codec[name] = {"produce_cpu": float(cpu), "disk": int(disk), "broker_cpu": float(broker), "runs": []}
for r in sys.argv[5:]:
    name, seconds, rss, cpu = r.split()
    codec[name]["runs"].append((float(seconds), float(rss), float(cpu)))
for c in codec.values():
    rs = c["runs"]
    c["rate"] = len(rs) * events / sum(s for s, _, _ in rs)
    c["cpu"] = per_m(sum(x for _, _, x in rs) / len(rs))
    c["rss"] = max(r for _, r, _ in rs)
g = codec["gzip"]
print(f"produce --compression ({events} events, {len(g['runs'])} stream runs each), baseline gzip:")
for name, c in codec.items():
    print(f"  {name:4}: topic {per_m(c['disk']) / 1e6:6.1f} MB/M events on disk ({c['disk'] / max(g['disk'], 1):.2f} of gzip); "
          f"produce {per_m(c['produce_cpu']):.2f} CPU s/M ({c['produce_cpu'] / g['produce_cpu']:.2f}), Kafka meanwhile "
          f"{per_m(c['broker_cpu']):.2f} CPU s/M; "
          f"stream {c['rate']:,.0f} events/s ({c['rate'] / g['rate']:.2f}), {c['cpu']:.2f} CPU s/M ({c['cpu'] / g['cpu']:.2f}), "
          f"peak RSS {c['rss']:.1f} MB")
PY
