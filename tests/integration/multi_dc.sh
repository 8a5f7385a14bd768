#!/usr/bin/env bash
# Two datacenters (issue 9, section 4) on `local-cluster up --cassandra-dcs 2+1`: nodes 1 and 2 in
# dc1, node 3 in dc2, a keyspace replicated {dc1: 2, dc2: 1} (`schema --replication`), `stream` at LOCAL_QUORUM (its
# default) given the one contact point 127.0.0.1.
# 1. By default the local datacenter is the contact point's (dc1): every event is stored once, and
#    no request of stream's reaches node 3, by the driver's own count (/metrics) and by node 3's
#    (system_views.clients: stream has no connection there at all), though node 3 holds a replica of
#    every row (cqlsh on node 3 at LOCAL_ONE, which only node 3 can answer in dc2, sees them all).
# 2. With --cassandra-local-dc dc2 and the same contact point, requests go to node 3 only.
# In both, what Cassandra counted on stream's connections is checked against the driver's counters.
source "$(dirname "$0")/lib.bash" "$@"
cluster=$src/scripts/local-cluster
nodes=(127.0.0.1 127.0.0.2 127.0.0.3)

for i in 1 2 3; do
  dc=$("$cluster" cqlsh "$i" -e "SELECT data_center FROM system.local;" 2>/dev/null | awk '$1 ~ /^dc[0-9]+$/ {print $1}')
  want=dc1; (( i == 3 )) && want=dc2
  [ "$dc" = "$want" ] || fail "node $i is in datacenter '$dc', not $want: run 'local-cluster up --cassandra-dcs 2+1'"
done
store="cassandra://127.0.0.1/$keyspace"
"$bin" schema --store "$store" --replication dc1:2,dc2:1 2>"$work/schema.err" || fail "$(tail -1 "$work/schema.err")"
replication=$(cqlsh -e "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = '$keyspace';" 2>/dev/null | grep -o "{.*}")
check "the keyspace's replication" "$replication" \
  "{'class': 'org.apache.cassandra.locator.NetworkTopologyStrategy', 'dc1': '2', 'dc2': '1'}"

# The local ports of process PID's connections to ADDRESS:9042.
ports_of() { # ports_of PID ADDRESS
  ss -tnpH state established "( dst $2:9042 )" | awk -v pid="pid=$1," 'index($0, pid) {n = split($3, a, ":"); print a[n]}'
}
# Requests node N counted on the client connections at PORTS (system_views.clients), summed;
# "none" when it lists none of them.
# cqlsh is retried (up to 3 tries): a read that failed would look like "no connection" (CI once
# failed with node 3 listing none of stream's, which was not reproduced).
node_counted() { # node_counted N PORT...
  local n=$1 try; shift
  for try in 1 2 3; do
    "$cluster" cqlsh "$n" -e "SELECT port, request_count FROM system_views.clients;" >"$work/clients.out" 2>"$work/clients.err" && break
    [ $try == 3 ] && fail "cqlsh on node $n failed 3 times: $(tail -2 "$work/clients.err")"
    sleep 2
  done
  awk -F'|' -v ports=" $* " '$1 ~ /^ *[0-9]+ *$/ && index(ports, " " ($1 + 0) " ") {s += $2; f = 1} END {print f ? s : "none"}' "$work/clients.out"
}

