#!/usr/bin/env bash
# --config FILE and PLAYSTREAM_* in one run, --print-config, and a config file's mistakes.
source "$(dirname "$0")/lib.bash" "$@"

status() { set +e; "$@" >"$work/out" 2>"$work/err"; echo $?; set -e; }

start_broker --topic listens:2
db=$work/c.db
cat >"$work/playstream.toml" <<TOML
# One file for the whole pipeline: a section per command.
[produce]
topic = "listens"
catalog = "$catalog"
count = 250
rate = 0
users = 3
seed = 7

[stream]
topic = "listens"
catalog = "$catalog"
store = "sqlite:$work/from-file.db"   # the environment says otherwise
batch-size = 1000                     # the environment says otherwise
exit-when-idle = 3
report-interval = 0
kafka-option = ["session.timeout.ms=6000"]
TOML

# Brokers from the environment for both commands; the rest from the file.
export PLAYSTREAM_BROKERS=$brokers
"$bin" produce --config "$work/playstream.toml" 2>"$work/produce.err"
grep -q "produce: 250 events delivered to listens" "$work/produce.err" || fail "produce: $(cat "$work/produce.err")"
echo "ok: produce read its section and the environment"

# The environment beats the file (store, batch size); the command line beats both (max-messages
# from PLAYSTREAM_MAX_MESSAGES is overridden).
export PLAYSTREAM_STORE=sqlite:$db PLAYSTREAM_BATCH_SIZE=50 PLAYSTREAM_MAX_MESSAGES=10
export PLAYSTREAM_CASSANDRA_PASSWORD=hunter2
"$bin" stream --config "$work/playstream.toml" --max-messages 0 --print-config >"$work/effective.toml" 2>"$work/print.err"
python3 - "$work/effective.toml" "$db" <<'PY'
import sys, tomllib
text = open(sys.argv[1]).read()
conf = tomllib.loads(text)
s = conf["stream"]
assert s["store"] == "sqlite:" + sys.argv[2], s["store"]       # environment over file
assert s["batch-size"] == 50, s["batch-size"]                   # environment over file
assert s["max-messages"] == 0, s["max-messages"]                # command line over environment
assert s["exit-when-idle"] == 3, s["exit-when-idle"]            # file over default
assert s["flush-interval"] == 0, s["flush-interval"]            # default: no timer
assert s["group"] == "playstream", s["group"]
assert s["cassandra-password"] == "********", s["cassandra-password"]
assert "hunter2" not in text
assert conf["log-format"] == "text"
print("ok: --print-config shows command line > environment > file > default, password masked")
PY
[ ! -s "$work/print.err" ] || fail "--print-config wrote to stderr: $(cat "$work/print.err")"
# ... and the same file reads back as a config file.
unset PLAYSTREAM_STORE PLAYSTREAM_BATCH_SIZE PLAYSTREAM_MAX_MESSAGES
"$bin" stream --config "$work/effective.toml" --print-config >"$work/again.toml"
cmp -s "$work/effective.toml" "$work/again.toml" || fail "--print-config output does not read back: $(diff "$work/effective.toml" "$work/again.toml")"
echo "ok: --print-config output is a config file"

# The run itself, with the same precedence. The largest batch says which size was used: a batch
# also closes when the source has nothing more ready (natural batching), but these 250 events are
# a backlog that arrives in one fetch, so a batch fills up to the size (the file's 1000: 250).
export PLAYSTREAM_STORE=sqlite:$db PLAYSTREAM_BATCH_SIZE=50
"$bin" stream --config "$work/playstream.toml" --flush-interval 3600000 2>"$work/stream.err"
grep -q "stream: done: consumed=250 stored=250 rejected=0" "$work/stream.err" || fail "stream: $(tail -3 "$work/stream.err")"
check "rows in the store the environment named" "$(rows "$db")" 250
[ ! -e "$work/from-file.db" ] || fail "the file's store was used"
check "largest batch: the environment's size" "$(grep -o 'largest_batch=[0-9]*' "$work/stream.err" | tail -1)" "largest_batch=50"
grep -q "warning" "$work/stream.err" && fail "a secret from the environment drew a warning"
unset PLAYSTREAM_STORE PLAYSTREAM_BATCH_SIZE PLAYSTREAM_CASSANDRA_PASSWORD

# PLAYSTREAM_CONFIG names the file when --config does not.
PLAYSTREAM_CONFIG=$work/playstream.toml "$bin" stream --store "sqlite:$db" --print-config >"$work/env.toml"
grep -qx "exit-when-idle = 3" "$work/env.toml" || fail "PLAYSTREAM_CONFIG not read: $(cat "$work/env.toml")"
check "PLAYSTREAM_CONFIG naming a missing file" "$(PLAYSTREAM_CONFIG=$work/none.toml status "$bin" schema --store "sqlite:$db")" 2
grep -q "PLAYSTREAM_CONFIG: no such file $work/none.toml" "$work/err" || fail "$(cat "$work/err")"

# Mistakes in a config file: usage errors naming the key and the file.
printf '[stream]\nbatch-sise = 10\n' >"$work/typo.toml"
check "unknown key" "$(status "$bin" stream --config "$work/typo.toml" --print-config)" 2
grep -q "config file $work/typo.toml: unknown key 'batch-sise' in \[stream\]" "$work/err" || fail "$(cat "$work/err")"
printf 'brokers = "x:1"\n' >"$work/top.toml"
check "command option at the top level" "$(status "$bin" stream --config "$work/top.toml" --print-config)" 2
grep -q "unknown key 'brokers' at the top level" "$work/err" || fail "$(cat "$work/err")"
printf '[strem]\ntopic = "x"\n' >"$work/section.toml"
check "unknown section" "$(status "$bin" stream --config "$work/section.toml" --print-config)" 2
grep -q "unknown section \[strem\]" "$work/err" || fail "$(cat "$work/err")"
printf '[stream]\nbatch-size = -1\n' >"$work/range.toml"
check "value out of range in the file" "$(status "$bin" stream --config "$work/range.toml" --print-config)" 2
grep -q "batch-size: expected a whole number from 1 to 1000000" "$work/err" || fail "$(cat "$work/err")"
check "missing --config file" "$(status "$bin" stream --config "$work/none.toml")" 2

# A secret on the command line: a warning, and ps no longer shows it once parsed.
"$bin" stream --brokers "$brokers" --topic listens --catalog "$catalog" --store "sqlite:$work/p.db" \
  --exit-when-idle 2 --cassandra-password hunter2 -X sasl.password=hunter3 2>"$work/ps.err" &
pid=$!
pids+=($pid)
sleep 1
cmdline=$(tr '\0' ' ' </proc/$pid/cmdline || true)
[[ $cmdline != *hunter2* && $cmdline != *hunter3* ]] || fail "ps shows the secret: $cmdline"
[[ $cmdline == *"--cassandra-password ******* "* && $cmdline == *"sasl.password=*******"* ]] || fail "ps: $cmdline"
wait $pid
grep -q "warning: --cassandra-password on the command line is visible" "$work/ps.err" || fail "no warning: $(cat "$work/ps.err")"
grep -q "warning: -X sasl.password=... on the command line is visible" "$work/ps.err" || fail "no -X warning"
echo "ok: command-line secrets are warned about and blanked in ps"
