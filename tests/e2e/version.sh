#!/usr/bin/env bash
# `playstream --version`: our version and commit, then the library versions the process runs with,
# checked against what the system has (Python's sqlite3 module loads the same libsqlite3).
source "$(dirname "$0")/lib.bash" "$@"

"$bin" --version >"$work/version" 2>"$work/version.err" || fail "--version exited $?"
version=$(sed -n 's/^project(playstream VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
grep -qE "^playstream $version \(commit [0-9a-f]{7,}(-dirty)?\)$|^playstream $version \(commit unknown\)$" "$work/version" ||
  fail "first line: $(head -1 "$work/version")"
echo "ok: $(head -1 "$work/version")"
check "SQLite" "$(sed -n 's/^SQLite //p' "$work/version")" "$(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"
rdkafka=$(sed -n 's/^librdkafka //p' "$work/version")
[[ $(dpkg-query -W -f '${Version}' librdkafka1 2>/dev/null) == "$rdkafka"* ]] ||
  fail "librdkafka $rdkafka, the system has $(dpkg-query -W -f '${Version}' librdkafka1 2>/dev/null)"
echo "ok: librdkafka $rdkafka"
grep -qE '^simdjson [0-9]+\.[0-9]+\.[0-9]+ \([a-z0-9_]+ kernel\)$' "$work/version" || fail "simdjson: $(cat "$work/version")"
echo "ok: $(grep ^simdjson "$work/version")"
check "nothing on stderr" "$(cat "$work/version.err")" ""
