# Shared by the tests of TLS and Kafka security, after lib.bash. The cluster must run with
# `scripts/local-cluster up --cassandra-tls --kafka-security` (tests/integration/run.sh's first one).
[[ -n ${PLAYSTREAM_CASSANDRA_CA:-} ]] || fail "Cassandra runs without --cassandra-tls (local-cluster env has no PLAYSTREAM_CASSANDRA_CA)"
[[ -n ${PLAYSTREAM_KAFKA_SECURE_BOOTSTRAP:-} ]] || fail "Kafka runs without --kafka-security"

# Mutual TLS with the cluster's CA and client certificate (the node requires one of TLS clients).
cassandra_tls=(--cassandra-tls --cassandra-ca "$PLAYSTREAM_CASSANDRA_CA"
               --cassandra-cert "$PLAYSTREAM_CASSANDRA_CLIENT_CERT" --cassandra-key "$PLAYSTREAM_CASSANDRA_CLIENT_KEY")

# cqlsh over TLS, checking the node's certificate against the CA and showing ours.
cqlsh_ssl() {
  cat >"$work/cqlshrc" <<EOF
[ssl]
certfile = $PLAYSTREAM_CASSANDRA_CA
validate = true
userkey = $PLAYSTREAM_CASSANDRA_CLIENT_KEY
usercert = $PLAYSTREAM_CASSANDRA_CLIENT_CERT
EOF
  "$PLAYSTREAM_CQLSH" 127.0.0.1 9042 --ssl --cqlshrc "$work/cqlshrc" --request-timeout 30 "$@"
}

# make_ca NAME: a CA of the test's own in $work/NAME.pem (key NAME.key), trusted by nobody.
make_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/$1.key" -out "$work/$1.pem" -days 2 \
    -subj "/CN=$1" -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
}

# issue CA NAME SAN [START END]: NAME.pem/NAME.key signed by CA, for SAN (e.g. IP:127.0.0.1),
# valid from START to END (openssl ca's YYYYMMDDHHMMSSZ; default: now for a day).
issue() {
  local ca=$1 name=$2 san=$3 start=${4:-} end=${5:-}
  openssl req -newkey rsa:2048 -nodes -keyout "$work/$name.key" -out "$work/$name.csr" -subj "/CN=$name" 2>/dev/null
  mkdir -p "$work/$ca.db"
  : >"$work/$ca.db/index.txt"
  [[ -f $work/$ca.db/serial ]] || echo 1000 >"$work/$ca.db/serial"
  cat >"$work/$ca.db/ca.cnf" <<EOF
[ca]
default_ca = this
[this]
database = $work/$ca.db/index.txt
new_certs_dir = $work/$ca.db
serial = $work/$ca.db/serial
default_md = sha256
default_days = 1
policy = anything
x509_extensions = ext
[anything]
commonName = supplied
[ext]
basicConstraints = CA:FALSE
subjectAltName = $san
EOF
  openssl ca -batch -notext -config "$work/$ca.db/ca.cnf" -cert "$work/$ca.pem" -keyfile "$work/$ca.key" \
    -in "$work/$name.csr" -out "$work/$name.pem" ${start:+-startdate "$start"} ${end:+-enddate "$end"} 2>/dev/null
}

# tls_server NAME: openssl s_server with certificate NAME on a free port the kernel picks, in the
# background (a TLS-only endpoint that is not Cassandra); sets $tls_port.
tls_server() {
  tls_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  openssl s_server -accept "127.0.0.1:$tls_port" -cert "$work/$1.pem" -key "$work/$1.key" -quiet \
    </dev/null >"$work/s_server_$1.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$tls_port") 2>/dev/null && return 0
    sleep 0.1
  done
  fail "openssl s_server did not listen on $tls_port"
}

# refused DESCRIPTION PATTERN CMD...: CMD exits 1 within 60 s, saying PATTERN and naming the node.
refused() {
  local what=$1 pattern=$2 status=0 t0=$SECONDS; shift 2
  timeout 60 "$@" >"$work/out" 2>"$work/err" || status=$?
  [[ $status == 124 ]] && fail "$what: still running after 60 s"
  check "$what: exit status" "$status" 1
  grep -qE -- "$pattern" "$work/err" || fail "$what: the error does not say /$pattern/: $(tail -3 "$work/err")"
  echo "ok: $what in $((SECONDS - t0)) s: $(grep -E -- "$pattern" "$work/err" | head -1 | cut -c1-240)"
}
