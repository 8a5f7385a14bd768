# Shared by the tests against real servers (run by tests/integration/run.sh, which starts them).
# Usage in a test: source "$(dirname "$0")/lib.bash" BIN SRC
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.bash" "$@"
eval "$("$src/scripts/local-cluster" env)"
kafka=$PLAYSTREAM_KAFKA_BOOTSTRAP
# A keyspace and a topic of this test's own, so tests never see each other's rows.
run_id=$(basename "$work" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z' | tail -c 9)
keyspace=it_$run_id
topic=listens-$run_id
store="cassandra://$PLAYSTREAM_CASSANDRA_HOSTS/$keyspace"
cqlsh() { "$PLAYSTREAM_CQLSH" "${PLAYSTREAM_CQLSH_ARGS[@]}" "$@"; }
PLAYSTREAM_CQLSH_ARGS=(127.0.0.1 --request-timeout 30)
cql_count() { # rows in our table, read by cqlsh
  cqlsh -e "CONSISTENCY QUORUM; SELECT count(*) FROM $keyspace.listening_history;" 2>/dev/null |
    awk '/^ *[0-9]+ *$/ {print $1}' | tail -1
}
verify() { # verify EVENTS_JSONL: exactly once, features, stats (tests/integration/verify.py)
  python3 "$src/tests/integration/verify.py" "$1" "$catalog" "$bin" "$store" "$keyspace" \
    "$PLAYSTREAM_CQLSH" "${PLAYSTREAM_CQLSH_ARGS[@]}"
}
stream_cmd() { # stream_cmd GROUP: the stream command line for this test's topic and keyspace
  echo "$bin" stream --brokers "$kafka" --topic "$topic" --group "$1" --catalog "$catalog" --store "$store"
}
# The driver's request counter of each node it knows, as /metrics of the stream (run with
# --http 127.0.0.1:0) whose stderr is $1 shows it.
metrics_requests() { # metrics_requests STREAM_ERR -> "NODE COUNT" lines
  local url
  url=$(sed -n 's/^stream: metrics and health on \(http:[^ ]*\).*/\1/p' "$1" | head -1)
  [ -n "$url" ] || fail "stream printed no metrics address"
  curl -sf "$url/metrics" | sed -n 's/^playstream_cassandra_node_requests_total{node="\([^"]*\)"} \([0-9]*\)$/\1 \2/p'
}
