#!/usr/bin/env bash
# Deterministic kills at the risky points (src/util/fault_point.hpp), each followed by a restart
# that must store every event exactly once (ids read back with sqlite3):
#   after_ack               the store acknowledged a batch, its offsets not yet committed
#   store_mid_write         rows inserted, the transaction's COMMIT not yet run
#   revoke.begin            a rebalance takes the partitions away, their batch not yet flushed
#   revoke.store_mid_write  ... while that batch is being written
#   revoke.after_ack        ... after it was stored, before its offsets were committed
# Needs a binary built with PLAYSTREAM_FAULT_INJECTION (the ASan build); against any other it
# checks that PLAYSTREAM_FAULT is ignored, as the release binary must, and skips the rest.
source "$(dirname "$0")/lib.bash" "$@"

n=20000
start_broker --topic listens:4
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count $n --rate 0 \
  --users 40 --partitions 4 --seed 5 --echo >"$work/events.jsonl" 2>"$work/produce.err"
check "events produced" "$(wc -l <"$work/events.jsonl")" "$n"

# The stream command for a member of GROUP writing to DB, in $cmd (run directly, so that $! is
# the process itself when it runs in the background).
stream_cmd() { # stream_cmd GROUP DB
  cmd=("$bin" stream --brokers "$brokers" --topic listens --group "$1" --catalog "$catalog"
       --store "sqlite:$2" -X session.timeout.ms=4000 -X heartbeat.interval.ms=500)
}
stream() { # stream GROUP DB [OPTIONS...]
  stream_cmd "$1" "$2"
  shift 2
  "${cmd[@]}" "$@"
}

if ! has_fault_hook; then
  # The release binary: an armed variable must change nothing.
  PLAYSTREAM_FAULT=after_ack:1 stream ignored "$work/ignored.db" --exit-when-idle 2 \
    2>"$work/ignored.err" || fail "stream failed with PLAYSTREAM_FAULT set"
  check "rows stored by a binary without the hook, PLAYSTREAM_FAULT set" "$(rows "$work/ignored.db")" "$n"
  skip "this binary has no fault-injection hook (build with -DPLAYSTREAM_FAULT_INJECTION=ON, as the ASan build is)"
fi

# Kills the stream at POINT:AT, checks what the kill left behind, restarts and checks every id.
# restart_and_check NAME DB: the group's next member drains the topic.
restart_and_check() {
  stream "$1" "$2" --exit-when-idle 2 2>"$work/$1.restart.err" || fail "$1: restarted stream failed"
  sqlite_ids "$2" >"$work/$1.ids"
  check_exactly_once "$work/events.jsonl" "$work/$1.ids"
}

# (a) Stored, not committed: the batch is read again and rewritten, not lost, not doubled.
db=$work/after_ack.db
status=0
PLAYSTREAM_FAULT=after_ack:3 stream after-ack "$db" --batch-size 500 --flush-interval 10000 2>"$work/after_ack.err" || status=$?
expect_killed $status "$work/after_ack.err" after_ack
# Writes are pipelined: the batches after the third (at most 4 in flight) may be stored too, but
# whole batches only, and never fewer than the three acknowledged.
at_kill=$(rows "$db")
(( at_kill >= 1500 && at_kill <= 3500 && at_kill % 500 == 0 )) ||
  fail "rows at the kill: $at_kill, expected the three acknowledged batches and at most 4 more whole ones"
echo "ok: rows at the kill: three acknowledged batches, and whole ones after them ($at_kill)"
restart_and_check after-ack "$db"

# (b) A transaction cut before its COMMIT: SQLite rolls it back, the restart writes it again.
db=$work/mid_write.db
status=0
PLAYSTREAM_FAULT=store_mid_write:3 stream mid-write "$db" --batch-size 500 --flush-interval 10000 2>"$work/mid_write.err" || status=$?
expect_killed $status "$work/mid_write.err" store_mid_write
check "rows at the kill: two committed batches, the third rolled back" "$(rows "$db")" 1000
restart_and_check mid-write "$db"

# (c) Inside a rebalance: member A holds every event in one unflushed batch when member B joins;
# A's revocation flushes it and is killed there. B (and the group) must store everything once.
for point in revoke.begin revoke.store_mid_write revoke.after_ack; do
  db=$work/$point.db
  stream_cmd "$point" "$db"
  PLAYSTREAM_FAULT=$point:1 "${cmd[@]}" --batch-size 1000000 --flush-interval 600000 \
    --report-interval 0.2 2>"$work/$point.a.err" &
  member_a=$!
  pids+=($member_a)
  for _ in $(seq 300); do
    grep -q "consumed=$n " "$work/$point.a.err" && break
    sleep 0.1
  done
  grep -q "consumed=$n " "$work/$point.a.err" || fail "$point: member A never held all $n events"
  check "$point: rows before the rebalance" "$(rows "$db")" 0
  "${cmd[@]}" --batch-size 500 2>"$work/$point.b.err" &
  member_b=$!
  pids+=($member_b)
  status=0
  wait $member_a || status=$?
  expect_killed $status "$work/$point.a.err" "$point"
  kill $member_b
  wait $member_b || fail "$point: member B failed: $(tail -1 "$work/$point.b.err")"
  restart_and_check "$point" "$db"
done
