#!/usr/bin/env bash
# Two `stream` processes in one group share the partitions; stopping one hands its partitions to
# the other with nothing lost and nothing stored twice.
source "$(dirname "$0")/lib.bash" "$@"

"$bin" schema --store "$store" 2>"$work/schema.err"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 4 --catalog "$catalog" --count 40000 \
  --rate 4000 --users 40 --echo >"$work/events.jsonl" 2>"$work/produce.err" &
producer=$!
pids+=($producer)
$(stream_cmd pair) --report-interval 1 2>"$work/a.err" &
a=$!
pids+=($a)
$(stream_cmd pair) --exit-when-idle 8 --report-interval 1 2>"$work/b.err" &
b=$!
pids+=($b)
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
