#!/usr/bin/env bash
# A Cassandra cluster that changes shape under `stream` (issue 9, section 3): a 4th node
# bootstrapped into a running 3-node cluster gets the driver's connection and writes (its share of
# the table's partitions grows from zero), then is decommissioned mid-run and dropped; every event
# is stored exactly once and `stream` never sees the store unavailable. `stream` is given one
# contact point: it finds the others, and the new node, by itself.
# Brings Cassandra to 3 nodes itself when it has another number (run.sh takes it down at the end).
source "$(dirname "$0")/../../integration/lib.bash" "$@"
source "$src/tests/faults/checks.bash"
cluster=$src/scripts/local-cluster

if [[ $PLAYSTREAM_CASSANDRA_HOSTS != 127.0.0.1,127.0.0.2,127.0.0.3 ]]; then
  "$cluster" down --cassandra-only >"$work/cluster.err" 2>&1
  "$cluster" up --cassandra-only --cassandra-nodes 3 >>"$work/cluster.err" 2>&1 \
    || fail "cannot start 3 Cassandra nodes: $(tail -3 "$work/cluster.err")"
fi
store="cassandra://127.0.0.1/$keyspace"
table=$keyspace.listening_history
# One figure of node N's `nodetool tablestats` for our table, 0 when it has none.
node_stat() { # node_stat N "Number of partitions"
  "$cluster" nodetool "$1" tablestats "$table" 2>/dev/null | awk -F': ' -v k="$2" '$1 ~ k {print $2+0; f=1} END {if (!f) print 0}'
}
# Requests node 4 took as coordinator from its busiest client connection (system_views.clients):
# with replication factor 3 node 4 gets replica writes whatever the driver does, so only requests
# sent to it show that the driver routes writes there. (cqlsh's own connection has a handful.)
node4_requests() {
  "$cluster" cqlsh 4 -e "SELECT request_count FROM system_views.clients;" 2>/dev/null |
    awk '$1 ~ /^[0-9]+$/ && $1 > m {m = $1} END {print m + 0}'
}

# 600 s of events: a bootstrap took 110 to 290 s on a loaded 2-core machine, a decommission ~60 s,
# and both must happen while events still arrive.
rate=200 n=120000
"$bin" schema --store "$store" --replication-factor 3 2>"$work/schema.err" || fail "$(tail -1 "$work/schema.err")"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 4 --catalog "$catalog" --count $n \
  --rate $rate --users 200 --echo >"$work/events.jsonl" 2>"$work/produce.err" &
producer=$!
pids+=($producer)
$(stream_cmd topology) --exit-when-idle 30 --report-interval 5 2>"$work/stream.err" &
streamer=$!
pids+=($streamer)
sleep 10

"$cluster" add-node >>"$work/cluster.err" 2>&1 || fail "cannot bootstrap node 4: $(tail -3 "$work/cluster.err")"
joined_at=$(grep -c . "$work/events.jsonl")
echo "node 4 joined at $joined_at events produced"
(( joined_at < n * 3 / 4 )) || fail "node 4 joined after $joined_at of $n events: too late to see it take writes (a slow machine)"
sleep 10
requests_before=$(node4_requests)
sleep 10
requests=$(node4_requests)
partitions=$(node_stat 4 "Number of partitions")
echo "node 4: requests from stream's connection $requests_before -> $requests, ~$partitions partitions"
[ "$requests" -gt "$requests_before" ] || fail "stream sent node 4 no requests after it joined"
[ "$partitions" -gt 0 ] || fail "node 4 holds no partition of $table"

"$cluster" decommission-node 4 >>"$work/cluster.err" 2>&1 || fail "cannot decommission node 4: $(tail -3 "$work/cluster.err")"
echo "node 4 decommissioned at $(grep -c . "$work/events.jsonl") events produced"

wait $producer || fail "produce failed: $(tail -1 "$work/produce.err")"
status=0
wait $streamer || status=$?
check "stream's exit status" $status 0
if grep -q "store not available" "$work/stream.err"; then fail "stream saw the store unavailable: $(grep -m1 "store not available" "$work/stream.err")"; fi
grep -q "stream: done: consumed=$n stored=$n rejected=0" "$work/stream.err" || fail "$(tail -1 "$work/stream.err")"
cql_ids >"$work/stored.list"
check_exactly_once "$work/events.jsonl" "$work/stored.list"
echo "ok: $n events stored once through a bootstrap and a decommission"
