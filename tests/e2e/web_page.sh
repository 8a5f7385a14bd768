#!/usr/bin/env bash
# `playstream serve` in a real browser: a known data set goes through Kafka and `stream` into
# SQLite; headless Chromium loads the page, and the hour bars, songs and averages it shows must
# equal what dataset.py computed from the events; the hostile user name shows as text and makes
# no element. The API answers equal `playstream query` for the same arguments. Screenshots of the
# listening and pipeline views go to $PLAYSTREAM_SCREENSHOTS (default: ./screenshots).
source "$(dirname "$0")/lib.bash" "$@"
here=$src/tests/e2e/web
shots=${PLAYSTREAM_SCREENSHOTS:-$PWD/screenshots}
mkdir -p "$shots"
command -v chromium >/dev/null || fail "chromium is not installed (scripts/install-deps.sh installs it)"

python3 "$here/dataset.py" events "$catalog" "$work/events.jsonl"
python3 "$here/dataset.py" expect "$catalog" "$work/expect.json"
count=$(wc -l <"$work/events.jsonl")

start_broker --topic listens:2
kcat -P -b "$brokers" -t listens -l "$work/events.jsonl" 2>"$work/kcat.err"
db=$work/listens.db
"$bin" stream --brokers "$brokers" --topic listens --catalog "$catalog" --store "sqlite:$db" \
  --max-messages "$count" --exit-when-idle 5 --report-interval 0 2>"$work/stream.err"
check "every event stored" "$(rows "$db")" "$count"

start_serve serve --store "sqlite:$db"

# The API equals `playstream query` (JSON) for the same arguments; bad ones are 400s naming them.
user=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["user"])' "$work/expect.json")
hour=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hour"])' "$work/expect.json")
date=2024-03-03
api_equals_query() { # api_equals_query KIND URL-QUERY CLI-ARGS...
  local kind=$1 url=$2; shift 2
  curl -sf "$page/api/$kind?$url" >"$work/api.json" || fail "GET /api/$kind?$url failed"
  "$bin" query "$kind" --store "sqlite:$db" --format json "$@" >"$work/cli.json"
  cmp -s "$work/api.json" "$work/cli.json" || fail "/api/$kind?$url differs from query $kind $*"
  echo "ok: /api/$kind equals query $kind ($(wc -c <"$work/api.json") bytes)"
}
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
key_url="user=$(enc "$user")&date=$date&hour=$hour"
api_equals_query songs "$key_url" --user "$user" --date $date --hour "$hour"
api_equals_query stats "$key_url" --user "$user" --date $date --hour "$hour"
api_equals_query sample "limit=7" --limit 7
api_equals_query users "prefix=Ad" --prefix Ad --limit 20
api_equals_query dates "user=$(enc "$user")" --user "$user"
api_equals_query hours "user=$(enc "$user")&date=$date" --user "$user" --date $date

code=$(curl -s -o "$work/bad.json" -w '%{http_code}' "$page/api/songs?user=a&date=2024-03-03&hour=25")
check "bad hour is a 400" "$code" 400
check "the error names the parameter" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["parameter"])' "$work/bad.json")" hour
curl -sD "$work/headers" -o /dev/null "$page/api/users?prefix=A"
grep -qi '^content-type: application/json' "$work/headers" || fail "API answer without its Content-Type"
grep -qi '^x-content-type-options: nosniff' "$work/headers" || fail "API answer without nosniff"
grep -qi '^access-control-' "$work/headers" && fail "API answer with CORS headers"
curl -sD "$work/headers" -o /dev/null "$page/"
grep -qi "^content-security-policy: default-src 'none'; script-src 'self'" "$work/headers" || fail "page without its CSP"
check "another site's name for 127.0.0.1 (DNS rebinding) is refused" \
  "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: evil.example' "$page/api/users?prefix=A")" 421
echo "ok: Content-Type, nosniff, CSP; no CORS"

