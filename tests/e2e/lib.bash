# Shared by the process-level tests: run the real binary as a user would, check with sqlite3.
# Usage in a test: source "$(dirname "$0")/lib.bash" "$@"
set -euo pipefail

bin=$1
src=$2
catalog=$src/data/sample-catalog.csv
work=$(mktemp -d /tmp/playstream-e2e.XXXXXX)
pids=()

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ $status -ne 0 ]; then
    echo "--- logs in $work:" >&2
    for f in "$work"/*.err; do [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
check() { # check DESCRIPTION ACTUAL EXPECTED
  [ "$2" == "$3" ] || fail "$1: got '$2', expected '$3'"
  echo "ok: $1 ($2)"
}

# Starts `playstream broker` in the background and sets $brokers to its bootstrap address.
start_broker() {
  "$bin" broker "$@" >"$work/broker.out" 2>"$work/broker.err" &
  pids+=($!)
  for _ in $(seq 100); do
    brokers=$(sed -n 's/^bootstrap: //p' "$work/broker.out" 2>/dev/null || true)  # not created yet: wait
    [ -n "$brokers" ] && return 0
    sleep 0.1
  done
  fail "broker printed no bootstrap line"
}

rows() { sqlite3 "$1" "SELECT count(*) FROM listening_history" 2>/dev/null || echo 0; }
