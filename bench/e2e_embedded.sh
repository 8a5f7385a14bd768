#!/usr/bin/env bash
# Embedded end to end: EVENTS events already in the embedded broker → `playstream stream` →
# SQLite (targets: >= 100,000 events/s, peak RSS <= 100 MB), against the named baseline
# "sqlite_direct" (the same events inserted straight into the same schema, no Kafka), in one run.
# The topic has 16 partitions: the embedded broker keeps only the newest ~5 MB (or 100,000
# batches) of each partition, so a 1M-event backlog needs more than a few partitions.
# 1 % of the backlog is bad (not JSON), spread over it. Then the same backlog again, read by other
# groups with `--http` on, /metrics scraped every second as Prometheus would, and the bad messages
# sent to a dead-letter topic, as a ratio to the same runs without either (target >= 0.95).
# Usage: bench/e2e_embedded.sh BUILD_DIR [EVENTS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
events=${2:-1000000}
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/playstream
work=$(mktemp -d /tmp/playstream-bench.XXXXXX)
trap 'kill $broker 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
# shellcheck source=bench/lib.bash
. "$src/bench/lib.bash"
bench_machine  # again when run by run-all.sh: the load average at its start

"$bin" broker --topic listens:16 >"$work/broker.out" 2>/dev/null &
broker=$!
until grep -q '^bootstrap:' "$work/broker.out" 2>/dev/null; do sleep 0.1; done
brokers=$(sed -n 's/^bootstrap: //p' "$work/broker.out")

# The sample catalogue is what the baseline uses too (bench/bench_events.hpp). Ten rounds of good
# events (a seed each: distinct event ids) with 1 % bad messages after each round.
bad=$((events / 100))
for round in $(seq 0 9); do
  "$bin" produce --brokers "$brokers" --topic listens --catalog "$src/data/sample-catalog.csv" \
    --count $((events / 10)) --rate 0 --users 100 --seed $((42 + round)) 2>>"$work/produce.err"
  seq $((bad / 10)) | sed 's/.*/not json/' | kcat -P -b "$brokers" -t listens 2>>"$work/produce.err"
done
events=$((events / 10 * 10))
bad=$((bad / 10 * 10))
total=$((events + bad))

/usr/bin/time -v "$bin" stream --brokers "$brokers" --topic listens --catalog "$src/data/sample-catalog.csv" \
  --store "sqlite:$work/stream.db" --max-messages "$total" --report-interval 0 2>"$work/stream.err"
summary=$(grep '^stream: done:' "$work/stream.err")
seconds=$(sed -n 's/.* in \([0-9.]*\)s$/\1/p' <<<"$summary")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/stream.err")
cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/stream.err")
stored=$(sqlite3 "$work/stream.db" "SELECT count(*) FROM listening_history")
[ "$stored" -eq "$events" ] || { echo "stream stored $stored of $events" >&2; exit 1; }

# The same run with /metrics served and scraped every second and a dead-letter topic, from the same
# topic by other groups.
# Runs one after another on a shared machine differ by +-15 %, so the order is ABBA: plain (the
# run above), scraped, scraped, plain; the ratio compares the sums of the times.
scrapes=0
timed_run() { # timed_run NAME [--http ADDR ...]: prints the seconds from the first message to the last commit
  local name=$1; shift
  /usr/bin/time -f "%U %S" -o "$work/$name.cpu" \
    "$bin" stream --brokers "$brokers" --topic listens --group "bench-$name" --catalog "$src/data/sample-catalog.csv" \
    --store "sqlite:$work/$name.db" --max-messages "$total" --report-interval 0 "$@" 2>"$work/$name.err" &
  local pid=$! http=
  if [ $# -gt 0 ]; then
    until http=$(sed -n 's/^stream: metrics and health on http:\/\///p' "$work/$name.err") && [ -n "$http" ]; do
      kill -0 $pid 2>/dev/null || { cat "$work/$name.err" >&2; exit 1; }
      sleep 0.05
    done
    while kill -0 $pid 2>/dev/null; do
      curl -sf "http://$http/metrics" -o /dev/null && echo >>"$work/scrapes"
      sleep 1
    done
  fi
  wait $pid
  local stored
  stored=$(sqlite3 "$work/$name.db" "SELECT count(*) FROM listening_history")
  [ "$stored" -eq "$events" ] || { echo "$name: stream stored $stored of $events" >&2; exit 1; }
  if [ $# -gt 0 ]; then
    grep -q "dead_lettered=$bad " "$work/$name.err" || { echo "$name: not $bad dead letters" >&2; exit 1; }
  fi
  sed -n 's/^stream: done: .* in \([0-9.]*\)s$/\1/p' "$work/$name.err"
}
touch "$work/scrapes"
scraped1=$(timed_run scraped1 --http 127.0.0.1:0 --dead-letter-topic dead-letters-1)
scraped2=$(timed_run scraped2 --http 127.0.0.1:0 --dead-letter-topic dead-letters-2)
plain2=$(timed_run plain2)
scrapes=$(wc -l <"$work/scrapes")

cpu_of() { awk '{print $1 + $2}' "$work/$1.cpu"; }
baseline=$("$build/bench/bench_store_direct" "$events" "sqlite:$work/direct.db" 10000)
python3 - "$total" "$seconds" "$rss_kb" "$cpu" "$baseline" "$scraped1" "$scraped2" "$plain2" "$scrapes" \
  "$(cpu_of scraped1)" "$(cpu_of scraped2)" "$(cpu_of plain2)" <<'PY'
import sys
events, seconds, rss_kb, cpu, baseline = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
scraped1, scraped2, plain2, scrapes = float(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9])
cpu_s1, cpu_s2, cpu_p2 = float(sys.argv[10]), float(sys.argv[11]), float(sys.argv[12])
rate = events / seconds
print(f"end to end (embedded broker -> stream -> SQLite, {events} events): {rate:,.0f} events/s, "
      f"peak RSS {rss_kb / 1024:.1f} MB, {cpu:.2f} CPU s; baseline sqlite_direct: {baseline:,.0f} rows/s; "
      f"ratio {rate / baseline:.2f}")
scraped, plain = 2 * events / (scraped1 + scraped2), 2 * events / (seconds + plain2)
print(f"with /metrics scraped every second and 1 % dead-lettered ({scrapes} scrapes; runs plain, scraped, scraped, plain: "
      f"{seconds:.2f}s {scraped1:.2f}s {scraped2:.2f}s {plain2:.2f}s): {scraped:,.0f} events/s; baseline: the same "
      f"runs without --http and --dead-letter-topic: {plain:,.0f} events/s; ratio {scraped / plain:.2f} (target >= 0.95)")
# CPU seconds are far less disturbed than wall time by other work on a shared machine.
print(f"  CPU seconds of the same runs: {cpu:.2f} {cpu_s1:.2f} {cpu_s2:.2f} {cpu_p2:.2f}; events per CPU second, "
      f"scraped / plain: {(cpu + cpu_p2) / (cpu_s1 + cpu_s2):.2f}")
PY
