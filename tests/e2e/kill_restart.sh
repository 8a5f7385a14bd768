#!/usr/bin/env bash
# A `stream` killed with SIGKILL mid-run and restarted loses nothing and stores nothing twice.
source "$(dirname "$0")/lib.bash" "$@"

n=150000
start_broker --topic listens:4
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count $n --rate 0 \
  --users 40 --partitions 4 --seed 11 --echo >"$work/events.jsonl" 2>"$work/produce.err"
check "events produced" "$(wc -l <"$work/events.jsonl")" "$n"

db=$work/listens.db
# The default batching (no timer, batches in flight while reading goes on, commits asynchronous):
# the kill lands in the pipelined path. A short session timeout lets the restarted member take over the dead one's partitions quickly.
stream=("$bin" stream --brokers "$brokers" --topic listens --group kill-test --catalog "$catalog"
        --store "sqlite:$db" --batch-size 500 -X session.timeout.ms=6000 -X max.poll.interval.ms=10000)
"${stream[@]}" 2>"$work/stream1.err" &
victim=$!
pids+=($victim)
for _ in $(seq 600); do
  [ "$(rows "$db")" -gt 20000 ] && break
  sleep 0.05
done
kill -9 $victim
wait $victim 2>/dev/null || true
at_kill=$(rows "$db")
echo "killed stream with $at_kill of $n rows stored"
[ "$at_kill" -gt 0 ] && [ "$at_kill" -lt $n ] || fail "the kill did not land mid-run ($at_kill rows)"

"${stream[@]}" --exit-when-idle 8 --report-interval 1 2>"$work/stream2.err"
grep -q "rejected=0" "$work/stream2.err" || fail "restarted stream rejected messages"
check "rows after restart" "$(rows "$db")" "$n"
check "distinct ids" "$(sqlite3 "$db" "SELECT count(DISTINCT id) FROM listening_history")" "$n"
# The very ids produced, nothing else.
grep -o '"id":[0-9]*' "$work/events.jsonl" | cut -d: -f2 | sort >"$work/produced.ids"
sqlite3 "$db" "SELECT id FROM listening_history" | sort >"$work/stored.ids"
cmp -s "$work/produced.ids" "$work/stored.ids" || fail "stored ids differ from produced ids"
echo "ok: stored ids are exactly the produced ids"
