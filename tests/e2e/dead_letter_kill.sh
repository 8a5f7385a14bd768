#!/usr/bin/env bash
# With a dead-letter topic, a `stream` killed with SIGKILL mid-run and restarted loses nothing:
# every good message is stored once, every bad one dead-lettered at least once.
source "$(dirname "$0")/lib.bash" "$@"
command -v kcat >/dev/null || fail "kcat is not installed (scripts/install-deps.sh)"

start_broker --topic listens:4 --topic dlq:1
# Good and bad messages interleaved in four rounds, so bad ones come before and after the kill.
: >"$work/events.jsonl"
: >"$work/bad.keys"
for round in 1 2 3 4; do
  "$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count 30000 --rate 0 \
    --users 40 --seed $round --echo >>"$work/events.jsonl" 2>"$work/produce.err"
  for i in $(seq 50); do echo "bad-$round-$i:not json $round $i"; done >"$work/bad.$round"
  kcat -P -b "$brokers" -t listens -K: -l "$work/bad.$round"
  cut -d: -f1 "$work/bad.$round" >>"$work/bad.keys"
done
n=$(wc -l <"$work/events.jsonl")

db=$work/listens.db
# The default batching: batches and letters in flight while reading goes on (the pipelined path).
stream=("$bin" stream --brokers "$brokers" --topic listens --group kill-dlq --catalog "$catalog"
        --store "sqlite:$db" --dead-letter-topic dlq --batch-size 500
        -X session.timeout.ms=6000 -X max.poll.interval.ms=10000)
"${stream[@]}" 2>"$work/stream1.err" &
victim=$!
pids+=($victim)
for _ in $(seq 600); do
  [ "$(rows "$db")" -gt 40000 ] && break
  sleep 0.05
done
kill -9 $victim
wait $victim 2>/dev/null || true
at_kill=$(rows "$db")
echo "killed stream with $at_kill of $n rows stored"
[ "$at_kill" -gt 0 ] && [ "$at_kill" -lt "$n" ] || fail "the kill did not land mid-run ($at_kill rows)"

"${stream[@]}" --exit-when-idle 8 2>"$work/stream2.err"
check "rows after restart" "$(rows "$db")" "$n"
check "distinct ids" "$(sqlite3 "$db" "SELECT count(DISTINCT id) FROM listening_history")" "$n"
grep -o '"id":[0-9]*' "$work/events.jsonl" | cut -d: -f2 | sort >"$work/produced.ids"
sqlite3 "$db" "SELECT id FROM listening_history" | sort >"$work/stored.ids"
cmp -s "$work/produced.ids" "$work/stored.ids" || fail "stored ids differ from produced ids"

kcat -C -b "$brokers" -t dlq -o beginning -e -q -f '%k\n' | sort -u >"$work/dlq.keys"
sort -u "$work/bad.keys" >"$work/bad.sorted"
cmp -s "$work/bad.sorted" "$work/dlq.keys" || {
  comm -3 "$work/bad.sorted" "$work/dlq.keys" | head >&2
  fail "the dead-letter topic does not hold exactly the bad messages"
}
echo "ok: all $(wc -l <"$work/bad.sorted") bad messages dead-lettered (some maybe twice), none lost"
