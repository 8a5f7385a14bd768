#!/usr/bin/env bash
# 20,000 events through real Kafka into real Cassandra: each stored exactly once (row count per
# partition, read by cqlsh), features equal to the catalogue's, stats equal to values computed here.
source "$(dirname "$0")/lib.bash" "$@"

"$bin" schema --store "$store" 2>"$work/schema.err"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 4 --catalog "$catalog" --count 20000 \
  --rate 0 --users 40 --echo >"$work/events.jsonl" 2>"$work/produce.err"
$(stream_cmd real) --exit-when-idle 5 2>"$work/stream.err"
grep -q "stream: done: consumed=20000 stored=20000 rejected=0" "$work/stream.err" || fail "$(tail -1 "$work/stream.err")"
# Rows of one partition went as batches (40 users, a backlog): the node took them without a warning.
! grep -a "warned about a write" "$work/stream.err" || fail "Cassandra warned about a write"
verify "$work/events.jsonl"
# The classroom's three queries, unchanged, for the busiest user-hour.
read -r user date hour < <(python3 -c '
import collections, json, sys
c = collections.Counter((e["name"], e["time"][:10], int(e["time"][11:13])) for e in map(json.loads, open(sys.argv[1])))
(n, d, h), _ = c.most_common(1)[0]
print(n.replace(" ", "\x1f"), d, h)' "$work/events.jsonl")
user=${user//$'\x1f'/ }
python3 "$src/tests/integration/classroom_queries.py" "$keyspace" "$user" "$date" "$hour" "$bin" "$store" \
  "$PLAYSTREAM_CQLSH" "${PLAYSTREAM_CQLSH_ARGS[@]}"
