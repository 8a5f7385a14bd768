#!/usr/bin/env bash
# `stream --dead-letter-topic`: every bad message (bad JSON, bad fields, unknown song, a row the
# store refuses) lands in the dead-letter topic once, with its original key and value byte for
# byte, its own Kafka headers first and the playstream.* headers after them; every good one is
# stored once. Read back with kcat.
source "$(dirname "$0")/lib.bash" "$@"
command -v kcat >/dev/null || fail "kcat is not installed (scripts/install-deps.sh)"

start_broker --topic listens:3 --topic dlq:1
good=300
"$bin" produce --brokers "$brokers" --topic listens --catalog "$catalog" --count $good --rate 0 \
  --users 20 --seed 5 --echo >"$work/events.jsonl" 2>"$work/produce.err"

# Bad messages, each from a file so its bytes are exact: "expected" lists
# file partition key stage reason (reason "*": any decode-stage reason).
mkdir "$work/bad"
printf 'not json at all' >"$work/bad/1"
printf '{"id": 1, "name": "X", "song": "Afterglow"}' >"$work/bad/2"
printf '{"id": "1", "name": "X", "song": "Afterglow", "time": "2024-03-03 10:00"}' >"$work/bad/3"
printf '{"id": 1, "name": "X", "song": "Afterglow", "time": "2024-13-03 10:00"}' >"$work/bad/4"
printf '{"id": 1, "name": "X", "song": "No Such Song", "time": "2024-03-03 10:00"}' >"$work/bad/5"
printf 'line one\nstream: done: forged\x00\x01\xff\xfe tail' >"$work/bad/6"
printf ' \t ' >"$work/bad/7"  # only blanks (kcat sends no message for an empty file)
# A good event that the store refuses (a trigger in the test's database): stage `store`.
head -1 "$work/events.jsonl" | sed -e 's/"id":[0-9]*/"id":987654321/' \
  -e 's/"name":"[^"]*"/"name":"Poison Pill"/' | tr -d '\n' >"$work/bad/8"
cat >"$work/expected" <<'LIST'
1 0 key-1 decode not_json
2 1 key-2 decode missing_field
3 2 key-3 decode wrong_type
4 0 key-4 decode bad_time
5 1 key-5 enrich unknown_song
6 2 key-6 decode not_json
7 0 key-7 decode *
8 1 key-8 store store_refused
LIST
while read -r file partition key _; do
  kcat -P -b "$brokers" -t listens -p "$partition" -k "$key" -H "origin=test-$file" -H "trace=t$file" "$work/bad/$file"
done <"$work/expected"

db=$work/listens.db
sqlite3 "$db" <"$src/schema/sqlite.sql"
sqlite3 "$db" "CREATE TRIGGER poison BEFORE INSERT ON listening_history WHEN NEW.name = 'Poison Pill'
               BEGIN SELECT RAISE(ABORT, 'poison pill refused'); END;"
"$bin" stream --brokers "$brokers" --topic listens --group dlq-test --catalog "$catalog" \
  --store "sqlite:$db" --dead-letter-topic dlq --batch-size 100 --flush-interval 50 \
  --exit-when-idle 3 2>"$work/stream.err"
grep -q "dead_lettered=8" "$work/stream.err" || fail "stream did not count 8 dead letters"
grep -q "store_refused=1" "$work/stream.err" || fail "stream did not count the refused row"
check "rows stored" "$(rows "$db")" "$good"
grep -o '"id":[0-9]*' "$work/events.jsonl" | cut -d: -f2 | sort >"$work/produced.ids"
sqlite3 "$db" "SELECT id FROM listening_history" | sort >"$work/stored.ids"
cmp -s "$work/produced.ids" "$work/stored.ids" || fail "stored ids differ from produced ids"

