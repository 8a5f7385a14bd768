# shellcheck shell=bash
# Cassandra for scripts/local-cluster: 1..9 nodes, node N on 127.0.0.N (CQL 9042, storage 7000,
# JMX 127.0.0.1:7N99), each with its own conf, data and logs under $STATE_DIR/cassandra/nodeN, as ccm
# lays them out. Sourced; uses cluster-common.sh.
#
# Maven Central has no apache-cassandra binary tarball after 4.0-alpha2, so the server is assembled
# from org.apache.cassandra:cassandra-all and its runtime dependencies (the same jars as the tarball's
# lib/), with our own conf from scripts/cassandra/ and a plain `java ... CassandraDaemon` instead of
# bin/cassandra (which also means no root check to bypass with -R).

CASSANDRA_VERSION=${PLAYSTREAM_CASSANDRA_VERSION:-5.0.9}
CQLSH_VERSION=${PLAYSTREAM_CQLSH_VERSION:-6.2.2}
CASSANDRA_LIB=$CACHE_DIR/cassandra-$CASSANDRA_VERSION/lib
CQLSH_VENV=$CACHE_DIR/cqlsh-$CQLSH_VERSION-venv
CASSANDRA_DIR=$STATE_DIR/cassandra
CASSANDRA_CONF_SRC=$SCRIPT_DIR/cassandra
CASSANDRA_CLUSTER_FILE=$CASSANDRA_DIR/cluster.conf
CASSANDRA_START_TIMEOUT=${PLAYSTREAM_CASSANDRA_START_TIMEOUT:-180}
CASSANDRA_PORT=9042

cass_addr()     { echo "127.0.0.$1"; }
cass_node_dir() { echo "$CASSANDRA_DIR/node$1"; }
cass_jmx_port() { echo $(( 7099 + 100 * $1 )); }
cass_pidfile()  { echo "$(cass_node_dir "$1")/cassandra.pid"; }
# What identifies our JVM in /proc/PID/cmdline: the node's own yaml path.
cass_marker()   { echo "$(cass_node_dir "$1")/conf/cassandra.yaml"; }
cass_log()      { echo "$(cass_node_dir "$1")/logs/system.log"; }

# Topology and options of the cluster as last brought up: NODES, DCS (nodes per datacenter, "2+1";
# empty: one datacenter, SimpleSnitch), AUTH, TLS and DURABLE.
cass_load_cluster() {
  NODES=0 DCS="" AUTH=0 TLS=0 DURABLE=0
  # shellcheck disable=SC1090
  [[ -f $CASSANDRA_CLUSTER_FILE ]] && source "$CASSANDRA_CLUSTER_FILE"
  return 0
}

cass_install() {
  maven_copy_runtime_jars "$CASSANDRA_LIB" "cassandra $CASSANDRA_VERSION" \
    "org.apache.cassandra:cassandra-all:$CASSANDRA_VERSION"
  cqlsh_install
}

# cassandra-stress, the load tool Cassandra ships in its binary tarball (tools/bin), for the raw
# write baseline of bench/e2e_cassandra.sh. 4.0-alpha2 is the newest tarball on Maven Central; it is
# only a client here (protocol v4 through its bundled Java driver), so its age does not matter to the
# 5.0 server it loads.
STRESS_VERSION=${PLAYSTREAM_STRESS_VERSION:-4.0-alpha2}
STRESS_HOME=$CACHE_DIR/cassandra-stress-$STRESS_VERSION

stress_install() {
  [[ -f $STRESS_HOME/.complete ]] && return 0
  command -v mvn >/dev/null || die "mvn not found: run scripts/install-server-deps.sh"
  log "fetching cassandra-stress (apache-cassandra $STRESS_VERSION bin tarball) through Maven"
  rm -rf "$STRESS_HOME" "$STRESS_HOME.tmp"
  mkdir -p "$STRESS_HOME.tmp"
  if ! mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.apache.cassandra:apache-cassandra:$STRESS_VERSION:tar.gz:bin" \
      -DoutputDirectory="$STRESS_HOME.tmp" >"$STRESS_HOME.tmp/mvn.log" 2>&1; then
    tail -n 40 "$STRESS_HOME.tmp/mvn.log" >&2
    die "Maven could not fetch org.apache.cassandra:apache-cassandra:$STRESS_VERSION:tar.gz:bin"
  fi
  tar xzf "$STRESS_HOME.tmp"/apache-cassandra-*.tar.gz -C "$STRESS_HOME.tmp" --strip-components=1
  rm -f "$STRESS_HOME.tmp"/apache-cassandra-*.tar.gz
  mv "$STRESS_HOME.tmp" "$STRESS_HOME"
  touch "$STRESS_HOME/.complete"
}

