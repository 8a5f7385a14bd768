#!/usr/bin/env bash
# Embedded end to end: EVENTS events already in the embedded broker → `playstream stream` →
# SQLite (targets: >= 100,000 events/s, peak RSS <= 100 MB), against the named baseline
# "sqlite_direct" (the same events inserted straight into the same schema, no Kafka), in one run.
# The topic has 16 partitions: the embedded broker keeps only the newest ~5 MB (or 100,000
# batches) of each partition, so a 1M-event backlog needs more than a few partitions.
# Then the same backlog again, read by another group with `--http` on and /metrics scraped every
# second as Prometheus would, as a ratio to the first run (target >= 0.95).
# Usage: bench/e2e_embedded.sh BUILD_DIR [EVENTS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
events=${2:-1000000}
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/playstream
work=$(mktemp -d /tmp/playstream-bench.XXXXXX)
trap 'kill $broker 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" broker --topic listens:16 >"$work/broker.out" 2>/dev/null &
broker=$!
until grep -q '^bootstrap:' "$work/broker.out" 2>/dev/null; do sleep 0.1; done
brokers=$(sed -n 's/^bootstrap: //p' "$work/broker.out")

# The sample catalogue is what the baseline uses too (bench/bench_events.hpp).
"$bin" produce --brokers "$brokers" --topic listens --catalog "$src/data/sample-catalog.csv" \
  --count "$events" --rate 0 --users 100 --seed 42 2>"$work/produce.err"

/usr/bin/time -v "$bin" stream --brokers "$brokers" --topic listens --catalog "$src/data/sample-catalog.csv" \
  --store "sqlite:$work/stream.db" --max-messages "$events" --report-interval 0 2>"$work/stream.err"
summary=$(grep '^stream: done:' "$work/stream.err")
seconds=$(sed -n 's/.* in \([0-9.]*\)s$/\1/p' <<<"$summary")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/stream.err")
cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/stream.err")
stored=$(sqlite3 "$work/stream.db" "SELECT count(*) FROM listening_history")
[ "$stored" -eq "$events" ] || { echo "stream stored $stored of $events" >&2; exit 1; }

# The same run with /metrics served and scraped every second, from the same topic by another group.
"$bin" stream --brokers "$brokers" --topic listens --group bench-scraped --catalog "$src/data/sample-catalog.csv" \
  --store "sqlite:$work/scraped.db" --max-messages "$events" --report-interval 0 --http 127.0.0.1:0 \
  2>"$work/scraped.err" &
scraped=$!
until http=$(sed -n 's/^stream: metrics and health on http:\/\///p' "$work/scraped.err") && [ -n "$http" ]; do
  kill -0 $scraped 2>/dev/null || { cat "$work/scraped.err" >&2; exit 1; }
  sleep 0.05
done
scrapes=0
while kill -0 $scraped 2>/dev/null; do
  curl -sf "http://$http/metrics" -o /dev/null && scrapes=$((scrapes + 1))
  sleep 1
done
wait $scraped
scraped_seconds=$(sed -n 's/^stream: done: .* in \([0-9.]*\)s$/\1/p' "$work/scraped.err")
scraped_stored=$(sqlite3 "$work/scraped.db" "SELECT count(*) FROM listening_history")
[ "$scraped_stored" -eq "$events" ] || { echo "scraped stream stored $scraped_stored of $events" >&2; exit 1; }

baseline=$("$build/bench/bench_store_direct" "$events" "sqlite:$work/direct.db" 10000)
python3 - "$events" "$seconds" "$rss_kb" "$cpu" "$baseline" "$scraped_seconds" "$scrapes" <<'PY'
import sys
events, seconds, rss_kb, cpu, baseline = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
scraped_seconds, scrapes = float(sys.argv[6]), int(sys.argv[7])
rate = events / seconds
print(f"end to end (embedded broker -> stream -> SQLite, {events} events): {rate:,.0f} events/s, "
      f"peak RSS {rss_kb / 1024:.1f} MB, {cpu:.2f} CPU s; baseline sqlite_direct: {baseline:,.0f} rows/s; "
      f"ratio {rate / baseline:.2f}")
scraped = events / scraped_seconds
print(f"with /metrics scraped every second ({scrapes} scrapes): {scraped:,.0f} events/s; "
      f"baseline: the run above without --http: {rate:,.0f} events/s; ratio {scraped / rate:.2f} (target >= 0.95)")
PY
