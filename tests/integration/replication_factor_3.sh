#!/usr/bin/env bash
# Three Cassandra nodes, replication factor 3: writes at QUORUM go on with one node stopped.
# Needs 3 nodes: `scripts/local-cluster up --cassandra-nodes 3`, or the 2+1 of run.sh
# (`--cassandra-dcs 2+1`): SimpleStrategy puts the 3 replicas on the three nodes whatever their
# datacenter, and QUORUM (not LOCAL_QUORUM) counts them all. Node 2 is stopped: a replica and,
# in dc1 like the first contact point, one of stream's two coordinators, so its writes need
# node 3 to make the quorum and its requests must move to node 1.
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
# A stop drains the node (clients are dropped first, then it flushes) and waits until the others
# see it down: seconds, so it is told when it began as well as when it ended.
stop_began=$(grep -c . "$work/events.jsonl")
"$src/scripts/local-cluster" stop-node 2 >"$work/cluster.err" 2>&1
echo "node 2 stopping from $stop_began events produced, stopped at $(grep -c . "$work/events.jsonl")"
wait $producer
wait $streamer || fail "stream failed with a node down"
grep -q "stream: done: consumed=24000 stored=24000 rejected=0" "$work/stream.err" || fail "$(tail -1 "$work/stream.err")"
retries=$(grep -c "store not available" "$work/stream.err" || true)
echo "ok: 24000 rows written at QUORUM with node 2 down ($retries store retries)"
# Node 2 back first: `query` reads at LOCAL_QUORUM, which SimpleStrategy counts among dc1's
# replicas only (2 of the 3), so with node 2 down dc1 has too few for a read.
"$src/scripts/local-cluster" start-node 2 >>"$work/cluster.err" 2>&1 || fail "cannot start node 2 again"
verify "$work/events.jsonl"