# cqlsh from PyPI in its own venv: an independent client for checking what playstream wrote.
cqlsh_install() {
  [[ -f $CQLSH_VENV/.complete ]] && return 0
  python3 -c 'import venv, ensurepip' 2>/dev/null \
    || die "python3 venv/ensurepip missing: run scripts/install-server-deps.sh"
  log "installing cqlsh $CQLSH_VERSION from PyPI into $CQLSH_VENV"
  rm -rf "$CQLSH_VENV"
  python3 -m venv "$CQLSH_VENV"
  "$CQLSH_VENV/bin/pip" install -q --disable-pip-version-check "cqlsh==$CQLSH_VERSION" \
    || die "pip could not install cqlsh $CQLSH_VERSION"
  touch "$CQLSH_VENV/.complete"
}

# cqlsh against node N, with the default superuser when the cluster runs with --auth.
#   cass_cqlsh N CQLSH_ARGS...
cass_cqlsh() {
  local n=$1; shift
  local creds=()
  cass_load_cluster
  if (( AUTH )); then
    # A credentials file rather than -u/-p, which make cqlsh warn on every call.
    if [[ ! -f $CASSANDRA_DIR/cqlsh-credentials ]]; then
      mkdir -p "$CASSANDRA_DIR"
      printf '[PlainTextAuthProvider]\nusername = cassandra\npassword = cassandra\n' >"$CASSANDRA_DIR/cqlsh-credentials"
      chmod 600 "$CASSANDRA_DIR/cqlsh-credentials"
    fi
    creds=(--credentials="$CASSANDRA_DIR/cqlsh-credentials")
  fi
  "$CQLSH_VENV/bin/cqlsh" "$(cass_addr "$n")" "$CASSANDRA_PORT" "${creds[@]}" \
    --connect-timeout=5 --request-timeout=20 "$@"
}

# nodetool of the same Cassandra version, through node N's JMX port.
#   cass_nodetool N NODETOOL_ARGS...
cass_nodetool() {
  local n=$1; shift
  local opts=()
  mapfile -t opts < <(read_jvm_options "$CASSANDRA_CONF_SRC/jvm17-server.options" | grep -E '^--add|^-Djdk')
  java -Xmx128m -XX:TieredStopAtLevel=1 "${opts[@]}" \
    -Dlogback.configurationFile="$CASSANDRA_CONF_SRC/logback-tools.xml" \
    -cp "$CASSANDRA_LIB/*" org.apache.cassandra.tools.NodeTool \
    -h 127.0.0.1 -p "$(cass_jmx_port "$n")" "$@"
}

# The readiness check: a real CQL query, answered by the node itself.
cass_ready() {
  local out
  out=$(cass_cqlsh "$1" -e "SELECT release_version FROM system.local" 2>&1) || return 1
  [[ $out == *"$CASSANDRA_VERSION"* ]]
}

# The datacenter of node N with DCS="A+B...": dc1 for the first A nodes, dc2 for the next B...; a
# node past them (add-node) joins the last one.
cass_dc_of() {
  local n=$1 count dc=0 seen=0 counts=()
  IFS=+ read -ra counts <<<"$DCS"
  for count in "${counts[@]}"; do
    dc=$(( dc + 1 )) seen=$(( seen + count ))
    (( n <= seen )) && break
  done
  echo "dc$dc"
}

