#!/usr/bin/env bash
# Debian's Prometheus server scrapes a running `stream` every second; the stored-records counter
# read back through Prometheus's query API equals the stream's own final count.
source "$(dirname "$0")/lib.bash" "$@"
source "$(dirname "$0")/http_lib.bash"

n=5000
start_broker --topic listens:2
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count $n --rate 0 \
  --users 20 --partitions 2 --seed 8 2>"$work/produce.err"

start_http_stream

mkdir "$work/tsdb"
cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: playstream
    static_configs:
      - targets: ['$http']
YML
promtool check config "$work/prometheus.yml" >/dev/null
# A random port above 20000; another one if it is taken.
for _ in 1 2 3; do
  prom_port=$((20000 + RANDOM % 40000))
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.err" 2>&1 &
  prom=$!
  pids+=($prom)
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$prom_port/-/ready" >/dev/null 2>&1 && break 2
    kill -0 $prom 2>/dev/null || break
    sleep 0.1
  done
done
curl -sf "http://127.0.0.1:$prom_port/-/ready" >/dev/null || fail "prometheus did not start"
echo "prometheus on 127.0.0.1:$prom_port scrapes stream on $http"

wait_metric playstream_records_stored_total $n 30
query() { # the value of an instant query, or empty
  curl -sf "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}
for _ in $(seq 100); do
  stored=$(query 'playstream_records_stored_total{job="playstream"}')
  [ "$stored" == "$n" ] && break
  sleep 0.1
done
check "scrape target up" "$(query 'up{job="playstream"}')" 1

kill -TERM $stream
wait $stream || fail "stream did not exit cleanly"
final=$(sed -n 's/^stream: done: consumed=[0-9]* stored=\([0-9]*\) .*/\1/p' "$work/stream.err")
check "stored rows" "$(rows "$db")" "$n"
check "stored_total through Prometheus's query API = stream's final count" "$stored" "$final"
