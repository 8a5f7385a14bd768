#!/usr/bin/env bash
# The command-line contract users and scripts rely on: names, outputs and exit codes.
source "$(dirname "$0")/lib.bash" "$@"

status() { set +e; "$@" >"$work/out" 2>"$work/err"; echo $?; set -e; }

# Exit codes: 2 for usage errors, 1 for runtime failures, with what and where on stderr.
check "no subcommand" "$(status "$bin")" 2
check "produce without --brokers" "$(status "$bin" produce --topic t --catalog "$catalog")" 2
check "songs without --hour" "$(status "$bin" query songs --store "sqlite:$work/x.db" --user a --date 2024-01-01)" 2
check "bad --date" "$(status "$bin" query songs --store "sqlite:$work/x.db" --user a --date 2024-02-30 --hour 1)" 2
check "unknown store scheme" "$(status "$bin" schema --store "mysql://x")" 2
check "missing catalogue" "$(status "$bin" stream --brokers 127.0.0.1:1 --topic t --catalog "$work/none.csv" --store "sqlite:$work/x.db")" 1
grep -q "$work/none.csv" "$work/err" || fail "error does not name the missing catalogue"
printf 'name,artists,duration_ms,album_name,album_release_date,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo\nA,B,1,C,2020,0.1,0.2,1,-1,1,0.1,0.1,0,0.1,0.1,100\nA,B,1,C,2020,0.1,loud,1,-1,1,0.1,0.1,0,0.1,0.1,100\n' >"$work/bad.csv"
check "bad catalogue row" "$(status "$bin" produce --brokers 127.0.0.1:1 --topic t --catalog "$work/bad.csv" --count 1)" 1
grep -q "bad.csv:3:" "$work/err" || fail "error does not name file and line: $(cat "$work/err")"

# schema creates the table.
check "schema" "$(status "$bin" schema --store "sqlite:$work/s.db")" 0
check "tables exist" "$(sqlite3 "$work/s.db" ".tables" | xargs)" "listening_history listening_hours listening_users"

# broker --port gives a fixed bootstrap address that clients can use.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_broker --port "$port" --topic listens:2
check "bootstrap line" "$brokers" "127.0.0.1:$port"

# produce --echo: stdout carries only the events, one JSON object a line.
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count 300 --rate 0 \
  --users 3 --user "Zoë Fixed" --seed 5 --compression lz4 --echo >"$work/a.jsonl" 2>"$work/produce.err"
python3 - "$work/a.jsonl" <<'PY'
import json, sys
events = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert len(events) == 300, len(events)
for e in events:
    assert set(e) == {"id", "name", "song", "song_id", "time"}, e
    assert isinstance(e["id"], int) and e["id"] >= 0 and isinstance(e["song_id"], int)
assert len({e["id"] for e in events}) == 300, "ids not unique"
assert len({e["name"] for e in events}) == 4 and any(e["name"] == "Zoë Fixed" for e in events)
print("ok: 300 well-formed events over 4 users")
PY
# The same seed gives the same users, songs and ids.
"$bin" produce --brokers "$brokers" --topic other --catalog "$catalog" --count 300 --rate 0 \
  --users 3 --user "Zoë Fixed" --seed 5 --echo >"$work/b.jsonl" 2>>"$work/produce.err"
strip_time() { sed 's/"time":"[^"]*"//' "$1"; }
[ "$(strip_time "$work/a.jsonl")" == "$(strip_time "$work/b.jsonl")" ] || fail "--seed is not deterministic"
echo "ok: --seed repeats the run"

# --rate paces: 20 events at 40/s take about half a second.
start_ns=$(date +%s%N)
"$bin" produce --brokers "$brokers" --topic paced --catalog "$catalog" --count 20 --rate 40 --users 1 2>>"$work/produce.err"
elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
[ $elapsed_ms -ge 450 ] || fail "--rate 40 sent 20 events in ${elapsed_ms} ms"
echo "ok: --rate paces (${elapsed_ms} ms for 20 events at 40/s)"

# stream, then the three queries in every format.
db=$work/q.db
"$bin" stream --brokers "$brokers" --topic listens --catalog "$catalog" --store "sqlite:$db" \
  --exit-when-idle 4 --report-interval 1 -X session.timeout.ms=6000 2>"$work/stream.err"
grep -q "stream: done: consumed=300 stored=300 rejected=0" "$work/stream.err" || fail "stream summary: $(tail -1 "$work/stream.err")"
# Progress lines: recent_age covers only what was stored since the line before, so it appears
# while rows are stored and is gone from the idle lines at the end; age_at_ack stays.
grep ' rate=' "$work/stream.err" | grep -q 'stored=300 .*recent_age: p50=' || fail "no progress line with recent_age"
last=$(grep ' rate=' "$work/stream.err" | tail -1)
[[ $last == *"stored=300 "*"age_at_ack: p50="* && $last != *recent_age* ]] || fail "last (idle) progress line: $last"
echo "ok: progress lines carry the interval's ages"
read -r date hour < <(sqlite3 -separator ' ' "$db" "SELECT date, hour FROM listening_history WHERE name = 'Zoë Fixed' LIMIT 1")
want=$(sqlite3 "$db" "SELECT count(*) FROM listening_history WHERE name = 'Zoë Fixed' AND date = '$date' AND hour = $hour")
key=(--user "Zoë Fixed" --date "$date" --hour "$hour")
"$bin" query songs --store "sqlite:$db" "${key[@]}" --format json --out "$work/songs.json"
check "songs (json, --out)" "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$work/songs.json")" "$want"
"$bin" query stats --store "sqlite:$db" "${key[@]}" --format csv >"$work/stats.csv"
check "stats listens (csv)" "$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); print(r[0]["listens"])' "$work/stats.csv")" "$want"
expect_tempo=$(sqlite3 "$db" "SELECT avg(tempo) FROM listening_history WHERE name = 'Zoë Fixed' AND date = '$date' AND hour = $hour")
python3 - "$work/stats.csv" "$expect_tempo" <<'PY'
import csv, sys
row = next(csv.DictReader(open(sys.argv[1])))
assert abs(float(row["avg_tempo"]) - float(sys.argv[2])) < 1e-9, (row["avg_tempo"], sys.argv[2])
print("ok: stats avg_tempo matches sqlite3's own average")
PY
"$bin" query sample --store "sqlite:$db" --limit 7 >"$work/sample.txt"
grep -q "^(7 rows)$" "$work/sample.txt" || fail "sample table: $(tail -1 "$work/sample.txt")"
echo "ok: sample prints a table of 7 rows"
