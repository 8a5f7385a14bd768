#!/usr/bin/env bash
# The whole pipeline over secured servers: produce and stream through Kafka's SASL_SSL listener
# (SCRAM-SHA-512), stream writing to Cassandra over mutual TLS with LZ4 frames; cqlsh --ssl (with
# a client certificate) reads back what we wrote, and query over TLS answers as over plaintext.
# Needs `scripts/local-cluster up --cassandra-tls --kafka-security`.
source "$(dirname "$0")/lib.bash" "$@"
source "$(dirname "$0")/tls_lib.bash"

kafka_tls=(--brokers "$PLAYSTREAM_KAFKA_SECURE_BOOTSTRAP" --kafka-security-protocol sasl_ssl
           --kafka-sasl-mechanism SCRAM-SHA-512 --kafka-sasl-username "$PLAYSTREAM_KAFKA_SASL_USER"
           --kafka-ssl-ca "$PLAYSTREAM_KAFKA_CA")
export PLAYSTREAM_KAFKA_SASL_PASSWORD   # the password from the environment, not the command line

"$bin" schema --store "$store" "${cassandra_tls[@]}" 2>"$work/schema.err" || fail "schema over TLS: $(cat "$work/schema.err")"
"$bin" produce "${kafka_tls[@]}" --topic "$topic" --partitions 2 --catalog "$catalog" --count 3000 --rate 0 \
  --users 20 --echo >"$work/events.jsonl" 2>"$work/produce.err" || fail "produce over SASL_SSL: $(tail -3 "$work/produce.err")"
"$bin" stream "${kafka_tls[@]}" --topic "$topic" --group secure --catalog "$catalog" --store "$store" \
  "${cassandra_tls[@]}" --exit-when-idle 4 2>"$work/stream.err" || fail "stream: $(tail -3 "$work/stream.err")"
grep -q "stream: done: consumed=3000 stored=3000 rejected=0" "$work/stream.err" || fail "$(tail -1 "$work/stream.err")"
echo "ok: 3000 events through SASL_SSL into Cassandra over mutual TLS"
verify "$work/events.jsonl"

check "rows read by cqlsh --ssl" "$(cqlsh_ssl -e "SELECT count(*) FROM $keyspace.listening_history;" |
  awk '/^ *[0-9]+ *$/ {print $1}' | tail -1)" 3000

# query over TLS (LZ4 frames) and over plaintext without compression: the same answer.
read -r user date hour < <(python3 -c '
import collections, json, sys
c = collections.Counter((e["name"], e["time"][:10], int(e["time"][11:13])) for e in map(json.loads, open(sys.argv[1])))
(n, d, h), _ = c.most_common(1)[0]
print(n.replace(" ", "\x1f"), d, h)' "$work/events.jsonl")
user=${user//$'\x1f'/ }
"$bin" query stats --store "$store" "${cassandra_tls[@]}" --cassandra-compression lz4 --user "$user" --date "$date" --hour "$hour" \
  --format csv >"$work/stats_tls.csv"
"$bin" query stats --store "$store" --cassandra-compression none --user "$user" --date "$date" --hour "$hour" \
  --format csv >"$work/stats_plain.csv"
cmp -s "$work/stats_tls.csv" "$work/stats_plain.csv" || fail "stats differ: $(diff "$work/stats_tls.csv" "$work/stats_plain.csv")"
check "stats rows" "$(wc -l <"$work/stats_tls.csv")" 2
echo "ok: query stats over TLS equals plaintext"
