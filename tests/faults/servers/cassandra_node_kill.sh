#!/usr/bin/env bash
# Cassandra's node killed with SIGKILL mid-run and restarted: `stream` waits, resumes, and every
# event is stored exactly once (ids read back with cqlsh at QUORUM).
source "$(dirname "$0")/../../integration/lib.bash" "$@"
source "$src/tests/faults/checks.bash"
cluster=$src/scripts/local-cluster

# A node in Cassandra's default commit log mode (periodic) acknowledges writes it loses when its
# process is killed (those of its last ~100 ms): only a node that acknowledges synced writes can
# show that playstream loses nothing it was told was stored.
sync_mode=$(cqlsh -e "SELECT value FROM system_views.settings WHERE name = 'commitlog_sync';" 2>/dev/null |
  awk 'seen && NF {print $1; exit} /^-+$/ {seen = 1}')
[ "$sync_mode" = batch ] || fail "the node runs commitlog_sync '$sync_mode': start it with 'local-cluster up --durable-commitlog'"

n=30000
"$bin" schema --store "$store" 2>"$work/schema.err"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 4 --catalog "$catalog" --count $n \
  --rate 1200 --users 30 --echo >"$work/events.jsonl" 2>"$work/produce.err" &
producer=$!
pids+=($producer)
$(stream_cmd node-kill) --exit-when-idle 15 --report-interval 2 2>"$work/stream.err" &
streamer=$!
pids+=($streamer)
sleep 6
"$cluster" stop-node 1 --kill >"$work/cluster.err" 2>&1 || fail "cannot kill the node"
echo "cassandra killed at $(grep -c . "$work/events.jsonl") events produced"
sleep 5
"$cluster" start-node 1 >>"$work/cluster.err" 2>&1 || fail "cannot restart the node"
echo "cassandra back after ${SECONDS} s"
wait $producer || fail "produce failed: $(tail -1 "$work/produce.err")"
status=0
wait $streamer || status=$?
check "stream's exit status" $status 0
grep -q "store not available" "$work/stream.err" || fail "stream never saw the store go away"
grep -q "stream: done: consumed=$n stored=$n rejected=0" "$work/stream.err" || fail "$(tail -1 "$work/stream.err")"
cql_ids >"$work/stored.list"
check_exactly_once "$work/events.jsonl" "$work/stored.list"
