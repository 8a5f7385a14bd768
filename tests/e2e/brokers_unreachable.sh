#!/usr/bin/env bash
# A lost broker is not a silent hang: `stream` says the brokers are unreachable, and with
# --exit-when-idle that time counts as idle, so it exits 0.
source "$(dirname "$0")/lib.bash" "$@"

# 1. Nothing listening on the port at all.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
db=$work/listens.db
start=$(date +%s)
rc=0
timeout 60 "$bin" stream --brokers "127.0.0.1:$port" --topic listens --group lost --catalog "$catalog" \
  --store "sqlite:$db" --exit-when-idle 3 2>"$work/nobroker.err" || rc=$?
elapsed=$(( $(date +%s) - start ))
check "exit status with no broker" "$rc" 0
[ "$elapsed" -le 15 ] || fail "took $elapsed s to give up on an unreachable broker"
grep -q "brokers unreachable" "$work/nobroker.err" || fail "stream did not say the brokers are unreachable"
echo "ok: gave up after $elapsed s"

# 2. A broker killed while `stream` runs. The idle limit is longer than the session timeout (10 s),
# so the group revokes the partitions first: that used to clear the idle clock for good.
start_broker --topic listens:2
broker_pid=${pids[-1]}
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count 2000 --rate 0 \
  --seed 3 2>"$work/produce.err"
"$bin" stream --brokers "$brokers" --topic listens --group lost --catalog "$catalog" \
  --store "sqlite:$db" --exit-when-idle 12 --report-interval 0 2>"$work/killed.err" &
stream_pid=$!
pids+=($stream_pid)
for _ in $(seq 300); do
  [ "$(rows "$db")" -ge 2000 ] && break
  sleep 0.05
done
check "rows before the broker dies" "$(rows "$db")" 2000
kill -9 "$broker_pid"
start=$(date +%s)
rc=0
for _ in $(seq 400); do kill -0 $stream_pid 2>/dev/null || break; sleep 0.1; done
kill -0 $stream_pid 2>/dev/null && fail "stream still runs 40 s after its broker died"
wait $stream_pid || rc=$?
elapsed=$(( $(date +%s) - start ))
check "exit status after the broker died" "$rc" 0
[ "$elapsed" -le 25 ] || fail "took $elapsed s to exit after the broker died"
grep -q "brokers unreachable" "$work/killed.err" || fail "stream did not say the brokers are unreachable"
echo "ok: exited $elapsed s after the broker died"
