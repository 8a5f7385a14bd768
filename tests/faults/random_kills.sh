#!/usr/bin/env bash
# `stream` killed with SIGKILL at 20 random moments of a run while events keep arriving, and
# restarted each time: every produced event stored exactly once (ids read back with sqlite3).
# The moments come from a seed, printed first; replay a failure with PLAYSTREAM_FAULT_SEED=SEED.
# PLAYSTREAM_FAULT_KILLS sets the number of kills (`make faults` runs more).
source "$(dirname "$0")/lib.bash" "$@"

seed=${PLAYSTREAM_FAULT_SEED:-$(( $(date +%s%N) % 1000000007 ))}
kills=${PLAYSTREAM_FAULT_KILLS:-20}
echo "seed $seed, $kills kills (replay: PLAYSTREAM_FAULT_SEED=$seed)"
RANDOM=$seed

# Events keep arriving through the kills, at 200/s: about 7 s of them per kill, the time a
# restarted member takes to get the dead one's partitions (the group waits out its session).
n=$((kills * 1500))
start_broker --topic listens:4
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count $n --rate 200 \
  --users 40 --partitions 4 --seed "$seed" --echo >"$work/events.jsonl" 2>"$work/produce.err" &
producer=$!
pids+=($producer)

db=$work/listens.db
# The default batching (no timer; up to 4 batches in flight on SQLite's writer thread, commits
# asynchronous), so the kills land in the pipelined path. Sessions of 4 s (the embedded broker's first join of a group takes 3 s; a shorter session
# would expire during it).
stream=("$bin" stream --brokers "$brokers" --topic listens --group random-kills --catalog "$catalog"
        --store "sqlite:$db" --batch-size 300
        -X session.timeout.ms=4000 -X heartbeat.interval.ms=500)
landed=0
for k in $(seq "$kills"); do
  # The moment: 0 to 1.5 s after the restarted member got its partitions.
  delay_ms=$((RANDOM % 1500))
  : >"$work/stream.err"
  "${stream[@]}" 2>"$work/stream.err" &
  victim=$!
  pids+=($victim)
  for _ in $(seq 300); do
    grep -q "stream: assigned [1-9]" "$work/stream.err" && break
    sleep 0.05
  done
  before=$(rows "$db")
  sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
  kill -9 $victim
  wait $victim 2>/dev/null || true
  after=$(rows "$db")
  [ "$after" -gt "$before" ] && landed=$((landed + 1))
  echo "kill $k: ${delay_ms} ms after the assignment, $after rows stored"
done
echo "$landed of $kills kills landed while rows were being stored"
[ "$landed" -ge $((kills / 4)) ] || fail "too few kills landed mid-run ($landed): the test proves little"

wait $producer || fail "produce failed: $(tail -1 "$work/produce.err")"
check "events produced" "$(wc -l <"$work/events.jsonl")" "$n"
"${stream[@]}" --exit-when-idle 3 2>"$work/final.err" || fail "the final stream failed"
sqlite_ids "$db" >"$work/stored.list"
check_exactly_once "$work/events.jsonl" "$work/stored.list"
