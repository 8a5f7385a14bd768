# shellcheck shell=bash
# A private CA for scripts/local-cluster's TLS (Cassandra's client encryption, Kafka's SASL_SSL
# listener), made with openssl and keytool into $STATE_DIR/tls on first use and kept across
# restarts (remove the directory, or 'down --purge-data', for new ones):
#   ca.pem                  the CA clients trust (PLAYSTREAM_CASSANDRA_CA, PLAYSTREAM_KAFKA_CA)
#   cassandraN.p12          node N's key and certificate (for IP 127.0.0.N), PKCS12 keystore
#   truststore.p12          the CA, as the truststore Cassandra checks client certificates with
#   client.pem, client.key  a client certificate of the CA, for mutual TLS
#   kafka.p12               the broker's key and certificate (for IP 127.0.0.1)
# Store passwords are TLS_STORE_PASSWORD: test data only. Sourced; uses cluster-common.sh.

TLS_DIR=$STATE_DIR/tls
TLS_STORE_PASSWORD=playstream
TLS_DAYS=3650

tls_openssl() {
  openssl "$@" >>"$TLS_DIR/openssl.log" 2>&1 || { tail -n 20 "$TLS_DIR/openssl.log" >&2; die "tls: openssl $1 failed"; }
}

tls_ca() {
  [[ -f $TLS_DIR/ca.pem && -f $TLS_DIR/ca.key ]] && return 0
  command -v openssl >/dev/null || die "openssl not found: run scripts/install-server-deps.sh"
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  log "tls: making a CA in $TLS_DIR"
  tls_openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" \
    -days "$TLS_DAYS" -subj "/O=playstream/CN=playstream local-cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}

# tls_issue NAME SUBJECT_CN SAN EXTENDED_KEY_USAGE: NAME.key and NAME.pem signed by the CA.
tls_issue() {
  local name=$1 cn=$2 san=$3 eku=$4
  [[ -f $TLS_DIR/$name.pem && -f $TLS_DIR/$name.key ]] && return 0
  tls_ca
  tls_openssl req -newkey rsa:2048 -nodes -keyout "$TLS_DIR/$name.key" -out "$TLS_DIR/$name.csr" \
    -subj "/O=playstream/CN=$cn"
  local ext=$TLS_DIR/$name.ext
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n' \
    "$eku" >"$ext"
  [[ -n $san ]] && printf 'subjectAltName=%s\n' "$san" >>"$ext"
  tls_openssl x509 -req -in "$TLS_DIR/$name.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" \
    -CAcreateserial -out "$TLS_DIR/$name.pem" -days "$TLS_DAYS" -extfile "$ext"
  rm -f "$TLS_DIR/$name.csr" "$ext"
  chmod 600 "$TLS_DIR/$name.key"
}

# tls_keystore NAME: NAME.p12 holding NAME.key and NAME.pem (with the CA in its chain).
tls_keystore() {
  local name=$1
  [[ -f $TLS_DIR/$name.p12 ]] && return 0
  tls_openssl pkcs12 -export -name "$name" -inkey "$TLS_DIR/$name.key" -in "$TLS_DIR/$name.pem" \
    -certfile "$TLS_DIR/ca.pem" -out "$TLS_DIR/$name.p12" -passout "pass:$TLS_STORE_PASSWORD"
}

tls_truststore() {
  [[ -f $TLS_DIR/truststore.p12 ]] && return 0
  tls_ca
  keytool -importcert -noprompt -alias playstream-ca -file "$TLS_DIR/ca.pem" -storetype PKCS12 \
    -keystore "$TLS_DIR/truststore.p12" -storepass "$TLS_STORE_PASSWORD" >>"$TLS_DIR/openssl.log" 2>&1 \
    || die "tls: keytool could not make the truststore"
}

# Everything Cassandra node N needs, plus the client certificate for mutual TLS.
tls_for_cassandra() {
  local n=$1 addr
  addr=$(cass_addr "$n")
  tls_issue "cassandra$n" "$addr" "IP:$addr" serverAuth
  tls_keystore "cassandra$n"
  tls_truststore
  tls_issue client playstream-client "" clientAuth
}

tls_for_kafka() {
  tls_issue kafka "$KAFKA_HOST" "IP:$KAFKA_HOST" serverAuth
  tls_keystore kafka
}
