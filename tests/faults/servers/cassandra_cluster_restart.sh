#!/usr/bin/env bash
# The whole Cassandra cluster restarted under `stream` (issue 9, section 3): on a steady produce,
# every node is stopped, the cluster stays down 20 s, then every node starts again. `stream` waits
# (its writes retried, offsets held), resumes by itself once the nodes answer, exits 0, and every
# event is stored exactly once (ids read back with cqlsh at QUORUM).
# Needs 3 nodes (any datacenters); brings Cassandra to 3 nodes itself when it has another number.
source "$(dirname "$0")/../../integration/lib.bash" "$@"
source "$src/tests/faults/checks.bash"
cluster=$src/scripts/local-cluster

three_cassandra_nodes
store="cassandra://127.0.0.1/$keyspace"   # one contact point: the others are found through it

# 300 s of events: the outage (three stops, 20 s down, three starts one after another, each
# waiting for the others to see it) took 110 to 215 s on a loaded 2-core machine, and events
# should still arrive after it.
rate=200 n=60000
"$bin" schema --store "$store" --replication-factor 3 2>"$work/schema.err" || fail "$(tail -1 "$work/schema.err")"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 4 --catalog "$catalog" --count $n \
  --rate $rate --users 50 --echo >"$work/events.jsonl" 2>"$work/produce.err" &
producer=$!
pids+=($producer)
$(stream_cmd cluster-restart) --write-consistency QUORUM --exit-when-idle 30 --report-interval 2 \
  2>"$work/stream.err" &
streamer=$!
pids+=($streamer)
sleep 10

t0=$SECONDS
for node in 3 2 1; do
  "$cluster" stop-node $node --no-wait >>"$work/cluster.err" 2>&1 || fail "cannot stop node $node: $(tail -3 "$work/cluster.err")"
done
down_at=$(grep -c . "$work/events.jsonl")
stored_at_down=$(grep -o 'stored=[0-9]*' "$work/stream.err" | tail -1)
echo "every node stopped in $((SECONDS - t0)) s, at $down_at events produced (stream: $stored_at_down)"
(( down_at < n )) || fail "the cluster went down after the last event: nothing left to resume on"
sleep 20
t1=$SECONDS
for node in 1 2 3; do
  "$cluster" start-node $node >>"$work/cluster.err" 2>&1 || fail "cannot start node $node: $(tail -3 "$work/cluster.err")"
done
up_at=$(grep -c . "$work/events.jsonl")
# Events after it are a bonus (a slow start can outlast the produce): stream must resume either way.
echo "20 s with no node up; every node up again $((SECONDS - t1)) s later, at $up_at of $n events produced"
stored_at_up=$(grep -o 'stored=[0-9]*' "$work/stream.err" | tail -1)

wait $producer || fail "produce failed: $(tail -1 "$work/produce.err")"
status=0
wait $streamer || status=$?
check "stream's exit status" $status 0
grep -q "store not available" "$work/stream.err" || fail "stream never saw the store go away"
echo "stream: $(grep -c "store not available" "$work/stream.err") store-unavailable lines; $stored_at_up when the last node was up"
grep -q "stream: done: consumed=$n stored=$n rejected=0" "$work/stream.err" || fail "$(tail -1 "$work/stream.err")"
cql_ids >"$work/stored.list"
check_exactly_once "$work/events.jsonl" "$work/stored.list"
echo "ok: $n events stored once through a whole-cluster restart"