# One run: produce N events to TOPIC, stream them with the extra options, and while stream is
# still up (idle, everything stored) record what each side counted. Sets driver[i], server[i]
# (requests to node i+1) and conns[i] (stream's connections to it).
run_stream() { # run_stream NAME N STREAM_OPTION...
  local name=$1 n=$2 i; shift 2
  "$bin" produce --brokers "$kafka" --topic "$topic-$name" --partitions 4 --catalog "$catalog" --count "$n" \
    --rate 2000 --users 40 --echo >"$work/$name.jsonl" 2>"$work/$name-produce.err" || fail "produce failed: $(tail -1 "$work/$name-produce.err")"
  "$bin" stream --brokers "$kafka" --topic "$topic-$name" --group "$name" --catalog "$catalog" --store "$store" \
    --http 127.0.0.1:0 --exit-when-idle 12 --report-interval 2 "$@" 2>"$work/$name-stream.err" &
  local streamer=$!
  pids+=($streamer)
  local deadline=$((SECONDS + 120))
  until grep -q "stored=$n " "$work/$name-stream.err"; do
    kill -0 $streamer 2>/dev/null || fail "stream ($name) ended early: $(tail -2 "$work/$name-stream.err")"
    [ $SECONDS -lt $deadline ] || fail "stream ($name) stored less than $n in 120 s: $(tail -1 "$work/$name-stream.err")"
    sleep 1
  done
  sleep 1  # the metrics reflect the job's status as published every 200 ms
  metrics_requests "$work/$name-stream.err" >"$work/$name-metrics.txt"
  for i in 0 1 2; do
    driver[i]=$(awk -v node="${nodes[i]}:9042" '$1 == node {print $2}' "$work/$name-metrics.txt")
    mapfile -t ports < <(ports_of $streamer "${nodes[i]}")
    conns[i]=${#ports[@]}
    server[i]=$(node_counted $((i + 1)) "${ports[@]}")
    echo "$name: node $((i + 1)) (${nodes[i]}): driver counted ${driver[i]:-no series}, stream's connections ${conns[i]}, node counted ${server[i]}"
  done
  local status=0
  wait $streamer || status=$?
  check "stream ($name) exit status" $status 0
  grep -q "stream: done: consumed=$n stored=$n rejected=0" "$work/$name-stream.err" || fail "$(tail -1 "$work/$name-stream.err")"
}
# Node I+1 took requests from stream, and Cassandra counted at least the driver's (plus a few of
# its own: the handshake, the control connection's reads).
expect_used() { # expect_used I
  [[ ${driver[$1]} =~ ^[0-9]+$ ]] && (( driver[$1] > 0 )) || fail "the driver counted no request to node $(($1 + 1))"
  [[ ${server[$1]} =~ ^[0-9]+$ ]] || fail "node $(($1 + 1)) lists no connection of stream's"
  (( server[$1] >= driver[$1] && server[$1] <= driver[$1] + 100 )) \
    || fail "node $(($1 + 1)) counted ${server[$1]} requests on stream's connections, the driver ${driver[$1]}"
}
expect_unused() { # expect_unused I
  [ -z "${driver[$1]}" ] || fail "the driver has a request counter for node $(($1 + 1)): ${driver[$1]}"
  check "stream's connections to node $(($1 + 1))" "${conns[$1]}" 0
  check "requests node $(($1 + 1)) counted from stream" "${server[$1]}" none
}

t0=$SECONDS
n1=20000
run_stream dc1 $n1
expect_used 0
expect_used 1
expect_unused 2
# The remote replica: node 3 alone answers LOCAL_ONE from dc2. Its copies came asynchronously
# (LOCAL_QUORUM waits for dc1 only), so give them a moment.
for _ in $(seq 30); do
  on3=$("$cluster" cqlsh 3 -e "CONSISTENCY LOCAL_ONE; SELECT count(*) FROM $keyspace.listening_history;" 2>/dev/null |
    awk '/^ *[0-9]+ *$/ {print $1}' | tail -1)
  [ "$on3" = "$n1" ] && break
  sleep 2
done
check "rows node 3 holds (LOCAL_ONE on node 3)" "$on3" $n1
echo "ok: dc1 run: $n1 events, requests dc1 ${driver[0]}+${driver[1]}, dc2 none ($((SECONDS - t0)) s)"

t0=$SECONDS
n2=10000
run_stream dc2 $n2 --cassandra-local-dc dc2
expect_unused 0
expect_unused 1
expect_used 2
echo "ok: dc2 run: $n2 events, requests to node 3 only: ${driver[2]} ($((SECONDS - t0)) s)"

# A datacenter the cluster does not have: a clear error at once, exit 1.
status=0
timeout 60 "$bin" query sample --store "$store" --cassandra-local-dc dc9 >/dev/null 2>"$work/dc9.err" || status=$?
check "exit status with an unknown datacenter" $status 1
grep -q "no node in datacenter 'dc9': .* has datacenters 'dc1' (2 nodes), 'dc2' (1 node)" "$work/dc9.err" \
  || fail "unclear error for an unknown datacenter: $(cat "$work/dc9.err")"
echo "ok: $(tail -1 "$work/dc9.err")"

cat "$work/dc1.jsonl" "$work/dc2.jsonl" >"$work/events.jsonl"
verify "$work/events.jsonl"
