# shellcheck shell=bash
# Shared helpers for scripts/local-cluster: logging, Maven resolution, process supervision.
# Sourced, not executed. Expects CACHE_DIR and STATE_DIR to be set by the caller.

log()  { printf 'local-cluster: %s\n' "$*" >&2; }
die()  { printf 'local-cluster: error: %s\n' "$*" >&2; exit 1; }

# Monotonic-enough seconds for timing reports.
now_s() { date +%s; }

# Resolves Maven artifacts with their runtime dependencies into a flat directory of jars, through a
# throwaway pom in the cache. The stamp file makes later runs skip Maven entirely (offline-friendly).
#   maven_copy_runtime_jars DEST_DIR STAMP_TEXT GROUP:ARTIFACT:VERSION...
maven_copy_runtime_jars() {
  local dest=$1 stamp=$2; shift 2
  if [[ -f $dest/.complete && $(cat "$dest/.complete") == "$stamp" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found: run scripts/install-server-deps.sh"
  local work=$dest.pom
  rm -rf "$dest" "$work"
  mkdir -p "$work"
  {
    echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
    echo '<groupId>playstream.local-cluster</groupId><artifactId>fetch</artifactId><version>1</version>'
    echo '<packaging>pom</packaging><dependencies>'
    local gav g a v
    for gav in "$@"; do
      IFS=: read -r g a v <<<"$gav"
      echo "<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
    done
    echo '</dependencies></project>'
  } >"$work/pom.xml"
  log "resolving $* from Maven Central (cached in ~/.m2 and $dest)"
  local t0; t0=$(now_s)
  # The plugin is pinned: Maven 3.8's default (2.8) predates several copy-dependencies fixes.
  if ! mvn -B -q -f "$work/pom.xml" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$dest.tmp" >"$work/mvn.log" 2>&1; then
    tail -n 40 "$work/mvn.log" >&2
    die "Maven could not resolve $*"
  fi
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  echo "$stamp" >"$dest/.complete"
  log "resolved $(find "$dest" -name '*.jar' | wc -l) jars in $(( $(now_s) - t0 )) s"
}

# Reads JVM flags from an options file: one per line, lines not starting with '-' ignored
# (the convention of Cassandra's jvm*.options files). "--add-opens X" becomes "--add-opens=X" so
# that each flag is a single argument.
read_jvm_options() {
  local file=$1 line
  while IFS= read -r line; do
    line=${line%%#*}; line=${line%"${line##*[![:space:]]}"}
    [[ $line == --*' '* ]] && line=${line/ /=}
    [[ $line == -* ]] && printf '%s\n' "$line"
  done <"$file"
}

# True if something accepts TCP connections on HOST:PORT.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Prints the pid recorded in PIDFILE if that process is alive and is the one we started: its command
# line must contain MARKER (a path under our state dir), so a recycled pid is never mistaken for ours.
live_pid() {
  local pidfile=$1 marker=$2 pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  local cmdline
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$marker"* ]] || return 1
  echo "$pid"
}

# Keeps the previous run's log as FILE.prev, so that a start-up failure report shows this run only.
rotate_log() {
  [[ -f $1 ]] && mv -f "$1" "$1.prev"
  return 0
}

# Starts a command detached from this shell (own session, so a Ctrl-C in the caller does not reach
# it), output to LOGFILE (the previous one kept as LOGFILE.prev), and records its pid in PIDFILE.
#   spawn PIDFILE LOGFILE CMD...
spawn() {
  local pidfile=$1 logfile=$2; shift 2
  rotate_log "$logfile"
  # fd 9 is local-cluster's lock: the server must not inherit (and so hold) it.
  setsid "$@" </dev/null >"$logfile" 2>&1 9>&- &
  disown $!   # not a job of this shell: no "Killed" notices, and it outlives us
  echo $! >"$pidfile"
}

# Stops the process recorded in PIDFILE: TERM, wait up to GRACE seconds, then KILL. With SIGNAL=KILL
# skips the graceful part (crash simulation). Removes the pid file.
#   stop_pid NAME PIDFILE MARKER GRACE [SIGNAL]
stop_pid() {
  local name=$1 pidfile=$2 marker=$3 grace=$4 sig=${5:-TERM} pid i
  if ! pid=$(live_pid "$pidfile" "$marker"); then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  log "$name: stopping pid $pid (SIG$sig)"
  kill -s "$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: still alive after ${grace}s, sending SIGKILL"
    kill -s KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$pidfile"
}

show_log_tail() {
  if [[ -s $1 ]]; then
    log "last 40 lines of $1:"
    tail -n 40 "$1" >&2
  else
    log "($1 is empty or missing)"
  fi
}

# Polls CHECK (a command) every second until it succeeds, the process in PIDFILE dies, or TIMEOUT
# seconds pass. On failure prints the last 40 lines of LOGFILE and returns non-zero.
#   wait_until NAME PIDFILE MARKER LOGFILE TIMEOUT CHECK...
wait_until() {
  local name=$1 pidfile=$2 marker=$3 logfile=$4 timeout=$5; shift 5
  local deadline=$(( $(now_s) + timeout )) exec_deadline=$(( $(now_s) + 10 ))
  while true; do
    if ! live_pid "$pidfile" "$marker" >/dev/null; then
      # Just spawned, the process may still be the shell's fork that has not exec'd the server
      # (its command line is not the server's yet): on a loaded machine that takes a moment.
      if [[ -f $pidfile ]] && kill -0 "$(<"$pidfile")" 2>/dev/null && (( $(now_s) < exec_deadline )); then
        sleep 0.2
        continue
      fi
      log "$name: process exited during start-up"
      show_log_tail "$logfile"
      return 1
    fi
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    if (( $(now_s) >= deadline )); then
      log "$name: not answering after ${timeout}s"
      show_log_tail "$logfile"
      return 1
    fi
    sleep 1
  done
}