# DCS with the last datacenter's count changed by DELTA (+1 after add-node, -1 after a decommission).
cass_dcs_resize_last() {
  local last=${DCS##*+} head=""
  [[ $DCS == *+* ]] && head=${DCS%+*}+
  (( last + $1 > 0 )) && DCS=$head$(( last + $1 )) || DCS=${head%+}
}

cass_write_conf() {
  local n=$1 dir authenticator=AllowAllAuthenticator
  dir=$(cass_node_dir "$n")
  (( AUTH )) && authenticator=PasswordAuthenticator
  mkdir -p "$dir"/{conf,data,commitlog,saved_caches,hints,cdc_raw,logs}
  sed -e "s|@NODE_DIR@|$dir|g" -e "s|@ADDRESS@|$(cass_addr "$n")|g" \
      -e "s|@SEEDS@|$(cass_addr 1):7000|g" -e "s|@AUTHENTICATOR@|$authenticator|g" \
      "$CASSANDRA_CONF_SRC/cassandra.yaml.in" >"$dir/conf/cassandra.yaml"
  cp "$CASSANDRA_CONF_SRC/logback.xml" "$dir/conf/logback.xml"
  # Several datacenters: each node says its own in cassandra-rackdc.properties (read from the
  # classpath, which starts with conf/), and gossip tells the others.
  if [[ -n $DCS ]]; then
    sed -i 's/^endpoint_snitch: SimpleSnitch$/endpoint_snitch: GossipingPropertyFileSnitch/' "$dir/conf/cassandra.yaml"
    printf 'dc=%s\nrack=rack1\n' "$(cass_dc_of "$n")" >"$dir/conf/cassandra-rackdc.properties"
  fi
  (( TLS )) && cass_write_tls_conf "$n" "$dir/conf/cassandra.yaml"
  # Writes wait for the sync (shared by those waiting together), so more writer threads than the
  # periodic mode's 8 keep the node's throughput.
  (( DURABLE )) && sed -i -e 's/^commitlog_sync: periodic$/commitlog_sync: batch/' \
      -e '/^commitlog_sync_period:/d' -e 's/^concurrent_writes: 8$/concurrent_writes: 64/' \
      "$dir/conf/cassandra.yaml"
  return 0
}

# Client encryption, optional: plaintext and TLS clients share port 9042 (the node tells them
# apart by the first bytes), so one node serves every test. A TLS client must show a certificate
# of our CA (require_client_auth): Cassandra 5.0 has no "ask, but do not require" setting, and
# requiring it is what lets the tests prove mutual TLS.
cass_write_tls_conf() {
  local n=$1 yaml=$2
  tls_for_cassandra "$n"
  cat >>"$yaml" <<EOF

# Added by scripts/local-cluster up --cassandra-tls.
client_encryption_options:
  enabled: true
  optional: true
  keystore: $TLS_DIR/cassandra$n.p12
  keystore_password: $TLS_STORE_PASSWORD
  truststore: $TLS_DIR/truststore.p12
  truststore_password: $TLS_STORE_PASSWORD
  store_type: PKCS12
  require_client_auth: true
EOF
}

cass_heap() {
  # One node gets 4 GiB (its memtables then get 1 GiB on the heap and 1 GiB off it, Cassandra's
  # quarter of the heap each). Measured on an AMD EPYC with 2 cores, 2026-12-07:
  # - With 1 GiB, a node on one CPU of its own (bench/write_path.sh, isolated) spent 25-37 CPU us
  #   per row written, paused for GC ~10 s a minute (in drains with Cassandra's trie memtable on;
  #   not measured with the default one), and its memtables filled faster than one
  #   flush writer emptied them: writes waited behind the flush past write_request_timeout and were
  #   dropped, each a Write_timeout the driver tried again, in 2 of 3 runs of 1,000,000 (2 GiB: 23-33
  #   us, 120 and 241 dropped in 2 of 3). With 4 GiB: ~4 s of pauses a minute, none dropped in 12
  #   runs, 14-21 us per row in the runs of one start, isolated and shared (the node's speed
  #   still varies between starts).
  # - Freshness (bench/freshness.sh, 60 s runs after warm-up): p99 at 5,000 events/s 206, 62, 66 ms
  #   against 776, 154, 84 with 1 GiB; at 20,000/s 299, 291, 450 against 1171, 433, 301. The longest
  #   pauses are longer (up to ~180 ms against ~100), the pauses far fewer.
  # With several nodes, 768 MiB each keeps three nodes + Kafka well inside memory.
  if [[ -n ${PLAYSTREAM_CASSANDRA_HEAP:-} ]]; then echo "$PLAYSTREAM_CASSANDRA_HEAP"
  elif (( NODES > 1 )); then echo 768M
  else echo 4G; fi
}

cass_running_pid() { live_pid "$(cass_pidfile "$1")" "$(cass_marker "$1")"; }

# Starts node N (of the cluster in cluster.conf) and waits until it answers CQL.
cass_start_node() {
  local n=$1 pid dir addr jmx heap t0 jamm opts=()
  if pid=$(cass_running_pid "$n"); then
    log "cassandra node $n: already up (pid $pid) on $(cass_addr "$n"):$CASSANDRA_PORT"
    return 0
  fi
  dir=$(cass_node_dir "$n") addr=$(cass_addr "$n") jmx=$(cass_jmx_port "$n") heap=$(cass_heap)
  port_open "$addr" "$CASSANDRA_PORT" && die "cassandra node $n: $addr:$CASSANDRA_PORT is in use by another process"
  port_open "$addr" 7000 && die "cassandra node $n: $addr:7000 is in use by another process"
  port_open 127.0.0.1 "$jmx" && die "cassandra node $n: JMX port 127.0.0.1:$jmx is in use by another process"
  cass_write_conf "$n"
  mapfile -t opts < <(read_jvm_options "$CASSANDRA_CONF_SRC/jvm17-server.options")
  jamm=$(compgen -G "$CASSANDRA_LIB/jamm-*.jar" | head -n 1) || die "no jamm jar in $CASSANDRA_LIB"
  rotate_log "$(cass_log "$n")"
  t0=$(now_s)
  log "cassandra node $n: starting $CASSANDRA_VERSION on $addr:$CASSANDRA_PORT (heap $heap, JMX $jmx)"
  # What bin/cassandra and cassandra-env.sh would pass, plus two waits cut short: gossip settling
  # (skipped) and the ring delay a new node sleeps before choosing its tokens (30 s by default; on
  # loopback, with nodes started one after another, gossip has the ring within a second or two).
  spawn "$(cass_pidfile "$n")" "$dir/logs/stdout.log" \
    java "${opts[@]}" -Xms"$heap" -Xmx"$heap" \
    -Xlog:gc=info:file="$dir/logs/gc.log":time,uptime:filecount=3,filesize=10m \
    -javaagent:"$jamm" \
    -Dcassandra-foreground=yes \
    -Dcassandra.config="file://$dir/conf/cassandra.yaml" \
    -Dcassandra.storagedir="$dir" -Dcassandra.logdir="$dir/logs" \
    -Dlogback.configurationFile="$dir/conf/logback.xml" \
    -Dcassandra.jmx.local.port="$jmx" -Dcom.sun.management.jmxremote.authenticate=false \
    -Dcassandra.skip_wait_for_gossip_to_settle=0 \
    -Dcassandra.auto_bootstrap="${CASS_BOOTSTRAP:-false}" \
    -Dcassandra.ring_delay_ms="${PLAYSTREAM_CASSANDRA_RING_DELAY_MS:-5000}" \
    -Dcassandra.superuser_setup_delay_ms=0 \
    -cp "$dir/conf:$CASSANDRA_LIB/*" org.apache.cassandra.service.CassandraDaemon
  if ! wait_until "cassandra node $n" "$(cass_pidfile "$n")" "$(cass_marker "$n")" "$(cass_log "$n")" \
      "$CASSANDRA_START_TIMEOUT" cass_ready "$n"; then
    # The JVM's own output tells what logback cannot (bad flags, missing classes).
    [[ -s $dir/logs/stdout.log ]] && { log "JVM output:"; tail -n 20 "$dir/logs/stdout.log" >&2; }
    cass_stop_node "$n" KILL
    die "cassandra node $n: did not start"
  fi
  log "cassandra node $n: up in $(( $(now_s) - t0 )) s (pid $(<"$(cass_pidfile "$n")"))"
}

# Stops node N: TERM lets Cassandra drain (flush memtables) in its shutdown hook; KILL simulates a crash.
cass_stop_node() {
  stop_pid "cassandra node $1" "$(cass_pidfile "$1")" "$(cass_marker "$1")" 60 "${2:-TERM}"
}

# Brings up an N-node cluster, node by node (concurrent joins would race for tokens).
#   cass_up NODES DCS AUTH TLS DURABLE   (DCS: "" for one datacenter, or "2+1"...)
cass_up() {
  local want_nodes=$1 want_dcs=$2 want_auth=$3 want_tls=$4 want_durable=$5 n running=()
  cass_load_cluster
  for dir in "$CASSANDRA_DIR"/node*; do
    [[ -d $dir ]] || continue
    n=${dir##*node}
    cass_running_pid "$n" >/dev/null && running+=("$n")
  done
  # A node refuses to start in another datacenter than its data says: a new layout is a new cluster.
  if (( NODES != 0 )) && [[ $NODES != "$want_nodes" || $DCS != "$want_dcs" ]]; then
    (( ${#running[@]} )) && die "cassandra is running with $NODES node(s)${DCS:+ in datacenters $DCS}; run 'down' before asking for $want_nodes${want_dcs:+ in $want_dcs}"
    log "cassandra: topology changes from $NODES node(s)${DCS:+ ($DCS)} to $want_nodes${want_dcs:+ ($want_dcs)}: discarding the old cluster's data"
    rm -rf "$CASSANDRA_DIR"
  fi
  if (( ${#running[@]} && AUTH != want_auth )); then
    die "cassandra is running with auth=$AUTH; run 'down' before changing --auth"
  fi
  # TLS is optional on the port: a running TLS cluster also serves a caller that did not ask for it.
  if (( ${#running[@]} && TLS != want_tls )); then
    (( want_tls )) && die "cassandra is running without TLS; run 'down' before asking for --cassandra-tls"
    want_tls=$TLS
  fi
  if (( ${#running[@]} && DURABLE != want_durable )); then
    die "cassandra is running with durable-commitlog=$DURABLE; run 'down' before changing --durable-commitlog"
  fi
  cass_install
  mkdir -p "$CASSANDRA_DIR"
  NODES=$want_nodes DCS=$want_dcs AUTH=$want_auth TLS=$want_tls DURABLE=$want_durable
  cass_save_cluster
  for ((n = 1; n <= NODES; n++)); do
    cass_start_node "$n"
  done
  cass_wait_ring
}

cass_save_cluster() {
  printf 'NODES=%d\nDCS="%s"\nAUTH=%d\nTLS=%d\nDURABLE=%d\n' "$NODES" "$DCS" "$AUTH" "$TLS" "$DURABLE" \
    >"$CASSANDRA_CLUSTER_FILE"
}

# Bootstraps node NODES+1 into the running cluster: unlike the nodes of 'up' (auto_bootstrap off,
# as every node of a new cluster may be), it streams the data of the token ranges it takes from
# the others before it serves, as a node added to a production cluster does. With several
# datacenters it joins the last one.
cass_add_node() {
  cass_load_cluster
  (( NODES >= 1 )) || die "no cluster: run 'up' first"
  (( NODES < 9 )) || die "the cluster has 9 nodes, the most local-cluster runs"
  cass_running_pid 1 >/dev/null || die "node 1 (the seed) must be up for a node to join"
  local n=$(( NODES + 1 ))
  rm -rf "$(cass_node_dir "$n")"   # a node that was decommissioned must not come back with its old state
  CASS_BOOTSTRAP=true cass_start_node "$n"
  # Recorded once it serves: a bootstrap that failed leaves the cluster as it was.
  NODES=$n
  [[ -n $DCS ]] && cass_dcs_resize_last 1
  cass_save_cluster
}

# Decommissions the last node: it streams its data to the others and leaves the ring (clients
# get a REMOVED_NODE event), then it is stopped and forgotten. Only the last, so that nodes stay
# numbered 1..NODES.
cass_decommission_node() {
  local n=$1
  cass_load_cluster
  (( n == NODES )) || die "only the last node ($NODES) can be decommissioned"
  (( n > 1 )) || die "node 1 is the only node left: use 'down'"
  cass_running_pid "$n" >/dev/null || die "cassandra node $n is not running"
  log "cassandra node $n: decommissioning (its data streams to the other nodes)"
  cass_nodetool "$n" decommission || die "cassandra node $n: decommission failed (see $(cass_log "$n"))"
  cass_stop_node "$n"
  rm -rf "$(cass_node_dir "$n")"
  NODES=$(( n - 1 ))
  [[ -n $DCS ]] && cass_dcs_resize_last -1
  cass_save_cluster
  log "cassandra node $n: decommissioned; the cluster has $NODES node(s)"
}

# Waits until every running node sees the cluster as it is: running nodes Up/Normal, stopped ones
# Down. A node answering CQL is not enough: right after 'up' or 'start-node', reads at ALL or
# QUORUM need the others to see it up; right after 'stop-node --kill', coordinators keep sending to
# the dead node (and time out) until their failure detector convicts it, which takes seconds.
cass_wait_ring() {
  local deadline=$(( $(now_s) + 90 )) n m out state running=() missing
  for ((n = 1; n <= NODES; n++)); do
    cass_running_pid "$n" >/dev/null && running+=("$n")
  done
  (( ${#running[@]} >= 1 && NODES > 1 )) || return 0
  while true; do
    missing=""
    for m in "${running[@]}"; do
      out=$(cass_nodetool "$m" status 2>/dev/null) || { missing+=" $m:no-jmx"; continue; }
      for ((n = 1; n <= NODES; n++)); do
        (( n == m )) && continue
        if cass_running_pid "$n" >/dev/null; then state=UN; else state=DN; fi
        [[ $out =~ (^|$'\n')$state\ +$(cass_addr "$n")\  ]] || missing+=" $m:$n!=$state"
      done
    done
    if [[ -z $missing ]]; then
      log "cassandra: the nodes agree: up ${running[*]}, $(( NODES - ${#running[@]} )) down"
      return 0
    fi
    (( $(now_s) >= deadline )) && die "cassandra: nodes disagree on the ring after 90 s (node:peer!=expected):$missing"
    sleep 2   # each round starts a nodetool JVM per node: poll gently on 2 cores
  done
}

cass_down() {
  local sig=${1:-TERM} dir n pids=()
  # Stop all nodes at once (each drains on its own), highest first so the seed goes last.
  for dir in $(compgen -G "$CASSANDRA_DIR/node*" | sort -r); do
    n=${dir##*node}
    cass_running_pid "$n" >/dev/null || continue
    cass_stop_node "$n" "$sig" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
}

cass_status() {
  local n pid rc=0
  cass_load_cluster
  if (( NODES == 0 )); then
    echo "cassandra    down  (no cluster)"
    return 1
  fi
  for ((n = 1; n <= NODES; n++)); do
    if pid=$(cass_running_pid "$n"); then
      if cass_ready "$n" 2>/dev/null; then
        echo "cassandra$n   up    pid $pid  $(cass_addr "$n"):$CASSANDRA_PORT  (cassandra $CASSANDRA_VERSION, JMX 127.0.0.1:$(cass_jmx_port "$n"))"
      else
        echo "cassandra$n   starting/unresponsive  pid $pid  $(cass_addr "$n"):$CASSANDRA_PORT"
        rc=1
      fi
    else
      echo "cassandra$n   down  $(cass_addr "$n"):$CASSANDRA_PORT"
      rc=1
    fi
  done
  if [[ -n $DCS ]]; then
    local dcs=()
    for ((n = 1; n <= NODES; n++)); do dcs+=("$n:$(cass_dc_of "$n")"); done
    echo "cassandra    datacenters: ${dcs[*]} (node:datacenter, GossipingPropertyFileSnitch)"
  fi
  (( AUTH )) && echo "cassandra    auth: PasswordAuthenticator (cassandra/cassandra)"
  (( DURABLE )) && echo "cassandra    commit log: batch (a write is acknowledged once synced)"
  (( TLS )) && echo "cassandra    tls: optional on port $CASSANDRA_PORT, client certificate required (CA $TLS_DIR/ca.pem)"
  return $rc
}

cass_purge() { rm -rf "$CASSANDRA_DIR"; }