# The dead-letter topic as kcat sees it: metadata and headers as JSON, bytes in a framed dump.
kcat -C -b "$brokers" -t dlq -o beginning -e -q -J >"$work/dlq.json"
kcat -C -b "$brokers" -t dlq -o beginning -e -q -f '%o %K %S\n%k%s\n' >"$work/dlq.bin"
# The source messages at the offsets the headers name, to compare byte for byte.
for p in 0 1 2; do
  kcat -C -b "$brokers" -t listens -p "$p" -o beginning -e -q -f '%o %K %S\n%k%s\n' >"$work/src.$p.bin"
done
python3 - "$work" <<'PY'
import json, sys, os
work = sys.argv[1]

def frames(path):  # "%o %K %S\n%k%s\n" records: offset -> (key, value); -1 length: null
    data, out, i = open(path, "rb").read(), {}, 0
    while i < len(data):
        nl = data.index(b"\n", i)
        offset, klen, vlen = (int(x) for x in data[i:nl].split())
        i = nl + 1
        key = None if klen < 0 else data[i:i + klen]; i += max(klen, 0)
        value = None if vlen < 0 else data[i:i + vlen]; i += max(vlen, 0)
        assert data[i:i + 1] == b"\n", path; i += 1
        out[offset] = (key, value)
    return out

letters = [json.loads(l) for l in open(os.path.join(work, "dlq.json"), errors="surrogateescape")
           if l.strip()]  # payloads are raw bytes in kcat -J
dumped = frames(os.path.join(work, "dlq.bin"))
sources = {p: frames(os.path.join(work, f"src.{p}.bin")) for p in range(3)}
expected = [l.split() for l in open(os.path.join(work, "expected"))]
problems = []
if len(letters) != len(expected):
    problems.append(f"{len(letters)} dead letters, expected {len(expected)}")
seen = {}
for letter in letters:
    pairs = list(zip(letter["headers"][0::2], letter["headers"][1::2]))
    h = dict(pairs)
    part, off = int(h["playstream.source.partition"]), int(h["playstream.source.offset"])
    key, value = dumped[letter["offset"]]
    src_key, src_value = sources[part][off]
    if (key, value) != (src_key, src_value):
        problems.append(f"letter {letter['offset']}: bytes differ from listens/{part}@{off}")
    for name in ("stage", "reason", "message"):
        if not h.get(f"playstream.error.{name}"):
            problems.append(f"letter {letter['offset']}: no playstream.error.{name}")
    if h.get("playstream.source.topic") != "listens":
        problems.append(f"letter {letter['offset']}: source topic {h.get('playstream.source.topic')}")
    if not h.get("playstream.source.timestamp", "").isdigit():
        problems.append(f"letter {letter['offset']}: no source timestamp")
    seen.setdefault(key.decode(), []).append((part, h["playstream.error.stage"], h["playstream.error.reason"], value,
                                              pairs[:2]))
    if [n for n, _ in pairs[2:]] != [n for n, _ in pairs if n.startswith("playstream.")]:
        problems.append(f"letter {letter['offset']}: headers {[n for n, _ in pairs]}: not the message's own, then playstream.*")
for file, part, key, stage, reason in expected:
    got = seen.get(key, [])
    want = open(os.path.join(work, "bad", file), "rb").read()
    if len(got) != 1:
        problems.append(f"{key}: dead-lettered {len(got)} times"); continue
    gp, gstage, greason, gvalue, own = got[0]
    if own != [("origin", f"test-{file}"), ("trace", f"t{file}")]:
        problems.append(f"{key}: the message's own headers came as {own}")
    if (gp, gstage) != (int(part), stage) or (reason != "*" and greason != reason):
        problems.append(f"{key}: got partition {gp} {gstage}/{greason}, expected {part} {stage}/{reason}")
    if gvalue != want:
        problems.append(f"{key}: value {gvalue!r} is not the file's {want!r}")
for p in problems: print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "ok: the dead-letter topic holds each bad message once, byte for byte, with its own headers and ours"
