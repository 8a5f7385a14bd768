#!/usr/bin/env bash
# stream --http: /metrics counts what the stream did, and Debian's promtool accepts it as served.
source "$(dirname "$0")/lib.bash" "$@"
source "$(dirname "$0")/http_lib.bash"

# A malformed --http is a usage error naming the option.
set +e
"$bin" stream --brokers 127.0.0.1:1 --topic t --catalog "$catalog" --store "sqlite:$work/x.db" --http 127.0.0.1:http 2>"$work/usage.err"
status=$?
set -e
check "bad --http exit status" "$status" 2
grep -q -- "--http '127.0.0.1:http'" "$work/usage.err" || fail "usage error does not name --http: $(cat "$work/usage.err")"

n=3000
start_broker --topic listens:3
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count $n --rate 0 \
  --users 20 --partitions 3 --seed 3 2>"$work/produce.err"
# Three bad messages, through a client we did not write.
printf 'not json\n{"id":1}\n{"id":2,"name":"a","song":"Nope","time":"2024-01-01 10:00"}\n' |
  kcat -P -b "$brokers" -t listens -p 0 2>/dev/null

start_http_stream
echo "stream serves on $http"

wait_metric playstream_records_stored_total $n 30
wait_metric playstream_records_consumed_total $((n + 3)) 10
check "rejected not_json" "$(metric 'playstream_records_rejected_total{reason="not_json"}')" 1
check "rejected missing_field" "$(metric 'playstream_records_rejected_total{reason="missing_field"}')" 1
check "rejected unknown_song" "$(metric 'playstream_records_rejected_total{reason="unknown_song"}')" 1
check "partitions assigned" "$(metric playstream_partitions_assigned)" 3
check "event ages counted" "$(metric playstream_event_age_at_ack_seconds_count)" $n
check "event ages when read counted (events only)" "$(metric playstream_event_age_at_read_seconds_count)" $n
check "store write latency +Inf bucket = count" \
  "$(metric 'playstream_store_write_duration_seconds_bucket{le="+Inf"}')" \
  "$(metric playstream_store_write_duration_seconds_count)"
# librdkafka's statistics come every second: the lag of every partition, once committed, is 0.
for _ in $(seq 50); do
  [ "$(curl -sf "http://$http/metrics" | grep -c '^playstream_consumer_lag_messages{topic="listens",partition="[0-2]"} 0$')" == 3 ] && break
  sleep 0.1
done
check "lag series at 0" "$(curl -sf "http://$http/metrics" | grep -c '^playstream_consumer_lag_messages{topic="listens",partition="[0-2]"} 0$')" 3
[ "$(metric process_resident_memory_bytes)" -gt 1000000 ] || fail "process_resident_memory_bytes implausible"

curl -sf "http://$http/metrics" >"$work/metrics.txt"
promtool check metrics <"$work/metrics.txt" >"$work/promtool.out" 2>&1 || { cat "$work/promtool.out" >&2; fail "promtool check metrics rejected /metrics"; }
check "promtool findings" "$(cat "$work/promtool.out")" ""
check "content type" "$(curl -sf -o /dev/null -w '%{content_type}' "http://$http/metrics")" "text/plain; version=0.0.4; charset=utf-8"
check "nosniff" "$(curl -sfI "http://$http/metrics" | tr -d '\r' | sed -n 's/^X-Content-Type-Options: //Ip')" "nosniff"
check "live" "$(http_status /health/live)" 200
check "ready" "$(http_status /health/ready)" 200
check "unknown path" "$(http_status /nothing)" 404
# No user name or song in any label: every label value is from a bounded set.
labels=$(grep -v '^#' "$work/metrics.txt" | grep -o '[a-z_]*="[^"]*"' | cut -d= -f1 | sort -u | tr '\n' ' ')
check "label names" "$labels" "le partition reason topic "

kill -TERM $stream
wait $stream || fail "stream did not exit cleanly on SIGTERM"
grep -q "stored=$n " "$work/stream.err" || fail "final summary does not say stored=$n"

# produce --http serves its own families while it runs.
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count 400 --rate 200 \
  --users 5 --http :0 2>"$work/produce2.err" &
producer=$!
pids+=($producer)
wait_http_address "$work/produce2.err"
sleep 1.2
curl -sf "http://$http/metrics" >"$work/produce-metrics.txt"
promtool check metrics <"$work/produce-metrics.txt" >"$work/promtool2.out" 2>&1 || { cat "$work/promtool2.out" >&2; fail "promtool rejected produce's /metrics"; }
check "produce target rate" "$(awk '$1 == "playstream_produce_target_rate" { print $2 }' "$work/produce-metrics.txt")" 200
rate=$(awk '$1 == "playstream_produce_actual_rate" { print int($2) }' "$work/produce-metrics.txt")
[ "$rate" -ge 150 ] && [ "$rate" -le 250 ] || fail "actual rate $rate, expected about 200"
delivered=$(awk '$1 == "playstream_events_delivered_total" { print $2 }' "$work/produce-metrics.txt")
[ "$delivered" -gt 100 ] || fail "only $delivered events delivered after 1.2 s at 200/s"
wait $producer
echo "ok: produce serves its metrics"
