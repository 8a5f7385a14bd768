#!/usr/bin/env bash
# The write path against real Kafka and Cassandra (issue 10: end to end >= 0.95 of the raw write
# limit in every run of three; CPU per million events; peak RSS): EVENTS events already in Kafka
# (8 partitions, gzip as `produce` sends them) -> `stream` -> Cassandra, RUNS times. The named
# baseline, "cassandra_direct" (our writer with no Kafka: bench_store_direct, the same row count
# and batch size), is measured before each run and after the last, since the node's speed drifts
# as it warms, compacts and collects: each run's ratio is to the faster of the two around it.
# Per run: events/s, the ratio, stream's CPU s per million events, peak RSS, the load average;
# then where the CPU went (stream, broker and node; cassandra_direct and the node in the runs
# around it), and how many writes the node dropped as overloaded in each.
#
# PLACEMENT says where the processes run (default: both, one after the other):
#   shared    every process left where it runs (`local-cluster` starts them on every CPU). On
#             a small machine the ratio then says how the CPU is shared: whatever the broker and
#             `stream` use is taken from the node, which alone can keep every CPU busy.
#   isolated  the Cassandra node on the upper half of the CPUs, the broker, `stream` and
#             cassandra_direct on the lower half (taskset; put back when the script ends): the node
#             has CPUs of its own, as it has machines of its own in production, and the ratio says
#             whether `stream` keeps pace with the store. Both the baseline and the runs are
#             measured so. Needs 2 CPUs or more; each process gets its own CPU list back at the end.
# With PERF=1, the last run is profiled (perf record -e cpu-clock) and its top symbols printed
# (with PLACEMENT=both, the isolated one's).
# Needs the servers up (scripts/local-cluster up, or PLAYSTREAM_STATE of a running cluster).
# Usage: [PLACEMENT=shared|isolated|both] bench/write_path.sh BUILD_DIR [EVENTS] [RUNS]
#        (BENCH_PREFIX names topics/keyspaces)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.bash
. "$src/bench/lib.bash"
bench_against_servers "${1:-build}"
events=${2:-1000000}
runs=${3:-3}

placement=${PLACEMENT:-both}
case $placement in shared | isolated | both) ;; *) echo "PLACEMENT: shared, isolated or both" >&2; exit 2 ;; esac
# The CPUs this script may use (its own affinity list, e.g. 0-1 or 0,2,5), one number a line.
mapfile -t cpus < <(taskset -p -c $$ | sed 's/.*: //' | tr ',' '\n' |
  awk -F- '{ for (c = $1; c <= ($2 == "" ? $1 : $2); c++) print c }')
