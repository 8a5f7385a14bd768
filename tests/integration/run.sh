#!/usr/bin/env bash
# The tests against real servers: brings up Kafka and Cassandra with scripts/local-cluster (from
# Maven Central, cached), runs each test in the configuration it needs, and always takes the
# servers down. Usage: tests/integration/run.sh PLAYSTREAM_BIN SOURCE_DIR [--cluster 'UP OPTIONS'] [TEST...]
# A TEST is a script's path under tests/ without .sh (e.g. faults/servers/kafka_broker_kill);
# given TESTs, only those run (`make faults`), on the first cluster below (one Kafka, one
# Cassandra node), or on the one `local-cluster up UP OPTIONS` starts (e.g. '--cassandra-nodes 3').
set -uo pipefail
bin=$1
src=$2
shift 2
# TLS (optional on Cassandra's port) and Kafka's SASL_SSL listener come beside the plaintext ones,
# so every test of this first cluster runs on it, plaintext or not, without a restart. Its commit
# log is synced before a write is acknowledged, for the node kill (cassandra_node_kill says why).
first_cluster=(--cassandra-tls --kafka-security --durable-commitlog)
if [[ ${1:-} == --cluster ]]; then
  read -ra first_cluster <<<"${2:?--cluster needs the options of local-cluster up}"
  shift 2
fi
here=$(cd "$(dirname "$0")" && pwd)
cluster=$src/scripts/local-cluster
passed=0
failed=0
failures=()

trap '"$cluster" down >/dev/null 2>&1' EXIT

run() {
  local name=$1
  echo "=== $name"
  local start=$SECONDS
  local script=$here/$name.sh
  [[ $name == */* ]] && script=$here/../$name.sh
  local status=0
  bash "$script" "$bin" "$src" || status=$?
  if [ $status -eq 0 ]; then
    passed=$((passed + 1)); echo "=== $name: passed ($((SECONDS - start)) s)"
  elif [ $status -eq 77 ]; then  # the test printed why (tests/faults/checks.bash)
    echo "=== $name: skipped"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}
cluster_up() {
  "$cluster" down >/dev/null 2>&1
  "$cluster" up "$@" || { echo "cannot start servers ($*)"; exit 1; }
}

"$src/scripts/install-server-deps.sh"
cluster_up "${first_cluster[@]}"
if [ $# -gt 0 ]; then
  for t in "$@"; do run "$t"; done
else
  # The fault matrix's server kills last: they restart Kafka and Cassandra.
  # cassandra_outage (a graceful node stop) runs in `make faults`: the SIGKILL of the node below
  # covers the same wait-and-resume path, and the suite's time budget is tight.
  for t in driver real_pipeline secure_pipeline cassandra_tls_refusals kafka_security_refusals \
           migrate_cassandra kill_restart two_streams web_api \
           faults/servers/kafka_broker_kill faults/servers/cassandra_node_kill; do run $t; done
  cluster_up --auth
  run auth
  PLAYSTREAM_CASSANDRA_USER=cassandra PLAYSTREAM_CASSANDRA_PASSWORD=cassandra run driver
  # Three nodes in two datacenters (dc1: nodes 1 and 2, dc2: node 3) serve both 3-node tests.
  cluster_up --cassandra-dcs 2+1
  run replication_factor_3
  run multi_dc
fi

for f in "${failures[@]}"; do echo "failed: $f"; done
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
