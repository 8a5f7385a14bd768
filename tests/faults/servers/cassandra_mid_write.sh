#!/usr/bin/env bash
# `stream` killed when half of a batch's rows were acknowledged by Cassandra and the rest were
# still in flight (fault point store_mid_write): the restart stores every event exactly once
# (ids read back with cqlsh at QUORUM). Needs a binary with the fault-injection hook.
source "$(dirname "$0")/../../integration/lib.bash" "$@"
source "$src/tests/faults/checks.bash"
has_fault_hook || skip "this binary has no fault-injection hook (the ASan build has it: make faults)"

n=20000
"$bin" schema --store "$store" 2>"$work/schema.err"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 4 --catalog "$catalog" --count $n \
  --rate 0 --users 30 --echo >"$work/events.jsonl" 2>"$work/produce.err"
stream=($(stream_cmd mid-write) --batch-size 1000)
status=0
PLAYSTREAM_FAULT=store_mid_write:3 "${stream[@]}" 2>"$work/killed.err" || status=$?
expect_killed $status "$work/killed.err" store_mid_write
at_kill=$(cql_count)
echo "$at_kill rows stored at the kill"
[ "$at_kill" -ge 2500 ] && [ "$at_kill" -lt $n ] || fail "expected two batches and half a third stored, got $at_kill"
"${stream[@]}" --exit-when-idle 5 2>"$work/restart.err" || fail "the restart failed"
cql_ids >"$work/stored.list"
check_exactly_once "$work/events.jsonl" "$work/stored.list"
