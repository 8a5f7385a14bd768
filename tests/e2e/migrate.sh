#!/usr/bin/env bash
# The classroom table: `stream`, `schema` and `query` recognise it and stop without writing;
# `migrate` copies it into ours (SQLite to SQLite here; tests/integration/migrate_cassandra.sh
# does it from a real Cassandra), in slices with --resume, with its rejects counted by reason.
source "$(dirname "$0")/lib.bash" "$@"

old=$work/classroom.db
# The classroom's own CQL (schema/classroom.cql) as SQLite takes it: no keyspace, no partition key.
sed 's/spotify\.//; s/((name, date, hour), time)/(name, date, hour, time)/' "$src/schema/classroom.cql" | sqlite3 "$old"
# 3,000 listens over 1,000 partitions (user0..user199, hours 0-4, 3 minutes each), the features as stored differing
# from the catalogue's; then one row for each reason a row cannot be migrated.
sqlite3 "$old" "
WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 2999)
INSERT INTO listening_history
SELECT 'user' || (n % 200), '2024-03-03', n / 200 % 5, printf('2024-03-03 %02d:%02d', n / 200 % 5, n / 1000), n,
       CASE n % 3 WHEN 0 THEN 'Copper Horizon' WHEN 1 THEN 'Static Bloom' ELSE 'Harbor Lights at Four' END,
       'Stored Artist', 1000, 'Stored Album', '2001', 0.125, 0.25, 7, -1.5, 1, 0.5, 0.75, 0.0625, 0.375, 0.875, 99.5
FROM i;
INSERT INTO listening_history (name, date, hour, time, id, song) VALUES
  ('pm', '2024-03-03', 3, '2024-03-03 3:15 PM', 1, 'Copper Horizon'),
  ('gone', '2024-03-03', 1, '2024-03-03 01:00', 2, 'No Such Song'),
  ('shifted', '2024-03-03', 9, '2024-03-03 01:00', 3, 'Copper Horizon'),
  (NULL, '2024-03-03', 1, '2024-03-03 01:00', 4, 'Copper Horizon');"
total=3004
dump() { sqlite3 "$1" ".dump listening_history" | md5sum; }
before=$(dump "$old")

# expect CODE WHAT_STDERR_SAYS -- ARGS...
expect() {
  local code=$1 says=$2; shift 3
  set +e
  timeout 60 "$bin" "$@" >"$work/out" 2>"$work/err"
  local got=$?
  set -e
  [ "$got" == "$code" ] || fail "$* exited $got, expected $code: $(head -c 600 "$work/err")"
  grep -qF -- "$says" "$work/err" || fail "$*: stderr does not say '$says': $(head -c 600 "$work/err")"
  echo "ok: $* -> $code"
}

# 1. Recognised, and left as it was.
expect 1 "listening_history there is the classroom's table" -- schema --store "sqlite:$old"
expect 1 "playstream migrate --from sqlite:$old --to NEW_STORE_URI" -- query sample --store "sqlite:$old"
expect 1 "\`time\` a timestamp, \`id\` bigint" -- \
  stream --brokers 127.0.0.1:1 --topic t --catalog "$catalog" --store "sqlite:$old"
check "classroom table untouched" "$(dump "$old")" "$before"
check "no table added" "$(sqlite3 "$old" .tables)" "listening_history"

odd=$work/odd.db
sqlite3 "$odd" "CREATE TABLE listening_history (name TEXT, date TEXT, hour INTEGER, time TEXT, id INTEGER,
  PRIMARY KEY (name, date, hour, time, id))"
expect 1 "neither playstream's table nor the classroom's" -- schema --store "sqlite:$odd"
grep -qF "time is text (ours: integer); song missing (ours: text)" "$work/err" || fail "differences: $(cat "$work/err")"

# 2. Migrated in slices: two ranges (the NULL-key rows, then 256 partitions), then the rest.
new=$work/ours.db
migrate=(migrate --from "sqlite:$old" --to "sqlite:$new" --catalog "$catalog" --state-file "$work/state"
         --rejects "$work/rejects.csv")
expect 0 "stopped (--resume continues)" -- "${migrate[@]}" --max-ranges 2
sliced=$(rows "$new")
[ "$sliced" -gt 0 ] && [ "$sliced" -lt 3000 ] || fail "after two ranges the target holds $sliced rows"
echo "ok: two ranges wrote $sliced rows"
expect 2 "a migration state is there already: --resume continues it" -- "${migrate[@]}"
expect 0 "done: read=$total written=3000 rejected=4 bad_time=1 key_mismatch=1 missing_field=1 unknown_song=1 partitions_checked=1000 partitions_mismatched=0" \
  -- "${migrate[@]}" --resume
