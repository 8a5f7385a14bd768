#!/usr/bin/env bash
# Messages the broker deleted before `stream` read them are reported, counted, and with
# --on-data-loss fail stop the stream, instead of a silent jump to the log's start.
source "$(dirname "$0")/lib.bash" "$@"
command -v kcat >/dev/null || fail "kcat is not installed (scripts/install-deps.sh)"

start_broker --topic listens:1
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count 10 --rate 0 \
  --seed 1 2>"$work/produce.err"
db=$work/listens.db
stream=("$bin" stream --brokers "$brokers" --topic listens --catalog "$catalog" --store "sqlite:$db"
        --exit-when-idle 2 --report-interval 0)
# Two groups read and commit the first 10 messages.
"${stream[@]}" --group keep-going 2>"$work/first.err"
"${stream[@]}" --group strict 2>"$work/first2.err"
check "rows after the first run" "$(rows "$db")" 10

# ~6 MB more: the embedded broker keeps ~5 MB per partition, so offsets 10.. are deleted.
python3 -c 'import sys; [sys.stdout.write("x" * 100000 + "\n") for _ in range(60)]' >"$work/big"
kcat -P -b "$brokers" -t listens -p 0 -l "$work/big"
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count 5 --rate 0 \
  --seed 2 2>"$work/produce2.err"

rc=0
"${stream[@]}" --group strict --on-data-loss fail 2>"$work/strict.err" || rc=$?
check "exit status with --on-data-loss fail" "$rc" 1
grep -q "data loss: listens/0: committed offset 10" "$work/strict.err" || fail "no data-loss error"
check "rows after the failing run" "$(rows "$db")" 10

"${stream[@]}" --group keep-going 2>"$work/second.err"
line=$(grep "error: data loss: listens/0: committed offset 10" "$work/second.err") \
  || fail "no data-loss error line"
echo "$line"
start=$(echo "$line" | sed -n 's/.*next offset available is \([0-9]*\).*/\1/p')
skipped=$(echo "$line" | sed -n 's/.*: \([0-9]*\) messages were deleted.*/\1/p')
[ -n "$start" ] && [ "$start" -gt 10 ] || fail "no new start offset in the error line"
check "messages skipped" "$skipped" "$(( start - 10 ))"
grep -q "skipped=$skipped" "$work/second.err" || fail "summary does not count skipped=$skipped"
check "rows after the run past the loss" "$(rows "$db")" 15
