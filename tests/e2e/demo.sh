#!/usr/bin/env bash
# `playstream demo` runs the whole pipeline on embedded defaults and writes the three results.
source "$(dirname "$0")/lib.bash" "$@"

(cd "$work" && "$bin" demo --events 1500 --out results >demo.out 2>demo.err)
grep -q "1500 events produced, 1500 stored, 1500 rows" "$work/demo.out" || fail "demo: $(tail -1 "$work/demo.out")"
check "rows in the demo's SQLite file" "$(rows "$work/results/playstream.db")" 1500
for f in sample songs stats; do [ -s "$work/results/$f.csv" ] || fail "results/$f.csv missing"; done
check "sample rows" "$(($(wc -l <"$work/results/sample.csv") - 1))" 50
user_rows=$(sqlite3 "$work/results/playstream.db" \
  "SELECT count(*) FROM listening_history WHERE name = 'Alex Rivera' AND (date, hour) = (SELECT date, hour FROM listening_history WHERE name = 'Alex Rivera' ORDER BY time DESC LIMIT 1)")
check "songs of the fixed user's hour" "$(($(wc -l <"$work/results/songs.csv") - 1))" "$user_rows"
