#!/usr/bin/env bash
# Cassandra with PasswordAuthenticator: the right password works, a wrong one is a clear error.
# Needs `scripts/local-cluster up --auth` (default superuser cassandra/cassandra).
source "$(dirname "$0")/lib.bash" "$@"

status() { set +e; "$@" >"$work/out" 2>"$work/err"; echo $?; set -e; }
check "schema with the right password" \
  "$(status "$bin" schema --store "$store" --cassandra-user cassandra --cassandra-password cassandra)" 0
check "query with the password from the environment" \
  "$(PLAYSTREAM_CASSANDRA_USER=cassandra PLAYSTREAM_CASSANDRA_PASSWORD=cassandra status "$bin" query sample --store "$store")" 0
check "wrong password" "$(status "$bin" query sample --store "$store" --cassandra-user cassandra --cassandra-password nope)" 1
grep -qiE "credentials|password|authentication" "$work/err" || fail "unclear error: $(cat "$work/err")"
grep -q "127.0.0.1" "$work/err" || fail "the error does not name the node: $(cat "$work/err")"
echo "ok: wrong password says: $(head -1 "$work/err")"
check "no credentials" "$(status "$bin" query sample --store "$store")" 1
echo "ok: no credentials says: $(head -1 "$work/err")"
