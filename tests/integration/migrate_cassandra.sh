#!/usr/bin/env bash
# A real classroom table in Cassandra, made with the classroom's own CQL (schema/classroom.cql) and
# filled from the classroom's kind of messages: `stream` and `query` recognise it and write
# nothing; `migrate` copies it, by token ranges in two sittings (--max-ranges, --resume), into a
# keyspace of ours, where each partition holds the rows it should and the classroom's three
# queries run.
source "$(dirname "$0")/lib.bash" "$@"

old=movein_old_$run_id
new=movein_new_$run_id
drop() { cqlsh -e "DROP KEYSPACE IF EXISTS $old; DROP KEYSPACE IF EXISTS $new;" >/dev/null 2>&1 || true; }
trap 'status=$?; drop; (exit $status); cleanup' EXIT
hosts=$PLAYSTREAM_CASSANDRA_HOSTS

cqlsh -e "CREATE KEYSPACE $old WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};"
sed "s/spotify\./$old./" "$src/schema/classroom.cql" >"$work/classroom.cql"
cqlsh -f "$work/classroom.cql"
python3 "$src/tests/integration/classroom_rows.py" "$catalog" "$old" 600 "$work/messages.jsonl" "$work/rows.cql"
cqlsh -f "$work/rows.cql"
old_count() { cqlsh -e "CONSISTENCY QUORUM; SELECT count(*) FROM $old.listening_history;" 2>/dev/null |
  awk '/^ *[0-9]+ *$/ {print $1}' | tail -1; }
check "classroom rows" "$(old_count)" 600
tables() { cqlsh -e "SELECT table_name FROM system_schema.tables WHERE keyspace_name = '$old';" |
  grep -c listening_history; }

# Recognised: one message, exit 1, nothing written.
set +e
"$bin" stream --brokers "$kafka" --topic "$topic" --catalog "$catalog" --store "cassandra://$hosts/$old" \
  --exit-when-idle 2 2>"$work/stream.err"
code=$?
"$bin" query sample --store "cassandra://$hosts/$old" 2>"$work/query.err"
qcode=$?
set -e
check "stream on the classroom table exits" "$code" 1
check "query on the classroom table exits" "$qcode" 1
for f in stream query; do
  grep -qF "listening_history there is the classroom's table" "$work/$f.err" || fail "$f: $(cat "$work/$f.err")"
  grep -qF "playstream migrate --from cassandra://$hosts/$old" "$work/$f.err" || fail "$f: $(cat "$work/$f.err")"
done
check "classroom rows untouched" "$(old_count)" 600
check "no table added" "$(tables)" 1

# Migrated in two sittings.
migrate=("$bin" migrate --from "cassandra://$hosts/$old" --to "cassandra://$hosts/$new" --catalog "$catalog"
         --token-ranges 16 --page-size 50 --state-file "$work/state" --rejects "$work/rejects.csv")
"${migrate[@]}" --max-ranges 5 2>"$work/m1.err" || fail "migrate: $(tail -3 "$work/m1.err")"
grep -q "stopped (--resume continues)" "$work/m1.err" || fail "$(tail -1 "$work/m1.err")"
grep -q "^position 5/16$" "$work/state" || fail "state: $(cat "$work/state")"
"${migrate[@]}" --resume --report-interval 0.1 2>"$work/m2.err" || fail "migrate --resume: $(tail -3 "$work/m2.err")"
grep -q "token range [0-9]*/16 done" "$work/m2.err" || fail "no progress line: $(cat "$work/m2.err")"
grep -q "migrate: done: read=600 written=599 rejected=1 unknown_song=1 partitions_checked=[0-9]* partitions_mismatched=0" \
  "$work/m2.err" || fail "$(tail -1 "$work/m2.err")"
grep -q "^unknown_song,.*A Song Nobody Catalogued" "$work/rejects.csv" || fail "rejects: $(cat "$work/rejects.csv")"

# Each partition holds what the messages say, read by cqlsh; the classroom's queries run.
HERE="$src/tests/integration" python3 - "$work/messages.jsonl" "$new" "$PLAYSTREAM_CQLSH" "${PLAYSTREAM_CQLSH_ARGS[@]}" <<'PY'
import collections, json, os, sys
sys.path.insert(0, os.environ["HERE"])
from cqlsh_rows import cqlsh_rows
messages, keyspace, cqlsh = sys.argv[1], sys.argv[2], sys.argv[3:]
want = collections.Counter()
for m in map(json.loads, open(messages)):
    if m["song"] != "A Song Nobody Catalogued":
        want[(m["name"], m["time"][:10], int(m["time"][11:13]))] += 1
got = {(r[0], r[1], int(r[2])): int(r[3]) for r in
       cqlsh_rows(cqlsh, f"SELECT name, date, hour, count(*) FROM {keyspace}.listening_history GROUP BY name, date, hour;")}
if got != dict(want):
    sys.exit(f"FAIL: partitions differ: {len(got)} read, {len(want)} expected; first differences "
             f"{[k for k in set(got) | set(want) if got.get(k) != want.get(k)][:5]}")
print(f"ok: {len(got)} partitions hold the rows of the messages")
row = cqlsh_rows(cqlsh, f"SELECT time, id, song_id FROM {keyspace}.listening_history LIMIT 1;")[0]
if not row[0].endswith(":00.000000+0000") or int(row[2]) <= 0:
    sys.exit(f"FAIL: a migrated row: {row}")
print(f"ok: time is a timestamp, song_id set ({row})")
PY
read -r user date hour < <(python3 -c '
import collections, json, sys
c = collections.Counter((e["name"], e["time"][:10], int(e["time"][11:13])) for e in map(json.loads, open(sys.argv[1])))
(n, d, h), _ = c.most_common(1)[0]
print(n.replace(" ", "\x1f"), d, h)' "$work/messages.jsonl")
user=${user//$'\x1f'/ }
python3 "$src/tests/integration/classroom_queries.py" "$new" "$user" "$date" "$hour" "$bin" \
  "cassandra://$hosts/$new" "$PLAYSTREAM_CQLSH" "${PLAYSTREAM_CQLSH_ARGS[@]}"
