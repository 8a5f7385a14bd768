#!/usr/bin/env bash
# SQLite's disk fills up mid-run: `stream` stops with an error naming the database and commits
# nothing it did not store; once space is freed, a rerun stores every event exactly once.
# The disk is a small tmpfs, so this needs root (it skips otherwise).
source "$(dirname "$0")/lib.bash" "$@"

[ "$(id -u)" -eq 0 ] || skip "needs root to mount a small tmpfs as a full disk"
disk=$work/disk
mkdir "$disk"
mount -t tmpfs -o size=2m playstream-full "$disk" 2>"$work/mount.err" ||
  skip "cannot mount a tmpfs here: $(head -1 "$work/mount.err")"
unmount() { umount "$disk" 2>/dev/null || true; }
trap 'status=$?; unmount; (exit $status); cleanup' EXIT

n=20000  # about 6 MB of rows: three times the disk
start_broker --topic listens:4
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count $n --rate 0 \
  --users 40 --partitions 4 --seed 7 --echo >"$work/events.jsonl" 2>"$work/produce.err"
check "events produced" "$(wc -l <"$work/events.jsonl")" "$n"

db=$disk/listens.db
stream=("$bin" stream --brokers "$brokers" --topic listens --group disk-full --catalog "$catalog"
        --store "sqlite:$db" --batch-size 500 -X session.timeout.ms=4000 -X heartbeat.interval.ms=500)
status=0
"${stream[@]}" --exit-when-idle 3 2>"$work/full.err" || status=$?
check "stream's exit status on a full disk" "$status" 1
grep -q "sqlite:$db: .*full" "$work/full.err" || fail "no error naming the database and the full disk: $(tail -1 "$work/full.err")"
echo "ok: $(grep -m1 'playstream: error' "$work/full.err")"
at_full=$(rows "$db")
echo "$at_full of $n rows stored when the disk filled"
[ "$at_full" -lt "$n" ] || fail "the disk never filled"

# Space freed: the rerun picks up from the last commit, which covers only stored rows.
mount -o remount,size=64m "$disk"
"${stream[@]}" --exit-when-idle 3 2>"$work/rerun.err" || fail "the rerun failed: $(tail -1 "$work/rerun.err")"
sqlite_ids "$db" >"$work/stored.list"
check_exactly_once "$work/events.jsonl" "$work/stored.list"
