#!/usr/bin/env bash
# Command-line misuses: each is a usage error (exit 2) with a short message naming the option,
# and no secret given to an option is ever echoed.
source "$(dirname "$0")/lib.bash" "$@"

db=$work/m.db
stream_any=(stream --brokers 127.0.0.1:1 --topic t --store "sqlite:$db")
produce_any=(produce --brokers 127.0.0.1:1 --topic t)
stream=("${stream_any[@]}" --catalog "$catalog")
produce=("${produce_any[@]}" --catalog "$catalog")
header='name,artists,duration_ms,album_name,album_release_date,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo'
echo "$header" >"$work/empty.csv"

# expect CODE WHAT_STDERR_SAYS -- ARGS...
expect() {
  local code=$1 says=$2; shift 3
  set +e
  timeout 20 "$bin" "$@" >"$work/out" 2>"$work/err"
  local got=$?
  set -e
  [ "$got" == "$code" ] || fail "$* exited $got, expected $code: $(head -c 300 "$work/err")"
  grep -qF -- "$says" "$work/err" || fail "$*: stderr does not say '$says': $(head -c 300 "$work/err")"
  ! grep -q hunter2 "$work/err" || fail "$*: stderr echoes the secret: $(cat "$work/err")"
  [ "$code" != 2 ] || [ "$(wc -c <"$work/err")" -lt 400 ] || fail "$*: message of $(wc -c <"$work/err") bytes"
  echo "ok: $* -> $code"
}

# Numbers that wrapped to 2^64-1 or were accepted out of range.
expect 2 "--max-messages: expected a whole number from 0 to" -- "${stream[@]}" --max-messages -1
expect 2 "--limit: expected a whole number from 1 to" -- query sample --store "sqlite:$db" --limit -1
expect 2 "--count: expected a whole number from 0 to 4294967296, got '-1'" -- "${produce[@]}" --count -1
expect 2 "--count: expected a whole number" -- "${produce[@]}" --count 99999999999999999999
expect 2 "--users: expected a whole number from 0 to 1000000" -- "${produce[@]}" --users -1
expect 2 "--partitions: expected a whole number from 1" -- "${produce[@]}" --partitions 0
expect 2 "--seed: expected a whole number" -- "${produce[@]}" --seed -1
expect 2 "--batch-size: expected a whole number from 1 to 1000000" -- "${stream[@]}" --batch-size 0
expect 2 "--hour: expected a whole number from 0 to 23" -- query songs --store "sqlite:$db" --user a --date 2024-01-01 --hour 24
expect 2 "--events: expected a whole number from 1" -- demo --events 0
expect 2 "--replication-factor: expected a whole number from 1 to 100" -- schema --store "sqlite:$db" --replication-factor 0
expect 2 "--port: expected a whole number from 0 to 65535" -- broker --port 70000
expect 2 "partitions of 'foo': expected a whole number from 1 to 10000, got '3x'" -- broker --topic foo:3x
expect 2 "expected NAME:PARTITIONS" -- broker --topic foo
expect 2 "(300 characters)" -- "${produce[@]}" --count "$(printf '9%.0s' $(seq 300))"
expect 2 "the port must be a number in 1..65535" -- schema --store cassandra://h:99999/ks
# Durations and rates that overflowed or were accepted as nonsense.
expect 2 "--report-interval: expected seconds from 0.1 to 86400, or 0 (none)" -- "${stream[@]}" --report-interval 1e13
expect 2 "--exit-when-idle: expected seconds from 0.1 to 31536000, or 0 (never)" -- "${stream[@]}" --exit-when-idle 1e13
expect 2 "--flush-interval: expected milliseconds from 1 to 3600000, or 0" -- "${stream[@]}" --flush-interval 9223372036854775807
expect 2 "--rate: expected events per second from 0.001 to 10000000" -- "${produce[@]}" --rate 1e-300
expect 2 "--rate: expected events per second" -- "${produce[@]}" --rate nan
expect 2 "--rate: expected events per second" -- "${produce[@]}" --rate "1$(printf '0%.0s' $(seq 300))"
# Names that stream would reject.
expect 2 "a user name cannot be empty" -- "${produce[@]}" --user '' --users 0
# A header-only catalogue: refused before any broker is asked (this one does not exist).
expect 2 "has no songs" -- "${stream_any[@]}" --catalog "$work/empty.csv"
expect 2 "has no songs" -- "${produce_any[@]}" --catalog "$work/empty.csv"
expect 2 "has no songs" -- demo --catalog "$work/empty.csv" --out "$work/demo"
# Secrets: never echoed, whatever went wrong.
expect 1 "kafka setting 'sasl.pasword'" -- "${produce[@]}" -X sasl.pasword=hunter2
expect 1 "kafka setting 'session.timeout.ms'" -- "${stream[@]}" -X session.timeout.ms=hunter2
expect 2 "expected KEY=VALUE" -- "${produce[@]}" -X hunter2
expect 2 "--cassandra-password-file: cannot read" -- schema --store "sqlite:$db" --cassandra-password-file "$work/none"
echo hunter2 >"$work/pw"
expect 2 "excludes" -- schema --store "sqlite:$db" --cassandra-password hunter2 --cassandra-password-file "$work/pw"
expect 0 "warning: --cassandra-password on the command line is visible" -- schema --store "sqlite:$db" --cassandra-password hunter2
expect 1 "warning: -X sasl.password=... on the command line is visible" -- "${produce[@]}" --count 1 --rate 0 \
  -X message.timeout.ms=1000 -X sasl.password=hunter2
