#!/usr/bin/env bash
# Runs each fuzz target for SECONDS against a copy of its seed corpus; exits non-zero if any
# target finds something (crash, sanitizer report, leak, timeout, out-of-memory).
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]     (default: every target built in BUILD_DIR/fuzz)
# The corpus a run grows is kept in BUILD_DIR/fuzz/work/TARGET/corpus; a crashing input is
# written next to it (crash-*, timeout-*, oom-*) and its path printed by libFuzzer.
set -euo pipefail
build=$1 seconds=$2
shift 2
src=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$src"/*_fuzzer.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

failed=()
for t in "${targets[@]}"; do
  work=$build/fuzz/work/$t
  rm -rf "$work" && mkdir -p "$work/corpus"
  cp "$src/corpus/$t"/* "$work/corpus/"
  dict=()
  [ -f "$src/$t.dict" ] && dict=(-dict="$src/$t.dict")
  echo "fuzz: $t for ${seconds}s"
  # -timeout: one input taking longer is a finding (a hang), as is going past -rss_limit_mb.
  if ! "$build/fuzz/$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$work/" "${dict[@]}" "$work/corpus" >"$work/log" 2>&1; then
    failed+=("$t")
    tail -n 60 "$work/log"
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/log" | sed "s/^/fuzz: $t /" || true
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: FINDINGS in ${failed[*]} (inputs in $build/fuzz/work/<target>/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no findings"
