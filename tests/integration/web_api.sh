#!/usr/bin/env bash
# `serve`'s JSON API on Cassandra: a known data set through Kafka and `stream` into our keyspace
# (the listening index written with each batch), then every /api/KIND equals
# `playstream query KIND --format json` for the same arguments, and the index lookups (users,
# dates, hours) and songs/stats equal the same data set's answers from SQLite.
source "$(dirname "$0")/lib.bash" "$@"
drop() {
  cqlsh -e "DROP KEYSPACE IF EXISTS $keyspace;" >/dev/null 2>&1 || true
  "$src/scripts/local-cluster" kafka-topics --delete --topic "$topic" >/dev/null 2>&1 || true
}
trap 'status=$?; drop; (exit $status); cleanup' EXIT
here=$src/tests/e2e/web

python3 "$here/dataset.py" events "$catalog" "$work/events.jsonl"
python3 "$here/dataset.py" expect "$catalog" "$work/expect.json"
count=$(wc -l <"$work/events.jsonl")
"$src/scripts/local-cluster" kafka-topics --create --topic "$topic" --partitions 2 >"$work/topic.err" 2>&1
kcat -P -b "$kafka" -t "$topic" -l "$work/events.jsonl" 2>"$work/kcat.err"
$(stream_cmd web) --max-messages "$count" --exit-when-idle 10 --report-interval 0 2>"$work/stream.err"
check "every event in Cassandra" "$(cql_count)" "$count"
"$bin" stream --brokers "$kafka" --topic "$topic" --group web-sqlite --catalog "$catalog" \
  --store "sqlite:$work/l.db" --max-messages "$count" --exit-when-idle 10 --report-interval 0 2>"$work/sqlite.err"

start_serve serve --store "$store"

user=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["user"])' "$work/expect.json")
hour=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hour"])' "$work/expect.json")
date=2024-03-03
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
same() { # same KIND URL-QUERY CLI-ARGS...: API = query on Cassandra; and = SQLite's (but sample)
  local kind=$1 url=$2; shift 2
  curl -sf "$page/api/$kind?$url" >"$work/api.json" || fail "GET /api/$kind?$url failed"
  "$bin" query "$kind" --store "$store" --format json "$@" >"$work/cli.json"
  cmp -s "$work/api.json" "$work/cli.json" || fail "/api/$kind?$url differs from query $kind $*"
  if [ "$kind" != sample ]; then
    "$bin" query "$kind" --store "sqlite:$work/l.db" --format json "$@" >"$work/sqlite.json"
    cmp -s "$work/api.json" "$work/sqlite.json" || fail "$kind on Cassandra differs from SQLite: $(diff "$work/api.json" "$work/sqlite.json" | head -5)"
  fi
  echo "ok: /api/$kind equals query $kind on Cassandra$([ "$kind" != sample ] && echo ' and SQLite')"
}
key_url="user=$(enc "$user")&date=$date&hour=$hour"
same songs "$key_url" --user "$user" --date $date --hour "$hour"
same stats "$key_url" --user "$user" --date $date --hour "$hour"
same sample "limit=7" --limit 7
same users "prefix=Ad" --prefix Ad --limit 20
same users "prefix=$(enc "<")" --prefix "<" --limit 20
same dates "user=$(enc "$user")" --user "$user"
same hours "user=$(enc "$user")&date=$date" --user "$user" --date $date
python3 - "$work/api.json" "$work/expect.json" <<'PY'
import json, sys
hours = [h["listens"] for h in json.load(open(sys.argv[1]))]
assert hours == json.load(open(sys.argv[2]))["hours"], hours
print("ok: hours on Cassandra equal the events'")
PY
