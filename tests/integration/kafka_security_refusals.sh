#!/usr/bin/env bash
# Kafka's SASL_SSL listener refusing us: a wrong password, or a CA that did not sign the broker's
# certificate. produce and stream each stop with a clear error naming the broker and exit 1 well
# within the consumer's session timeout (10 s), never retry in silence.
# Needs `scripts/local-cluster up --cassandra-tls --kafka-security`.
source "$(dirname "$0")/lib.bash" "$@"
source "$(dirname "$0")/tls_lib.bash"

broker="sasl_ssl://${PLAYSTREAM_KAFKA_SECURE_BOOTSTRAP//./\\.}"
secure=(--brokers "$PLAYSTREAM_KAFKA_SECURE_BOOTSTRAP" --kafka-security-protocol sasl_ssl
        --kafka-sasl-mechanism SCRAM-SHA-512 --kafka-sasl-username "$PLAYSTREAM_KAFKA_SASL_USER")
make_ca other

# within T CMD...: refused, and in at most T seconds.
within() {
  local limit=$1 t0=$SECONDS; shift
  refused "$@"
  (( SECONDS - t0 <= limit )) || fail "$1: took $((SECONDS - t0)) s, more than $limit"
}

within 15 "produce with a wrong password" "error: kafka: .*$broker.*(Authentication failed|invalid credentials)" \
  env PLAYSTREAM_KAFKA_SASL_PASSWORD=wrong "$bin" produce "${secure[@]}" --kafka-ssl-ca "$PLAYSTREAM_KAFKA_CA" \
  --topic "$topic" --catalog "$catalog" --count 10 --rate 0
within 15 "stream with a wrong password" "error: kafka: .*$broker.*(Authentication failed|invalid credentials)" \
  env PLAYSTREAM_KAFKA_SASL_PASSWORD=wrong "$bin" stream "${secure[@]}" --kafka-ssl-ca "$PLAYSTREAM_KAFKA_CA" \
  --topic "$topic" --catalog "$catalog" --store "sqlite:$work/db" --exit-when-idle 30
export PLAYSTREAM_KAFKA_SASL_PASSWORD
within 15 "produce with the wrong CA" "error: kafka: .*$broker.*certificate verify failed" \
  "$bin" produce "${secure[@]}" --kafka-ssl-ca "$work/other.pem" --topic "$topic" --catalog "$catalog" --count 10 --rate 0
within 15 "stream with the wrong CA" "error: kafka: .*$broker.*certificate verify failed" \
  "$bin" stream "${secure[@]}" --kafka-ssl-ca "$work/other.pem" --topic "$topic" --catalog "$catalog" \
  --store "sqlite:$work/db" --exit-when-idle 30