# The page in Chromium, after its scripts ran.
chrome() { # chrome ARGS... URL
  timeout 60 chromium --headless=new --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$work/chrome" --window-size=1280,800 --virtual-time-budget=5000 "$@" 2>>"$work/chrome.err"
}
listening="$page/?$key_url"
chrome --dump-dom --screenshot="$shots/serve-listening.png" "$listening" >"$work/dom.html"
python3 "$here/check_dom.py" "$work/expect.json" "$work/dom.html"
[ -s "$shots/serve-listening.png" ] || fail "no screenshot of the listening view"

# The store unreachable: the page says so instead of drawing empty charts.
start_serve down --store "cassandra://127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')/nowhere"
chrome --dump-dom "$page/?user=x&date=$date" >"$work/down.html"
grep -q 'data-store="unreachable"' "$work/down.html" || fail "the page does not say the store is unreachable"
grep -q 'the store is unreachable' "$work/down.html" || fail "no 'store is unreachable' message on the page"
echo "ok: the page says the store is unreachable"

# The pipeline view: a live produce and stream, scraped by serve.
"$bin" produce --brokers "$brokers" --topic live --catalog "$catalog" --rate 400 --users 5 \
  --http 127.0.0.1:0 >/dev/null 2>"$work/produce.err" &
pids+=($!)
"$bin" stream --brokers "$brokers" --topic live --group live --catalog "$catalog" --store "sqlite:$work/live.db" \
  --http 127.0.0.1:0 --report-interval 0 2>"$work/live.err" &
pids+=($!)
source "$src/tests/e2e/http_lib.bash"
wait_http_address "$work/produce.err"; produce_http=$http
wait_http_address "$work/live.err"; stream_http=$http
start_serve pipeline --store "sqlite:$work/live.db" --metrics "http://$stream_http/metrics" \
  --metrics "http://$produce_http/metrics"
sleep 5
curl -sf "$page/api/pipeline" >"$work/pipeline.json"
python3 - "$work/pipeline.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
targets = body["targets"]
assert len(targets) == 2 and all(t["up"] for t in targets), targets
stored = [p["stored_per_s"] for p in targets[0]["points"] if p["stored_per_s"]]
delivered = [p["delivered_per_s"] for p in targets[1]["points"] if p["delivered_per_s"]]
assert stored and max(stored) > 50, stored
assert delivered and max(delivered) > 50, delivered
assert 4 <= len(targets[0]["points"]) <= 9, len(targets[0]["points"])  # one a second
# The freshness chart's two ages, from stream's two histograms.
assert any(p["age_p99_s"] is not None and p["read_age_p99_s"] is not None for p in targets[0]["points"]), targets[0]
print(f"ok: pipeline series: {len(targets[0]['points'])} points, stored up to {max(stored):.0f}/s")
PY
chrome --dump-dom --screenshot="$shots/serve-pipeline.png" "$page/?view=pipeline" >"$work/pipeline.html"
grep -q 'data-pipeline="ready"' "$work/pipeline.html" || fail "the pipeline view did not draw"
check "pipeline panels" "$(grep -o 'class="target-state up"' "$work/pipeline.html" | wc -l)" 2
[ -s "$shots/serve-pipeline.png" ] || fail "no screenshot of the pipeline view"
echo "ok: screenshots in $shots"

# demo --serve: the demo, then its page until SIGINT, which ends it with the demo's status.
"$bin" demo --events 200 --out "$work/demo" --serve --http 127.0.0.1:0 >"$work/demo.out" 2>"$work/demo.err" &
demo=$!
await_line "$work/demo.out" 's/^demo: the page is at \(http:\/\/[^/]*\)\/.*/\1/p' 30 "demo --serve printed no address"
page=$line
check "demo --serve serves the demo's table" "$(curl -sf "$page/api/users?prefix=Alex" | tr -d ' \n')" '[{"name":"AlexRivera"}]'
kill -INT $demo
status=0; wait $demo || status=$?
check "demo --serve ends on SIGINT with the demo's status" "$status" 0
