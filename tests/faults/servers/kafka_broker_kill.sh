#!/usr/bin/env bash
# Real Kafka's broker killed with SIGKILL mid-run and restarted 10 s later, while `produce` and
# `stream` run: every event stored exactly once in Cassandra (ids read back with cqlsh at QUORUM).
source "$(dirname "$0")/../../integration/lib.bash" "$@"
source "$src/tests/faults/checks.bash"
cluster=$src/scripts/local-cluster

n=30000
"$bin" schema --store "$store" 2>"$work/schema.err"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 4 --catalog "$catalog" --count $n \
  --rate 1500 --users 30 --echo >"$work/events.jsonl" 2>"$work/produce.err" &
producer=$!
pids+=($producer)
# No --exit-when-idle: an unreachable broker may count as idle; this stream must outlive it.
$(stream_cmd broker-kill) --report-interval 2 2>"$work/stream.err" &
streamer=$!
pids+=($streamer)
sleep 6
"$cluster" stop-kafka --kill >"$work/cluster.err" 2>&1 || fail "cannot kill the broker"
echo "broker killed at $(grep -c . "$work/events.jsonl") events produced, $(cql_count) rows stored"
sleep 10
"$cluster" start-kafka >>"$work/cluster.err" 2>&1 || fail "cannot restart the broker"
echo "broker back after ${SECONDS} s"
wait $producer || fail "produce lost events: $(tail -1 "$work/produce.err")"
check "events produced (every one acknowledged by the broker)" "$(wc -l <"$work/events.jsonl")" $n
for _ in $(seq 120); do
  [ "$(cql_count)" == $n ] && break
  sleep 1
done
echo "all rows stored after ${SECONDS} s"
kill -TERM $streamer
status=0
wait $streamer || status=$?
check "stream's exit status after SIGTERM" $status 0
grep -q "stream: done: consumed=[0-9]* stored=[0-9]* rejected=0" "$work/stream.err" || fail "$(tail -1 "$work/stream.err")"
cql_ids >"$work/stored.list"
check_exactly_once "$work/events.jsonl" "$work/stored.list"
