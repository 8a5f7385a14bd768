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

# Polls FILE, which a process just started in the background writes, until the sed script SCRIPT
# prints something, and sets $line to its first line; fails naming WHAT after SECONDS. The file
# may not exist yet: the background shell creates it when it gets there (CI once failed on that).
await_line() { # await_line FILE SCRIPT SECONDS WHAT
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    line=$(sed -n "$2" "$1" 2>/dev/null | head -1 || true)
    [ -n "$line" ] && return 0
    sleep 0.1
  done
  fail "$4 (nothing in $1 after $3 s)"
}

# Starts `playstream broker` in the background and sets $brokers to its bootstrap address.
start_broker() {
  "$bin" broker "$@" >"$work/broker.out" 2>"$work/broker.err" &
  pids+=($!)
  await_line "$work/broker.out" 's/^bootstrap: //p' 10 "broker printed no bootstrap line"
  brokers=$line
}

# Starts `playstream serve ARGS` in the background on a kernel-chosen port, its output in
# $work/NAME.out and .err, and sets $page to http://ADDR.
start_serve() { # start_serve NAME ARGS...
  local name=$1; shift
  "$bin" serve --http 127.0.0.1:0 "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  await_line "$work/$name.out" 's/^serve: the page is at \(http:\/\/[^/]*\)\/.*/\1/p' 10 "serve printed no address"
  page=$line
}

rows() { sqlite3 "$1" "SELECT count(*) FROM listening_history" 2>/dev/null || echo 0; }
