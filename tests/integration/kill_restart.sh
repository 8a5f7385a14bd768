#!/usr/bin/env bash
# `stream` killed with SIGKILL mid-run and restarted: nothing lost, nothing twice (real servers).
source "$(dirname "$0")/lib.bash" "$@"

"$bin" schema --store "$store" 2>"$work/schema.err"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 4 --catalog "$catalog" --count 60000 \
  --rate 0 --users 30 --echo >"$work/events.jsonl" 2>"$work/produce.err"
stream=($(stream_cmd kill) --batch-size 1000 --flush-interval 50)
"${stream[@]}" --report-interval 0.2 2>"$work/stream1.err" &
victim=$!
pids+=($victim)
until grep -q "stored=[1-9][0-9]*[0-9][0-9][0-9][0-9] " "$work/stream1.err" 2>/dev/null; do sleep 0.1; done
kill -9 $victim
wait $victim 2>/dev/null || true
at_kill=$(cql_count)
echo "killed stream with $at_kill of 60000 rows stored"
[ "$at_kill" -lt 60000 ] || fail "the kill did not land mid-run"
"${stream[@]}" --exit-when-idle 5 2>"$work/stream2.err"
verify "$work/events.jsonl"
