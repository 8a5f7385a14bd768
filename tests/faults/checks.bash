# The fault matrix's checks, shared by tests/faults/*.sh (through lib.bash) and by the tests
# against real servers in tests/faults/servers/ (after tests/integration/lib.bash).

skip() { echo "SKIP: $*"; trap - EXIT; true; cleanup; exit 77; }  # 77: ctest SKIP_RETURN_CODE

# check_exactly_once EVENTS_JSONL STORED_IDS: STORED_IDS holds one id per stored row, as read by
# sqlite3 or cqlsh. Every produced id stored once: none lost, none twice, none from elsewhere.
check_exactly_once() {
  grep -o '"id":[0-9]*' "$1" | cut -d: -f2 | sort -u >"$work/produced.ids"
  sort "$2" >"$work/stored.ids"
  local produced stored twice lost foreign
  produced=$(wc -l <"$work/produced.ids")
  stored=$(wc -l <"$work/stored.ids")
  twice=$(uniq -d "$work/stored.ids" | wc -l)
  lost=$(sort -u "$work/stored.ids" | comm -23 "$work/produced.ids" - | wc -l)
  foreign=$(sort -u "$work/stored.ids" | comm -13 "$work/produced.ids" - | wc -l)
  [ "$produced" -gt 0 ] || fail "no events produced"
  check "ids lost" "$lost" 0
  check "ids stored twice" "$twice" 0
  check "ids stored but never produced" "$foreign" 0
  check "rows stored = distinct ids produced" "$stored" "$produced"
}

# For the tests of a 3-node cluster: brings Cassandra to 3 nodes unless it has them (run.sh takes
# them down at the end) and reloads the servers' variables.
three_cassandra_nodes() {
  [[ $PLAYSTREAM_CASSANDRA_HOSTS == 127.0.0.1,127.0.0.2,127.0.0.3 ]] && return 0
  local cluster=$src/scripts/local-cluster
  "$cluster" down --cassandra-only >"$work/cluster.err" 2>&1
  "$cluster" up --cassandra-only --cassandra-nodes 3 >>"$work/cluster.err" 2>&1 \
    || fail "cannot start 3 Cassandra nodes: $(tail -3 "$work/cluster.err")"
  eval "$("$cluster" env)"
}

sqlite_ids() { sqlite3 "$1" "SELECT id FROM listening_history"; }

# A kill's exit status: 137 is SIGKILL (128 + 9).
expect_killed() { # expect_killed STATUS ERR_FILE POINT
  [ "$1" -eq 137 ] || fail "expected a SIGKILL at $3, stream exited $1: $(tail -2 "$2")"
  grep -q "fault injection: SIGKILL at $3 " "$2" || fail "killed, but not at $3: $(tail -2 "$2")"
  echo "ok: stream killed at $3"
}

# Ids in this test's Cassandra table, read by cqlsh at QUORUM (after tests/integration/lib.bash).
cql_ids() {
  PYTHONPATH=$src/tests/integration python3 -c '
import sys
from cqlsh_rows import cqlsh_rows
for row in cqlsh_rows(sys.argv[2:], f"SELECT id FROM {sys.argv[1]}.listening_history;"):
    print(row[0])' "$keyspace" "$PLAYSTREAM_CQLSH" "${PLAYSTREAM_CQLSH_ARGS[@]}"
}

# Whether this binary has the fault-injection hook (it says so at start when PLAYSTREAM_FAULT is set).
has_fault_hook() {
  local out
  out=$(PLAYSTREAM_FAULT=after_ack:1 "$bin" --help 2>&1) || true
  [[ $out == *"fault injection armed"* ]]
}
