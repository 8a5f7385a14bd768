#!/usr/bin/env bash
# Cassandra stopped for 20 s in the middle of a run: `stream` waits, resumes, and nothing is lost.
source "$(dirname "$0")/lib.bash" "$@"

"$bin" schema --store "$store" 2>"$work/schema.err"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 4 --catalog "$catalog" --count 36000 \
  --rate 1200 --users 30 --echo >"$work/events.jsonl" 2>"$work/produce.err" &
producer=$!
pids+=($producer)
$(stream_cmd outage) --exit-when-idle 15 --report-interval 2 2>"$work/stream.err" &
streamer=$!
pids+=($streamer)
sleep 6
"$src/scripts/local-cluster" stop-node 1 >"$work/cluster.err" 2>&1
echo "cassandra stopped at $(grep -c . "$work/events.jsonl") events produced"
sleep 20
"$src/scripts/local-cluster" start-node 1 >>"$work/cluster.err" 2>&1
echo "cassandra back"
wait $producer
wait $streamer || fail "stream exited with an error"
grep -q "store not available" "$work/stream.err" || fail "stream never saw the store go away"
grep -q "stream: done: consumed=36000 stored=36000 rejected=0" "$work/stream.err" || fail "$(tail -1 "$work/stream.err")"
echo "ok: stream waited $(grep -c 'store not available' "$work/stream.err") times and resumed"
verify "$work/events.jsonl"
