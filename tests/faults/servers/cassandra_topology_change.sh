#!/usr/bin/env bash
# A Cassandra cluster that changes shape under `stream` (issue 9, section 3): a 4th node
# bootstrapped into a running 3-node cluster gets requests from stream (the driver's per-node
# counter on /metrics grows, and so does the count node 4 keeps of its busiest client connection;
# its share of the table's partitions grows from zero), then is decommissioned mid-run and dropped
# (the driver no longer lists it); every event is stored exactly once and `stream` never sees the
# store unavailable. `stream` is given one contact point: it finds the others, and the new node,
# by itself.
# Brings Cassandra to 3 nodes itself when it has another number (run.sh takes it down at the end).
source "$(dirname "$0")/../../integration/lib.bash" "$@"
source "$src/tests/faults/checks.bash"
cluster=$src/scripts/local-cluster

three_cassandra_nodes
store="cassandra://127.0.0.1/$keyspace"
table=$keyspace.listening_history
# One figure of node N's `nodetool tablestats` for our table, 0 when it has none.
node_stat() { # node_stat N "Number of partitions"
  "$cluster" nodetool "$1" tablestats "$table" 2>/dev/null | awk -F': ' -v k="$2" '$1 ~ k {print $2+0; f=1} END {if (!f) print 0}'
}
node4=127.0.0.4:9042
# Requests the driver sent node 4 (its counter on /metrics); "none" when it lists other nodes but
# not node 4, "no metrics" when /metrics did not answer. With replication factor 3 node 4 gets
# replica writes whatever the driver does, so only requests sent to it show that the driver
# routes writes there.
driver_requests() {
  local counters
  counters=$(metrics_requests "$work/stream.err")
  [ -n "$counters" ] || { echo "no metrics"; return; }
  awk -v node=$node4 '$1 == node {c = $2; f = 1} END {print f ? c : "none"}' <<<"$counters"
}
# The cross-check: requests node 4 took as coordinator from its busiest client connection
# (system_views.clients; cqlsh's own connection has a handful).
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
$(stream_cmd topology) --http 127.0.0.1:0 --exit-when-idle 30 --report-interval 5 2>"$work/stream.err" &
streamer=$!
pids+=($streamer)
sleep 10

add_start=$SECONDS
"$cluster" add-node >>"$work/cluster.err" 2>&1 || fail "cannot bootstrap node 4: $(tail -3 "$work/cluster.err")"
joined_at=$(grep -c . "$work/events.jsonl")
echo "node 4 joined in $((SECONDS - add_start)) s, at $joined_at events produced"
(( joined_at < n * 3 / 4 )) || fail "node 4 joined after $joined_at of $n events: too late to see it take writes (a slow machine)"
sleep 10
sent_before=$(driver_requests) requests_before=$(node4_requests)
sleep 10
sent=$(driver_requests) requests=$(node4_requests)
partitions=$(node_stat 4 "Number of partitions")
echo "node 4: driver's requests $sent_before -> $sent, node 4's count of its busiest client connection $requests_before -> $requests, ~$partitions partitions"
[[ $sent_before =~ ^[0-9]+$ && $sent =~ ^[0-9]+$ ]] || fail "stream's driver lists no request count for node 4 after it joined: $sent_before, then $sent"
(( sent > sent_before )) || fail "stream sent node 4 no requests in 10 s ($sent_before -> $sent)"
[ "$requests" -gt "$requests_before" ] || fail "node 4 counted no new request on a client connection ($requests_before -> $requests)"
[ "$partitions" -gt 0 ] || fail "node 4 holds no partition of $table"

decommission_start=$SECONDS
"$cluster" decommission-node 4 >>"$work/cluster.err" 2>&1 || fail "cannot decommission node 4: $(tail -3 "$work/cluster.err")"
left_at=$(grep -c . "$work/events.jsonl")
echo "node 4 decommissioned in $((SECONDS - decommission_start)) s, at $left_at events produced"
(( left_at < n )) || fail "node 4 left after the last event: stream did not write through its leaving"
# Dropped: the driver forgets the node (the REMOVED_NODE event, or its periodic refresh).
left=$SECONDS
until [ "$(driver_requests)" = none ]; do
  (( SECONDS < left + 60 )) || fail "stream's driver still lists node 4 60 s after it left"
  sleep 1
done
echo "stream's driver dropped node 4 (not on /metrics any more) within $((SECONDS - left)) s of its leaving"

wait $producer || fail "produce failed: $(tail -1 "$work/produce.err")"
status=0
wait $streamer || status=$?
check "stream's exit status" $status 0
if grep -q "store not available" "$work/stream.err"; then fail "stream saw the store unavailable: $(grep -m1 "store not available" "$work/stream.err")"; fi
grep -q "stream: done: consumed=$n stored=$n rejected=0" "$work/stream.err" || fail "$(tail -1 "$work/stream.err")"
cql_ids >"$work/stored.list"
check_exactly_once "$work/events.jsonl" "$work/stored.list"
echo "ok: $n events stored once through a bootstrap and a decommission"
