#!/usr/bin/env bash
# `make test`: every stage of the suite, overlapped where one stage waits and another computes.
# On 2 cores the unit and process-level tests mostly sleep on sockets, timers and child processes
# (measured: the release run used 45 s of CPU in 7 minutes, the ASan run 130 s in 6), while a build
# keeps both cores busy. So each build runs, niced, beside the tests of the build before it:
#
#   deps, build (release)
#   test-release   beside  build-asan, build-fuzz, package, the servers' downloads (server-deps)
#   test-asan      beside  test-fuzz, test-install
#   test-servers   alone: it times server kills and restarts
#
# Each stage logs to $BUILD/test-logs/STAGE.log and prints one line when it ends, with its time;
# a failed stage's log is printed, less ctest's lines for tests that passed. Exit status 1 if any
# stage failed.
#   tests/all.sh [MAKE_VARIABLE=VALUE ...]    (passed on to each make, e.g. BUILD=build-ci)
set -uo pipefail
cd "$(dirname "$0")/.."
vars=("$@")
build=build
for v in "${vars[@]}"; do [[ $v == BUILD=* ]] && build=${v#BUILD=}; done
logs=$build/test-logs
failed=()

# stage NAME [NICENESS]: `make NAME`, logged; what an earlier stage made (the targets in `made`)
# is not made again (make -o), so a build is never reconfigured under the tests running from it.
made=()
stage() {
  local name=$1 niceness=${2:-0} start=$SECONDS log=$logs/$1.log old=() t
  for t in "${made[@]}"; do old+=(-o "$t"); done
  if nice -n "$niceness" make --no-print-directory "${old[@]}" "${vars[@]}" "$name" >"$log" 2>&1; then
    echo "make test: $name passed in $((SECONDS - start)) s"
    grep -E '^(100% tests passed|[0-9]+% tests passed|fuzz: [0-9]+ targets|integration:|install:)' "$log" \
      | sed 's/^/    /'
    return 0
  fi
  # The log without ctest's lines for tests that started and passed (a failure's output stays).
  echo "make test: $name FAILED after $((SECONDS - start)) s; its log ($log), passed tests left out:"
  grep -Ev '^ +Start +[0-9]+: |Test +#[0-9]+: .* Passed ' "$log" | sed 's/^/    /'
  echo "make test: $name FAILED (above)"
  return 1
}

# run_phase "STAGE [STAGE...]" ...: each argument a chain of stages run in order (stopping at the
# first that fails), the chains side by side; a chain's first word may be nice:N.
run_phase() {
  local pids=() chain
  for chain in "$@"; do
    (
      local niceness=0
      for s in $chain; do
        if [[ $s == nice:* ]]; then niceness=${s#nice:}; continue; fi
        stage "$s" "$niceness" || exit 1
        made+=("$s")
      done
    ) &
    pids+=($!)
  done
  local chains=("$@") i ok=0
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || { failed+=("${chains[$i]}"); ok=1; }; done
  # Every stage of the phase is made now (configure with build).
  for chain in "$@"; do for t in ${chain#nice:* }; do made+=("$t"); done; done
  [[ " ${made[*]} " == *" build "* ]] && made+=(configure)
  return $ok
}

total=$SECONDS
mkdir -p "$logs"
run_phase "deps build" &&
  run_phase "test-release" "nice:10 build-asan build-fuzz package server-deps" &&
  run_phase "test-asan" "nice:10 test-fuzz test-install" &&
  run_phase "test-servers"
status=$?
echo "make test: $((SECONDS - total)) s in all"
if [ $status -ne 0 ]; then
  echo "make test: FAILED: ${failed[*]}"
  exit 1
fi
echo "make test: every stage passed"
