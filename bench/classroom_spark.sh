#!/usr/bin/env bash
# The classroom's Spark job as the baseline of `stream`, in the same run (issue 10, section 3).
#
# Against the real Kafka and Cassandra of scripts/local-cluster (not started here: run
# `scripts/local-cluster up` first; PLAYSTREAM_STATE as for local-cluster):
#  1. one backlog of EVENTS listens in a new topic (`playstream produce`, 8 partitions, 100,000
#     users, seed 0 so that the event ids fit the classroom's `id int`), from a catalogue with one
#     row per song name (bench/classroom/catalog_by_name.py), so that the classroom's join on the
#     name cannot make one listen several rows;
#  2. `playstream stream` drains it into playstream's table in keyspace spark_ours_RUN;
#  3. the classroom job (bench/classroom/listening_history_job.py: PySpark Structured Streaming,
#     Python UDFs, spark-sql-kafka and spark-cassandra-connector, trigger(availableNow=True) from
#     the earliest offsets) drains the same topic into the classroom table (schema/classroom.cql) in
#     keyspace spark_classroom_RUN;
#  4. for each: events/s over the job's own time (stream: first message to last commit; Spark: its
#     micro-batches, from its progress events; start-up excluded from both), CPU seconds and peak
#     RSS of the whole process tree (bench/classroom/proctree.py: for Spark the JVM, its Python
#     driver and Python workers), the ratios; and what each table holds (cqlsh COPY), with the
#     listens of songs whose names hold a double quote, which Spark's CSV reader does not read
#     as RFC 4180 writes them (a doubled quote), so that its join drops them without a word.
# Keyspaces and topic are dropped at the end (PLAYSTREAM_BENCH_KEEP=1 keeps them).
#
# Downloads on first use, cached in PLAYSTREAM_CACHE (~/.cache/playstream): pyspark from PyPI in a
# virtualenv (~320 MB), the two connectors with their dependencies from Maven Central (~30 MB).
# Java 17 (the project's server dependency) runs Spark.
#
# Usage: bench/classroom_spark.sh setup                    only download what it needs
#        bench/classroom_spark.sh BUILD_DIR [EVENTS]       EVENTS: 200000 by default
# Environment: PLAYSTREAM_BENCH_CATALOG (default ../shared/data/spotify-songs.csv beside the
# repository, else data/sample-catalog.csv), PLAYSTREAM_SPARK_VERSION (3.5.7: the newest
# spark-sql-kafka-0-10_2.12 3.5.x that Maven Central serves here; pyspark is pinned to the same),
# PLAYSTREAM_SPARK_CASSANDRA_VERSION (3.5.1).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
here=$src/bench/classroom
CACHE_DIR=${PLAYSTREAM_CACHE:-$HOME/.cache/playstream}
spark_version=${PLAYSTREAM_SPARK_VERSION:-3.5.7}
scc_version=${PLAYSTREAM_SPARK_CASSANDRA_VERSION:-3.5.1}
venv=$CACHE_DIR/pyspark-$spark_version-venv
jars_dir=$CACHE_DIR/spark-$spark_version-connectors
# maven_copy_runtime_jars, log, die
# shellcheck source=../scripts/lib/cluster-common.sh
source "$src/scripts/lib/cluster-common.sh"

setup_pyspark() {
  [[ -f $venv/.complete ]] && return 0
  rm -rf "$venv"
  log "installing pyspark $spark_version from PyPI into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "pyspark==$spark_version" || die "pip could not install pyspark==$spark_version"
  echo "$spark_version" >"$venv/.complete"
}

setup_connectors() {
  maven_copy_runtime_jars "$jars_dir" "kafka $spark_version, cassandra $scc_version" \
    "org.apache.spark:spark-sql-kafka-0-10_2.12:$spark_version" \
    "com.datastax.spark:spark-cassandra-connector_2.12:$scc_version"
}

