#!/usr/bin/env bash
# Three Cassandra nodes, replication factor 3: writes at QUORUM go on with one node stopped.
# Needs `scripts/local-cluster up --cassandra-nodes 3`.
source "$(dirname "$0")/lib.bash" "$@"
store="cassandra://127.0.0.1,127.0.0.2,127.0.0.3/$keyspace"

"$bin" schema --store "$store" --replication-factor 3 2>"$work/schema.err"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 4 --catalog "$catalog" --count 24000 \
  --rate 1500 --users 30 --echo >"$work/events.jsonl" 2>"$work/produce.err" &
producer=$!
pids+=($producer)
$(stream_cmd rf3) --write-consistency QUORUM --exit-when-idle 10 --report-interval 2 \
  2>"$work/stream.err" &
streamer=$!
pids+=($streamer)
sleep 5
"$src/scripts/local-cluster" stop-node 3 >"$work/cluster.err" 2>&1
echo "node 3 stopped at $(grep -c . "$work/events.jsonl") events produced"
wait $producer
wait $streamer || fail "stream failed with a node down"
grep -q "stream: done: consumed=24000 stored=24000 rejected=0" "$work/stream.err" || fail "$(tail -1 "$work/stream.err")"
retries=$(grep -c "store not available" "$work/stream.err" || true)
echo "ok: 24000 rows written at QUORUM with node 3 down ($retries store retries)"
verify "$work/events.jsonl"
"$src/scripts/local-cluster" start-node 3 >>"$work/cluster.err" 2>&1
