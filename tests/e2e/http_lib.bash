# Shared by the tests of --http: source after lib.bash.

# Waits for "<who>: metrics and health on http://ADDR" in FILE and sets $http to ADDR.
wait_http_address() { # wait_http_address FILE
  await_line "$1" 's/^.*: metrics and health on http:\/\///p' 10 "no 'metrics and health on' line"
  http=$line
}

# Starts `stream` on topic listens into sqlite:$work/listens.db with --http on a kernel-chosen port
# (extra options after), sets $db, $stream (its pid) and $http.
start_http_stream() {
  db=$work/listens.db
  "$bin" stream --brokers "$brokers" --topic listens --catalog "$catalog" --store "sqlite:$db" \
    --http 127.0.0.1:0 --report-interval 0 "$@" 2>"$work/stream.err" &
  stream=$!
  pids+=($stream)
  wait_http_address "$work/stream.err"
}

# The value of one sample of /metrics at $http, e.g. metric 'playstream_records_stored_total'
# (the sample's name with its labels, exactly as served); empty when absent.
metric() {
  curl -sf "http://$http/metrics" | awk -v name="$1" '$1 == name { print $2 }'
}

# The HTTP status of GET $http/PATH.
http_status() { curl -s -o /dev/null -w '%{http_code}' "http://$http$1"; }

# Polls until `metric NAME` equals VALUE, for at most SECONDS.
wait_metric() { # wait_metric NAME VALUE SECONDS
  for _ in $(seq $(($3 * 10))); do
    [ "$(metric "$1")" == "$2" ] && return 0
    sleep 0.1
  done
  fail "$1 is '$(metric "$1")' after $3 s, expected '$2'"
}
