#!/usr/bin/env bash
# --log-format json: every stderr line is a JSON object with ts, level, component and msg.
# Covers the commands' lines, the catalogue's, produce's, stream's (assignment, a reject, progress,
# the summary) and the errors.
source "$(dirname "$0")/lib.bash" "$@"

start_broker --topic listens:2 --log-format json
# A catalogue with a bad row (skipped under --lenient) whose text holds a tab and an escape.
{ head -3 "$catalog"; printf 'Bad Song\tx\033[2J,B,1,C,2020,0.1,loud,1,-1,1,0.1,0.1,0,0.1,0.1,100\n'; } >"$work/cat.csv"
"$bin" --log-format json produce --brokers "$brokers" --topic listens --catalog "$work/cat.csv" --lenient \
  --count 100 --rate 0 --users 2 2>"$work/produce.err"
PLAYSTREAM_LOG_FORMAT=json "$bin" schema --store "sqlite:$work/j.db" --cassandra-password hunter2 2>"$work/schema.err"
printf 'not json\n' | kcat -P -b "$brokers" -t listens -p 0 2>/dev/null || fail "kcat could not produce"
"$bin" stream --log-format json --brokers "$brokers" --topic listens --catalog "$catalog" \
  --store "sqlite:$work/s.db" --report-interval 0.5 --exit-when-idle 2 2>"$work/stream.err"
set +e
"$bin" produce --log-format json --brokers "$brokers" --topic listens --catalog "$work/none.csv" 2>"$work/error.err"
[ $? == 1 ] || fail "missing catalogue: not exit 1"
# librdkafka's own lines, about a broker that is not there.
"$bin" produce --log-format json --brokers 127.0.0.1:1 --topic listens --catalog "$catalog" --count 1 \
  -X message.timeout.ms=1500 2>"$work/kafka.err"
[ $? == 1 ] || fail "unreachable broker: not exit 1"
"$bin" produce --log-format json --brokers "$brokers" --topic listens --catalog "$catalog" --count -1 2>"$work/usage.err"
[ $? == 2 ] || fail "usage error: not exit 2"
set -e
kill "${pids[0]}"; wait "${pids[0]}" || true
python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
lines = {}
for name in ["produce", "schema", "error", "usage", "broker", "kafka", "stream"]:
    text = open(f"{work}/{name}.err", encoding="utf-8").read()
    assert text.endswith("\n") and text.strip(), (name, text)
    lines[name] = [json.loads(line) for line in text.splitlines()]
    for obj in lines[name]:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", obj["ts"]), obj
        assert obj["level"] in ("info", "warn", "error"), obj
        assert obj["component"] and obj["msg"], obj
def one(name, component, pred=lambda o: True):
    found = [o for o in lines[name] if o["component"] == component and pred(o)]
    assert found, (name, component, lines[name])
    return found[0]
cat = one("produce", "catalog", lambda o: "songs" in o)
assert cat["songs"] == 2 and cat["skipped"] == 1, cat
bad = one("produce", "catalog", lambda o: o["level"] == "warn")
assert "cat.csv:4" in bad["msg"] and bad["file"].endswith("cat.csv"), bad
done = one("produce", "produce", lambda o: "sent" in o and "rate" in o)
assert done["sent"] == 100 and done["topic"] == "listens", done
warn = one("schema", "playstream", lambda o: o["level"] == "warn")
assert "cassandra-password" in warn["msg"] and "hunter2" not in json.dumps(lines["schema"]), warn
one("schema", "schema", lambda o: o["store"].startswith("sqlite:"))
err = one("error", "playstream", lambda o: o["level"] == "error")
assert "none.csv" in err["msg"], err
usage = one("usage", "playstream", lambda o: o["level"] == "error")
assert "--count" in usage["msg"], usage
one("broker", "broker", lambda o: "stopped" in o["msg"])
one("kafka", "kafka", lambda o: o["facility"] and o["client"].startswith("rdkafka"))
one("stream", "stream", lambda o: o.get("event") == "assigned" and o["topic"] == "listens")
rej = one("stream", "stream", lambda o: o.get("event") == "rejected")
assert rej["reason"] == "not_json" and rej["partition"] == 0 and rej["offset"] >= 0, rej
one("stream", "stream", lambda o: o.get("event") == "progress")
done = one("stream", "stream", lambda o: o.get("event") == "done")
assert done["consumed"] == 101 and done["stored"] == 100 and done["rejected"] == 1, done
print("ok: %d JSON lines, every one parsed" % sum(len(v) for v in lines.values()))
PY
