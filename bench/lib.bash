# Shared by the benchmarks against real servers (source it): the machine line every benchmark
# prints, the load average beside each figure, and the servers' addresses.
# With PLAYSTREAM_STATE set (a shared cluster), the servers are used as they are, never started.

# bench_init BUILD_DIR: what every benchmark script starts from: build and bin (the binary under
# test), catalog (the bundled sample), prefix (BENCH_PREFIX: names of topics and keyspaces), work
# (a temporary directory; the script's EXIT trap removes it) and run (a timestamp that makes names unique).
bench_init() {
  build=$(cd "$1" && pwd)
  bin=$build/playstream
  catalog=$src/data/sample-catalog.csv
  prefix=${BENCH_PREFIX:-bench}
  work=$(mktemp -d /tmp/playstream-bench.XXXXXX)
  run=$(date +%s)
}

# The start of a benchmark against running servers: bench_init BUILD_DIR, the servers' addresses,
# the machine line, and an EXIT trap that removes $work. Source this file with $src set first.
bench_against_servers() { # bench_against_servers BUILD_DIR
  trap 'rm -rf "$work"' EXIT
  bench_init "$1"
  bench_servers
  bench_machine
}

bench_machine() {
  echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), nproc $(nproc), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); load average $(bench_load)"
}

# The 1-minute load average now (the other two are longer memories of the same).
bench_load() { cut -d' ' -f1-3 /proc/loadavg; }

# Sets kafka and cassandra (a store URI without keyspace) from scripts/local-cluster env.
bench_servers() {
  eval "$("$src/scripts/local-cluster" env)"
  kafka=$PLAYSTREAM_KAFKA_BOOTSTRAP
  cassandra=cassandra://$PLAYSTREAM_CASSANDRA_HOSTS
  kafka_pid=$(bench_server_pid "${kafka##*:}")
  cassandra_pid=$(bench_server_pid "${PLAYSTREAM_CASSANDRA_PORT:-9042}")
}

bench_drop_keyspace() {
  "$src/scripts/local-cluster" cqlsh -e "DROP KEYSPACE IF EXISTS $1" >/dev/null 2>&1 || true
}

# bench_timed_stream NAME ARGS...: runs `stream ARGS` under /usr/bin/time; sets seconds (first
# message to last commit, from stream's own summary), rss_mb (peak), cpu (user + system s),
# cassandra_cpu and kafka_cpu (what the servers' processes used meanwhile: on a shared cluster
# other clients' work included) and load (the load average when it started). Fails unless every
# message was stored.
bench_timed_stream() {
  local name=$1; shift
  load=$(bench_load)
  local c0 k0
  c0=$(bench_pid_cpu "${cassandra_pid:-}") k0=$(bench_pid_cpu "${kafka_pid:-}")
  /usr/bin/time -v "$bin" stream "$@" --report-interval 0 2>"$work/$name.err" || { tail -5 "$work/$name.err" >&2; return 1; }
  cassandra_cpu=$(bc <<<"$(bench_pid_cpu "${cassandra_pid:-}") - $c0")
  kafka_cpu=$(bc <<<"$(bench_pid_cpu "${kafka_pid:-}") - $k0")
  grep -q '^stream: done: consumed=\([0-9]*\) stored=\1 ' "$work/$name.err" || { grep '^stream: done' "$work/$name.err" >&2; return 1; }
  seconds=$(sed -n 's/^stream: done: .* in \([0-9.]*\)s$/\1/p' "$work/$name.err")
  rss_mb=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$work/$name.err")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$work/$name.err")
}

# The pid listening on 127.0.0.1:PORT (a server of the cluster), or nothing.
bench_server_pid() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -1; }

# User + system CPU seconds a process has used so far (0 if it is not there).
bench_pid_cpu() {
  [[ -n ${1:-} && -r /proc/$1/stat ]] || { echo 0; return; }
  awk -v tck="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / tck}' "/proc/$1/stat"
}

# bench_node_gc START END: the Cassandra node's stop-the-world pauses between two UTC times (as
# `date -u +%FT%T.%3N` prints them), from the GC log `local-cluster` gives it (-Xlog:gc, G1):
# "N pauses, the longest X ms, K over 50 ms", or "-" when the node keeps no such log. Every write
# waits out a pause, so a freshness tail that lines up with one is the store's, not the pipeline's.
bench_node_gc() {
  local cmdline=/proc/${cassandra_pid:-0}/cmdline log
  [[ -n ${cassandra_pid:-} && -r $cmdline ]] || { echo -; return; }
  log=$(tr '\0' '\n' <"$cmdline" | sed -n 's/^-Xlog:gc[^:]*:file=\([^:]*\):.*/\1/p')
  [[ -n $log && -r $log ]] || { echo -; return; }
  python3 - "$1" "$2" "$log"* <<'PY'
import re, sys
from datetime import datetime, timezone
def utc(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
start, end, logs = utc(sys.argv[1]), utc(sys.argv[2]), sys.argv[3:]
pauses = []  # "[2026-12-07T09:44:06.556+0000][612.450s] GC(968) Pause Young (...) 1647M->1434M(4096M) 32.310ms"
for path in logs:  # gc.log and the files it rotated to (earlier starts fall outside the window)
    for line in open(path, errors="replace"):
        m = re.match(r"\[(\S+?[+-]\d{4})\].*\bPause\b.* ([\d.]+)ms$", line.rstrip())
        if m and start <= datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z") <= end:
            pauses.append(float(m.group(2)))
print(f"{len(pauses)} pauses, the longest {max(pauses, default=0):.0f} ms, {sum(p > 50 for p in pauses)} over 50 ms")
PY
}

# The writes the Cassandra node (local-cluster's node 1) has dropped since it started: mutations
# that waited in its queue past write_request_timeout (2 s), each answered with Write_timeout and
# tried again by our driver. A run in which this grows ran the node past what it sustains
# (a memtable flush behind the writes, a long GC pause). "-" when nodetool cannot tell.
bench_node_dropped() {
  { "$src/scripts/local-cluster" nodetool tpstats 2>/dev/null || true; } |
    awk '$1 == "MUTATION_REQ" {print $2; found = 1} END {if (!found) print "-"}'
}
