#!/usr/bin/env bash
# LZ4 frame compression against a real Cassandra: the same EVENTS events, already in Kafka,
# streamed into Cassandra with `--cassandra-compression lz4` and with `none`, in the order
# lz4, none, none, lz4 (single runs differ on a shared machine; the sums compare). For each: bytes
# on the wire between `stream` and Cassandra, both directions, per million rows (the kernel's
# tcp_info of stream's connections to port 9042, read with `ss` every 200 ms), and CPU seconds of
# `stream` per million rows. Run by bench/e2e_cassandra.sh; alone: needs the servers up
# (scripts/local-cluster up). Usage: bench/cassandra_wire.sh BUILD_DIR [EVENTS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
events=${2:-1000000}
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/playstream
catalog=$src/data/sample-catalog.csv
work=$(mktemp -d /tmp/playstream-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
run=$(date +%s)
eval "$("$src/scripts/local-cluster" env)"
kafka=$PLAYSTREAM_KAFKA_BOOTSTRAP
cassandra=cassandra://$PLAYSTREAM_CASSANDRA_HOSTS

# wire_bytes PID: until PID exits, the largest byte counts seen on each of its connections to
# port 9042; prints their sum (sent + received).
wire_bytes() {
  python3 - "$1" <<'PY'
import os, re, subprocess, sys, time
pid = sys.argv[1]
seen = {}
while os.path.exists(f"/proc/{pid}"):
    out = subprocess.run(["ss", "-tinpH", "state", "established", "dport", "= :9042"],
                         capture_output=True, text=True).stdout.splitlines()
    for head, info in zip(out[::2], out[1::2]):
        if f"pid={pid}," not in head:
            continue
        sent = re.search(r"bytes_sent:(\d+)", info)
        received = re.search(r"bytes_received:(\d+)", info)
        key = head.split()[2]  # the local address:port
        total = (int(sent.group(1)) if sent else 0) + (int(received.group(1)) if received else 0)
        seen[key] = max(seen.get(key, 0), total)
    time.sleep(0.2)
print(sum(seen.values()))
PY
}

"$bin" produce --brokers "$kafka" --topic "wire-$run" --partitions 8 --catalog "$catalog" \
  --count "$events" --rate 0 --users 100 --seed 42 2>"$work/produce.err"
declare -A bytes cpu
n=0
for compression in lz4 none none lz4; do
  n=$((n + 1))
  "$bin" schema --store "$cassandra/bench_wire_${run}_$n" 2>/dev/null
  /usr/bin/time -v "$bin" stream --brokers "$kafka" --topic "wire-$run" --group "wire-$n" --catalog "$catalog" \
    --store "$cassandra/bench_wire_${run}_$n" --cassandra-compression "$compression" --max-messages "$events" \
    --report-interval 0 2>"$work/stream-$n.err" &
  timer=$!
  for _ in $(seq 100); do pid=$(pgrep -P "$timer" -x playstream || true); [[ -n $pid ]] && break; sleep 0.05; done
  b=$(wire_bytes "$pid")
  wait "$timer"
  c=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/stream-$n.err")
  grep -q "stream: done: consumed=$events stored=$events" "$work/stream-$n.err" || { tail -3 "$work/stream-$n.err" >&2; exit 1; }
  bytes[$n]="$compression $b" cpu[$n]=$c
  "$src/scripts/local-cluster" cqlsh -e "DROP KEYSPACE IF EXISTS bench_wire_${run}_$n" >/dev/null 2>&1 || true
done
python3 - "$events" "${bytes[1]}" "${cpu[1]}" "${bytes[2]}" "${cpu[2]}" "${bytes[3]}" "${cpu[3]}" "${bytes[4]}" "${cpu[4]}" <<'PY'
import sys
events = int(sys.argv[1])
runs = {"lz4": [0, 0.0], "none": [0, 0.0]}
for i in range(4):
    name, wire = sys.argv[2 + 2 * i].split()
    runs[name][0] += int(wire)
    runs[name][1] += float(sys.argv[3 + 2 * i])
per_m = lambda v: v / (2 * events) * 1e6
lz4_mb, none_mb = per_m(runs["lz4"][0]) / 1e6, per_m(runs["none"][0]) / 1e6
print(f"Cassandra frame compression ({events} events, 2 runs each, lz4 none none lz4): "
      f"wire per million rows lz4 {lz4_mb:,.1f} MB, none {none_mb:,.1f} MB (ratio {lz4_mb / none_mb:.2f}); "
      f"stream CPU per million rows lz4 {per_m(runs['lz4'][1]):.1f} s, none {per_m(runs['none'][1]):.1f} s")
PY
