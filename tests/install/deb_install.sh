#!/usr/bin/env bash
# The .deb as a user installs it: `apt-get install ./playstream_*.deb` pulls in its Depends (the
# runtime libraries), `playstream demo` runs from PATH in an empty directory, the man page, the
# schemas and bash completion are where they belong; the package is purged at the end, whatever
# happened, so the machine is as before. Needs root; exit 77 (skipped) without it.
# usage: tests/install/deb_install.sh BUILD_DIR SOURCE_DIR   (after `make package`)
set -euo pipefail
build=$1
deb=$(realpath "$(ls "$build"/playstream_*.deb 2>/dev/null | tail -1)" 2>/dev/null || true)
[ -n "$deb" ] || { echo "FAIL: no $build/playstream_*.deb (make package)"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "skipped: apt-get install needs root"; exit 77; }
if dpkg -s playstream >/dev/null 2>&1; then
  echo "FAIL: a playstream package is installed already; this test installs and purges its own"; exit 1
fi
work=$(mktemp -d /tmp/playstream-install.XXXXXX)
apt=(apt-get -o DPkg::Lock::Timeout=600 -y -q)
trap '"${apt[@]}" purge playstream >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

depends=$(dpkg-deb -f "$deb" Depends)
for lib in librdkafka1 libsqlite3-0 libsimdjson libfmt libstdc++6; do
  [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
echo "ok: Depends: $depends"
"${apt[@]}" install "$(realpath "$deb")" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install"; }
[ "$(command -v playstream)" = /usr/bin/playstream ] || fail "playstream on PATH is $(command -v playstream)"
cd "$work"
env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work" playstream demo --events 300 >demo.out 2>demo.err ||
  { tail -5 demo.err; fail "playstream demo from PATH"; }
[ "$(sqlite3 output/playstream.db 'SELECT count(*) FROM listening_history')" = 300 ] || fail "demo stored $(sqlite3 output/playstream.db 'SELECT count(*) FROM listening_history') rows"
echo "ok: playstream demo from PATH stored 300 rows"
playstream --version >version.out
grep -q "^playstream $(dpkg-deb -f "$deb" Version) (commit " version.out || fail "--version: $(cat version.out)"
for f in /usr/share/man/man1/playstream.1 /usr/share/playstream/schema/cassandra.cql \
         /usr/share/playstream/schema/classroom.cql /usr/share/bash-completion/completions/playstream; do
  [ -f "$f" ] || fail "$f not installed"
done
echo "ok: man page, schemas and completion installed"
"${apt[@]}" purge playstream >/dev/null 2>&1 || fail "apt-get purge"
[ ! -e /usr/bin/playstream ] || fail "/usr/bin/playstream still there after purge"
echo "ok: purged"