if [[ $placement != shared ]]; then
  ((${#cpus[@]} >= 2)) || { echo "isolated needs 2 CPUs or more" >&2; exit 2; }
  [[ -n $cassandra_pid && -n $kafka_pid ]] || { echo "no Cassandra or Kafka process found on this machine" >&2; exit 1; }
fi
half=$((${#cpus[@]} / 2))
node_cpus=$(IFS=,; echo "${cpus[*]:half}") rest_cpus=$(IFS=,; echo "${cpus[*]:0:half}")
affinity() { taskset -p -c "$1" | sed 's/.*: //'; }  # a process's CPU list as it is now
saved=()  # "PID CPUS" of each process pinned, to put back
# isolate: the node on the upper half of our CPUs (every thread, and the threads it starts
# later), the broker and this script (so everything it starts) on the lower half.
isolate() {
  saved=("$cassandra_pid $(affinity "$cassandra_pid")" "$kafka_pid $(affinity "$kafka_pid")" "$$ $(affinity $$)")
  taskset -a -p -c "$node_cpus" "$cassandra_pid" >/dev/null
  taskset -a -p -c "$rest_cpus" "$kafka_pid" >/dev/null
  taskset -p -c "$rest_cpus" $$ >/dev/null
}
# Each process pinned back on the CPUs it had; every one is tried, even if one is gone.
unpin() {
  local entry
  for entry in "${saved[@]}"; do
    taskset -a -p -c "${entry#* }" "${entry%% *}" >/dev/null 2>&1 || echo "could not put back the CPUs of pid ${entry%% *}" >&2
  done
  saved=()
}
trap 'unpin || true; rm -rf "$work"' EXIT

# direct N: "RATE OWN NODE DROPPED": rows/s of cassandra_direct into a keyspace of its own, the
# CPU seconds per million rows it and the Cassandra node used meanwhile, and the writes the node
# dropped meanwhile.
direct() {
  local keyspace="${prefix//-/_}_direct_${run}_$1" rate own c0 d0 node dropped
  "$bin" schema --store "$cassandra/$keyspace" 2>/dev/null
  d0=$(bench_node_dropped)
  c0=$(bench_pid_cpu "$cassandra_pid")
  /usr/bin/time -f '%U %S' -o "$work/direct.time" "$build/bench/bench_store_direct" "$events" "$cassandra/$keyspace" 10000 >"$work/direct.out"
  rate=$(cat "$work/direct.out")
  own=$(awk -v n="$events" '{printf "%.2f", ($1 + $2) / n * 1e6}' "$work/direct.time")
  node=$(bc -l <<<"($(bench_pid_cpu "$cassandra_pid") - $c0) / $events * 1000000" | xargs printf '%.2f')
  dropped=$(dropped_since "$d0")
  # Dropped before the line is printed: the caller reads the line and goes on to the next run.
  bench_drop_keyspace "$keyspace"
  echo "$rate $own $node $dropped"
}

# The node's dropped writes since a bench_node_dropped reading, or "-".
dropped_since() {
  local now
  now=$(bench_node_dropped)
  [[ $1 == - || $now == - ]] && echo - || echo $((now - $1))
}

topic="$prefix-write-$run"
"$bin" produce --brokers "$kafka" --topic "$topic" --partitions 8 --catalog "$catalog" \
  --count "$events" --rate 0 --users 100 --seed 42 2>"$work/produce.err"

# measure PLACEMENT: RUNS runs between raw-limit runs, all with the processes placed so.
measure() {
  local mode=$1 before after limit n keyspace args results=()
  if [[ $mode == isolated ]]; then
    isolate
    echo "isolated: Cassandra (pid $cassandra_pid) on CPUs $node_cpus; Kafka (pid $kafka_pid), stream and cassandra_direct on $rest_cpus"
  else
    echo "shared: every process on the CPUs it was started with"
  fi
  # Cassandra's JVM compiles its hot paths during the first writes (and is slower at first on
  # CPUs it has just been moved to): warm it up unmeasured.
  local warm="${prefix//-/_}_warm_${run}_$mode"
  "$bin" schema --store "$cassandra/$warm" 2>/dev/null
  "$build/bench/bench_store_direct" 200000 "$cassandra/$warm" 10000 >/dev/null
  bench_drop_keyspace "$warm"
  read -r before before_own before_node before_dropped < <(direct "${mode}0")
  for ((n = 1; n <= runs; n++)); do
    keyspace="${prefix//-/_}_write_${run}_${mode}_$n"
    "$bin" schema --store "$cassandra/$keyspace" 2>/dev/null
    args=(--brokers "$kafka" --topic "$topic" --group "$prefix-write-$run-$mode-$n" --catalog "$catalog"
          --store "$cassandra/$keyspace" --max-messages "$events")
    dropped=$(bench_node_dropped)
    if [[ ${PERF:-0} == 1 && $n == "$runs" ]]; then
      perf record -e cpu-clock -F 999 -o "$work/perf.data" -- "$bin" stream "${args[@]}" --report-interval 0 \
        2>"$work/perf.err" >/dev/null
      seconds=$(sed -n 's/^stream: done: .* in \([0-9.]*\)s$/\1/p' "$work/perf.err") rss_mb=- cpu=- load=$(bench_load)
    else
      bench_timed_stream "run$n" "${args[@]}"
    fi
    dropped=$(dropped_since "$dropped")
    bench_drop_keyspace "$keyspace"
    read -r after after_own after_node after_dropped < <(direct "$mode$n")
    limit=$((before > after ? before : after))
    results+=("$seconds $limit $cpu")
    printf '  %s run %d: %8.0f events/s; cassandra_direct before %d, after %d rows/s; ratio %.3f; CPU %s s per million; peak RSS %s MB (load %s)\n' \
      "$mode" "$n" "$(bc -l <<<"$events / $seconds")" "$before" "$after" "$(bc -l <<<"$events / $seconds / $limit")" \
      "$([[ $cpu == - ]] && echo - || printf '%.2f' "$(bc -l <<<"$cpu / $events * 1000000")")" "$rss_mb" "$load"
    # Where the CPU went, in s per million rows (the ratio's arithmetic when the CPUs are shared),
    # and the writes the node dropped as overloaded (what slows a run when it has a CPU of its own).
    [[ $cpu == - ]] || printf '    CPU s per million: this run: stream %.2f, broker %.2f, node %.2f; cassandra_direct before: itself %s, node %s; after: itself %s, node %s\n' \
      "$(bc -l <<<"$cpu / $events * 1000000")" "$(bc -l <<<"$kafka_cpu / $events * 1000000")" \
      "$(bc -l <<<"$cassandra_cpu / $events * 1000000")" "$before_own" "$before_node" "$after_own" "$after_node"
    printf '    writes the node dropped (Write_timeout, tried again): this run %s; cassandra_direct before %s, after %s\n' \
      "$dropped" "$before_dropped" "$after_dropped"
    before=$after before_own=$after_own before_node=$after_node before_dropped=$after_dropped
  done
  python3 - "$mode" "$events" "${results[@]}" <<'PY'
import sys
mode, events = sys.argv[1], int(sys.argv[2])
runs = [r.split() for r in sys.argv[3:]]
ratios = [events / float(s) / float(limit) for s, limit, _ in runs]
cpus = [float(c) / events * 1e6 for _, _, c in runs if c != "-"]
print(f"write path, {mode} ({events} events in Kafka -> stream -> Cassandra, {len(runs)} runs): ratio to cassandra_direct "
      f"{', '.join(f'{r:.3f}' for r in ratios)} (target >= 0.95 in every run: {'met' if min(ratios) >= 0.95 else 'missed'}); "
      f"stream CPU s per million events {', '.join(f'{c:.2f}' for c in cpus) or '-'} (target <= 2.5)")
PY
}

[[ $placement == isolated ]] || measure shared
[[ $placement == shared ]] || measure isolated
unpin
"$src/scripts/local-cluster" kafka-topics --delete --topic "$topic" >/dev/null 2>&1 || true
if [[ ${PERF:-0} == 1 ]]; then
  perf report -i "$work/perf.data" --no-children --sort symbol -g none 2>/dev/null | grep '%' | grep -v '^#' | head -20
fi
