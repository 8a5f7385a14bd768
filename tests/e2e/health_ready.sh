#!/usr/bin/env bash
# /health/ready turns 503, with its reason, while the store does not answer (the SQLite file held
# locked by another process), and 200 again once it does; no row is lost on the way.
source "$(dirname "$0")/lib.bash" "$@"
source "$(dirname "$0")/http_lib.bash"

start_broker --topic listens:1
db=$work/listens.db
"$bin" stream --brokers "$brokers" --topic listens --catalog "$catalog" --store "sqlite:$db" \
  --http 127.0.0.1:0 --flush-interval 50 --report-interval 0 2>"$work/stream.err" &
stream=$!
pids+=($stream)
wait_http_address "$work/stream.err"
check "live at once" "$(http_status /health/live)" 200

n=2400  # 12 s at 200/s: events keep coming while the store is locked
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count $n --rate 200 \
  --users 10 --seed 4 2>"$work/produce.err" &
producer=$!
pids+=($producer)

wait_ready() { # wait_ready STATUS SECONDS
  for _ in $(seq $(($2 * 10))); do
    [ "$(http_status /health/ready)" == "$1" ] && return 0
    sleep 0.1
  done
  fail "/health/ready is not $1 after $2 s: $(curl -s "http://$http/health/ready")"
}
wait_ready 200 20
for _ in $(seq 100); do [ "$(metric playstream_records_stored_total)" -gt 0 ] && break; sleep 0.1; done
[ "$(metric playstream_records_stored_total)" -gt 0 ] || fail "nothing stored before the lock"

# Another process holds an exclusive transaction on the file for 8 s: every write waits.
python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(8)
db.execute("COMMIT")
' "$db" >"$work/lock.out" 2>"$work/lock.err" &
locker=$!
pids+=($locker)
for _ in $(seq 50); do grep -q locked "$work/lock.out" && break; sleep 0.1; done
grep -q locked "$work/lock.out" || fail "could not lock the database"

wait_ready 503 8
reason=$(curl -s "http://$http/health/ready")
echo "ready while locked: $reason"
[[ "$reason" =~ ^store\ (has\ not\ answered\ a\ write|unreachable)\ for\ [0-9]+\ s$ ]] ||
  fail "unexpected reason: '$reason'"
check "live while the store hangs" "$(http_status /health/live)" 200

wait $locker
wait_ready 200 15
echo "ok: ready again after the lock was released"
wait $producer
wait_metric playstream_records_stored_total $n 20
kill -TERM $stream
wait $stream || fail "stream did not exit cleanly"
check "rows" "$(rows "$db")" "$n"