check "rows in ours" "$(rows "$new")" 3000
check "rejects file: header and one line per reject" "$(wc -l <"$work/rejects.csv")" 5
check "rejects by reason" "$(tail -n +2 "$work/rejects.csv" | cut -d, -f1 | sort | tr '\n' ' ')" \
  "bad_time key_mismatch missing_field unknown_song "
grep -q '^bad_time,.*2024-03-03 3:15 PM' "$work/rejects.csv" || fail "bad_time line: $(cat "$work/rejects.csv")"
expect 0 "already finished" -- "${migrate[@]}" --resume

# 3. The rows are ours: time as UTC epoch ms with the hour as written, id kept, song_id from the
#    catalogue's first song of that name, features and song fields as stored.
check "user0's first listen" "$(sqlite3 "$new" "SELECT time, id, song, artists, danceability, tempo, musical_key
  FROM listening_history WHERE name = 'user0' AND hour = 0 AND id = 0")" "1709424000000|0|Copper Horizon|Stored Artist|0.125|99.5|7"
check "one song_id per song name" "$(sqlite3 "$new" "SELECT count(DISTINCT song_id) FROM listening_history")" 3
# The same join `stream` makes: a classroom message for the same song gets the same song_id.
stream_db=$work/streamed.db
start_broker --topic listens:1
echo '{"id": 9, "name": "probe", "song": "Static Bloom", "time": "2024-03-03 10:15"}' |
  kcat -P -b "$brokers" -t listens 2>/dev/null
"$bin" stream --brokers "$brokers" --topic listens --catalog "$catalog" --store "sqlite:$stream_db" \
  --exit-when-idle 2 --max-messages 1 2>"$work/stream.err"
check "song_id as stream joins it" "$(sqlite3 "$new" "SELECT DISTINCT song_id FROM listening_history WHERE song = 'Static Bloom'")" \
  "$(sqlite3 "$stream_db" "SELECT song_id FROM listening_history")"
"$bin" query stats --store "sqlite:$new" --user user5 --date 2024-03-03 --hour 0 --format csv >"$work/stats.csv"
check "query reads the migrated table" "$(tail -1 "$work/stats.csv" | cut -d, -f1-5)" "user5,2024-03-03,0,3,0.125"

# 4. The same migration in one go gives the same table.
expect 0 "done: read=$total written=3000" -- migrate --from "sqlite:$old" --to "sqlite:$work/once.db" \
  --catalog "$catalog" --state-file "$work/state.once" --rejects "$work/rejects.once.csv"
check "sliced and one-go migrations agree" "$(dump "$work/once.db")" "$(dump "$new")"
check "rejects files agree" "$(md5sum <"$work/rejects.once.csv")" "$(md5sum <"$work/rejects.csv")"

# 4b. The per-partition check sees a target that holds rows the migration did not write.
sqlite3 "$work/once.db" "INSERT INTO listening_history (name, date, hour, time, id, song)
  VALUES ('user7', '2024-03-03', 0, 1709424000000 + 1, 999999, 'Copper Horizon')"
expect 1 "partition (user7, 2024-03-03, 0) holds 4 rows, 3 were written into it" -- migrate --from "sqlite:$old" \
  --to "sqlite:$work/once.db" --catalog "$catalog" --state-file "$work/state.again" --rejects "$work/r.again.csv"
grep -qF "partitions_checked=1000 partitions_mismatched=1" "$work/err" || fail "summary: $(tail -2 "$work/err")"

# 5. Misuse.
expect 1 "listening_history is playstream's table already" -- \
  migrate --from "sqlite:$new" --to "sqlite:$work/x.db" --catalog "$catalog" --state-file "$work/s2"
expect 1 "listening_history there is the classroom's table" -- \
  migrate --from "sqlite:$old" --to "sqlite:$old" --catalog "$catalog" --state-file "$work/s3"
expect 1 "no migration state to resume from" -- migrate --from "sqlite:$old" --to "sqlite:$new" \
  --catalog "$catalog" --state-file "$work/none" --resume
check "classroom table still untouched" "$(dump "$old")" "$before"
