#!/usr/bin/env bash
# TLS to Cassandra that must not work: each a clear error naming the node, exit 1, in seconds
# (never the wait-and-retry of a node that is down). Against the cluster's node (client encryption
# optional on 9042, client certificates required): a CA that did not sign it, a name it is not
# issued for, no client certificate, a client certificate of another CA; hostname verification
# turned off accepts the wrong name, with a warning. Against openssl s_server (a TLS-only endpoint,
# since the node serves plaintext and TLS on one port): an expired certificate, and a plaintext
# client. Needs `scripts/local-cluster up --cassandra-tls --kafka-security`.
source "$(dirname "$0")/lib.bash" "$@"
source "$(dirname "$0")/tls_lib.bash"

ca=$PLAYSTREAM_CASSANDRA_CA cert=$PLAYSTREAM_CASSANDRA_CLIENT_CERT key=$PLAYSTREAM_CASSANDRA_CLIENT_KEY
node="cassandra 127\.0\.0\.1:9042"
make_ca other
issue other stranger "DNS:stranger"

refused "a CA that did not sign the node's certificate" "$node: .*certificate was refused: .*(local issuer|self-signed)" \
  "$bin" query sample --store "$store" --cassandra-tls --cassandra-ca "$work/other.pem" --cassandra-cert "$cert" \
  --cassandra-key "$key"
# stream too: it must stop, not wait for the node as for one that is down.
refused "stream with the wrong CA" "$node: .*certificate was refused" \
  "$bin" stream --brokers "$kafka" --topic "$topic" --catalog "$catalog" --store "$store" --cassandra-tls \
  --cassandra-ca "$work/other.pem" --cassandra-cert "$cert" --cassandra-key "$key" --exit-when-idle 30
refused "a name the node's certificate is not for" "cassandra localhost:9042: .*(Hostname mismatch|not issued for localhost)" \
  "$bin" query sample --store "cassandra://localhost/$keyspace" "${cassandra_tls[@]}"
refused "no client certificate" "$node: .*(certificate required|client certificate)" \
  "$bin" query sample --store "$store" --cassandra-tls --cassandra-ca "$ca"
refused "a client certificate of another CA" "$node: the node refused the TLS session: .*client certificate" \
  "$bin" query sample --store "$store" --cassandra-tls --cassandra-ca "$ca" --cassandra-cert "$work/stranger.pem" \
  --cassandra-key "$work/stranger.key"

"$bin" schema --store "cassandra://localhost/$keyspace" "${cassandra_tls[@]}" --cassandra-tls-no-verify-hostname \
  2>"$work/err" || fail "no hostname verification: $(tail -3 "$work/err")"
grep -q "hostname verification is off.*unsafe" "$work/err" || fail "no warning: $(cat "$work/err")"
echo "ok: --cassandra-tls-no-verify-hostname connects to localhost, and warns: $(grep unsafe "$work/err" | head -1)"

issue other expired "IP:127.0.0.1" 20200101000000Z 20200102000000Z
tls_server expired
refused "an expired certificate" "cassandra 127\.0\.0\.1:$tls_port: .*certificate has expired" \
  "$bin" query sample --store "cassandra://127.0.0.1:$tls_port/$keyspace" --cassandra-tls --cassandra-ca "$work/other.pem"
refused "a plaintext client at a TLS-only port" "cassandra 127\.0\.0\.1:$tls_port: .*TLS" \
  "$bin" query sample --store "cassandra://127.0.0.1:$tls_port/$keyspace"
status=0
"$bin" query sample --store "$store" --cassandra-ca "$ca" 2>"$work/err" || status=$?
check "--cassandra-ca without --cassandra-tls: usage error" "$status" 2