# An artifact's name without its version: scala-library-2.12.18.jar -> scala-library.
artifact() { sed -E 's/-[0-9][^/]*\.jar$//' <<<"${1##*/}"; }

# The connectors' jars, comma-separated, less those Spark ships itself (another version of the same
# artifact on the class path would be a conflict: Spark's own wins).
connector_jars() {
  local spark_jars jar list=()
  spark_jars=$(for jar in "$venv"/lib/python3*/site-packages/pyspark/jars/*.jar; do artifact "$jar"; done | sort -u)
  for jar in "$jars_dir"/*.jar; do
    grep -qxF "$(artifact "$jar")" <<<"$spark_jars" || list+=("$jar")
  done
  (IFS=,; echo "${list[*]}")
}

setup_pyspark
setup_connectors
[[ ${1:-} == setup ]] && { log "pyspark $spark_version in $venv; connectors in $jars_dir"; exit 0; }

build=$(cd "${1:?usage: bench/classroom_spark.sh setup | BUILD_DIR [EVENTS]}" && pwd)
events=${2:-200000}
bin=$build/playstream
[[ -x $bin ]] || die "$bin not found: build the target playstream first"
catalog=${PLAYSTREAM_BENCH_CATALOG:-$src/../shared/data/spotify-songs.csv}
[[ -f $catalog ]] || catalog=$src/data/sample-catalog.csv
cluster=$src/scripts/local-cluster
eval "$("$cluster" env)"
port_open "${PLAYSTREAM_KAFKA_BOOTSTRAP%:*}" "${PLAYSTREAM_KAFKA_BOOTSTRAP##*:}" \
  || die "no Kafka on $PLAYSTREAM_KAFKA_BOOTSTRAP: start the servers with scripts/local-cluster up"
cassandra_host=${PLAYSTREAM_CASSANDRA_HOSTS%%,*}
port_open "$cassandra_host" "$PLAYSTREAM_CASSANDRA_PORT" \
  || die "no Cassandra on $cassandra_host:$PLAYSTREAM_CASSANDRA_PORT: start the servers with scripts/local-cluster up"
auth=() spark_auth=()
if [[ $PLAYSTREAM_CASSANDRA_AUTH != none ]]; then
  auth=(--cassandra-user "${PLAYSTREAM_CASSANDRA_AUTH%%:*}" --cassandra-password "${PLAYSTREAM_CASSANDRA_AUTH#*:}")
  spark_auth=(--conf "spark.cassandra.auth.username=${PLAYSTREAM_CASSANDRA_AUTH%%:*}"
              --conf "spark.cassandra.auth.password=${PLAYSTREAM_CASSANDRA_AUTH#*:}")
fi

run=$(date +%s)
topic=spark-bench-$run
ours=spark_ours_$run
theirs=spark_classroom_$run
warm=spark_warm_$run
work=$(mktemp -d /tmp/playstream-spark.XXXXXX)
cleanup() {
  if [[ ${PLAYSTREAM_BENCH_KEEP:-0} != 1 ]]; then
    "$cluster" cqlsh -e "DROP KEYSPACE IF EXISTS $ours; DROP KEYSPACE IF EXISTS $theirs; DROP KEYSPACE IF EXISTS $warm" >/dev/null 2>&1 || true
    "$cluster" kafka-topics --delete --topic "$topic" >/dev/null 2>&1 || true
    rm -rf "$work"
  else
    log "kept topic $topic, keyspaces $warm, $ours and $theirs, files in $work"
  fi
}
trap cleanup EXIT
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# On failure: what the failing step said.
fail() { tail -n 40 "$1" >&2; die "$2 failed (log above: $1)"; }

python3 "$here/catalog_by_name.py" "$catalog" "$work/catalog.csv" 2>"$work/catalog.err" || fail "$work/catalog.err" catalogue
cat "$work/catalog.err" >&2
# The backlog, once; --echo keeps each event, to count what each store ought to hold.
"$bin" produce --brokers "$PLAYSTREAM_KAFKA_BOOTSTRAP" --topic "$topic" --partitions 8 --catalog "$work/catalog.csv" \
  --count "$events" --rate 0 --users 100000 --seed 0 --echo >"$work/events.jsonl" 2>"$work/produce.err" \
  || fail "$work/produce.err" produce
log "backlog: $events events in topic $topic"

# Cassandra's JVM compiles its hot paths during the first writes: warm it up unmeasured first, with
# up to 100,000 rows into a keyspace of their own, so that neither job pays for it.
store=cassandra://$cassandra_host:$PLAYSTREAM_CASSANDRA_PORT
"$bin" schema --store "$store/$warm" "${auth[@]}" 2>"$work/schema.err" || fail "$work/schema.err" "playstream schema"
"$bin" stream --brokers "$PLAYSTREAM_KAFKA_BOOTSTRAP" --topic "$topic" --group "$topic-warm" --catalog "$work/catalog.csv" \
  --store "$store/$warm" "${auth[@]}" --max-messages $((events < 100000 ? events : 100000)) --report-interval 0 \
  2>"$work/warm.err" || fail "$work/warm.err" "playstream stream (warm-up)"

# playstream
"$bin" schema --store "$store/$ours" "${auth[@]}" 2>"$work/schema.err" \
  || fail "$work/schema.err" "playstream schema"
loadavg >"$work/ours.load"
python3 "$here/proctree.py" "$work/ours.json" "$bin" stream --brokers "$PLAYSTREAM_KAFKA_BOOTSTRAP" --topic "$topic" \
  --group "$topic" --catalog "$work/catalog.csv" --store "$store/$ours" \
  "${auth[@]}" --max-messages "$events" --report-interval 0 2>"$work/ours.err" || fail "$work/ours.err" "playstream stream"
loadavg >>"$work/ours.load"
log "playstream: $(grep 'done:' "$work/ours.err")"

# The classroom job, into the classroom's table.
"$cluster" cqlsh -e "CREATE KEYSPACE $theirs WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}" \
  2>"$work/cql.err" || fail "$work/cql.err" "CREATE KEYSPACE $theirs"
sed "s/spotify\./$theirs./" "$src/schema/classroom.cql" >"$work/classroom.cql"
"$cluster" cqlsh -f "$work/classroom.cql" 2>"$work/cql.err" || fail "$work/cql.err" "schema/classroom.cql"
loadavg >"$work/spark.load"
# Spark's own settings for a shared machine, not the job's: no web UI, every socket on loopback.
PYSPARK_PYTHON=$venv/bin/python PYSPARK_DRIVER_PYTHON=$venv/bin/python \
  python3 "$here/proctree.py" "$work/spark.json" "$venv/bin/spark-submit" --master 'local[*]' \
  --jars "$(connector_jars)" --conf spark.ui.enabled=false \
  --conf spark.driver.bindAddress=127.0.0.1 --conf spark.driver.host=127.0.0.1 \
  --conf "spark.cassandra.connection.port=$PLAYSTREAM_CASSANDRA_PORT" "${spark_auth[@]}" \
  "$here/listening_history_job.py" "$PLAYSTREAM_KAFKA_BOOTSTRAP" "$topic" "$cassandra_host" "$theirs" \
  "$work/catalog.csv" "$work/checkpoint" "$work/progress.jsonl" >"$work/spark.out" 2>"$work/spark.err" \
  || fail "$work/spark.err" "the classroom job"
loadavg >>"$work/spark.load"

# What each table holds: every row's song.
for ks in "$ours" "$theirs"; do
  "$cluster" cqlsh --request-timeout=120 -e "COPY $ks.listening_history (song) TO '$work/$ks.songs.csv'" \
    >"$work/copy.out" 2>&1 || fail "$work/copy.out" "COPY $ks"
done

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
echo "commit:  $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown); catalogue: $catalog; pyspark $spark_version, spark-cassandra-connector $scc_version"
python3 "$here/report.py" "$work" "$ours" "$theirs"
