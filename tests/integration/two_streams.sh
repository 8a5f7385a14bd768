#!/usr/bin/env bash
# Two `stream` processes in one group share the partitions; stopping one hands its partitions to
# the other with nothing lost and nothing stored twice.
source "$(dirname "$0")/lib.bash" "$@"

"$bin" schema --store "$store" 2>"$work/schema.err"
"$src/scripts/local-cluster" kafka-topics --create --topic "$topic" --partitions 4 >"$work/topic.err" 2>&1
$(stream_cmd pair) --report-interval 1 2>"$work/a.err" &
a=$!
pids+=($a)
$(stream_cmd pair) --exit-when-idle 8 --report-interval 1 2>"$work/b.err" &
b=$!
pids+=($b)
# Both members hold partitions before the first event, so the topic is really shared.
for _ in $(seq 300); do
  grep -q "assigned [1-9]" "$work/a.err" && grep -q "assigned [1-9]" "$work/b.err" && break
  sleep 0.1
done
"$bin" produce --brokers "$kafka" --topic "$topic" --catalog "$catalog" --count 40000 \
  --rate 4000 --users 40 --echo >"$work/events.jsonl" 2>"$work/produce.err" &
producer=$!
pids+=($producer)
sleep 5
kill -TERM $a
wait $a || fail "stream A did not stop cleanly on SIGTERM"
wait $producer
wait $b || fail "stream B failed"
consumed() { sed -n 's/^stream: done: consumed=\([0-9]*\).*/\1/p' "$1"; }
ca=$(consumed "$work/a.err"); cb=$(consumed "$work/b.err")
echo "stream A consumed $ca, stream B consumed $cb"
[ "$ca" -gt 0 ] && [ "$cb" -gt 0 ] || fail "the two streams did not share the topic"
check "messages consumed by the pair" $((ca + cb)) 40000
verify "$work/events.jsonl"
