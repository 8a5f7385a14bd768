#!/usr/bin/env python3
"""The classroom's three CQL queries, verbatim, in cqlsh against our table, agree with
`playstream query` for the same user-hour.

usage: classroom_queries.py KEYSPACE USER DATE HOUR PLAYSTREAM_BIN STORE_URI [CQLSH ARGS...]
"""
import json, math, subprocess, sys

from cqlsh_rows import cqlsh_rows

keyspace, user, date, hour, playstream, store = sys.argv[1:7]
cqlsh = sys.argv[7:]
# The user inside the queries' string literals: CQL doubles a quote there (users such as O'Brien
# are generated; one was the busiest user of a run, and the query was a syntax error).
user_literal = user.replace("'", "''")
failed = False

def cql_rows(query):
    # The classroom's queries name keyspace `spotify`; ours is the test's own, so only that differs.
    return cqlsh_rows(cqlsh, query.replace("spotify.", keyspace + "."))

def ours(kind):
    args = [playstream, "query", kind, "--store", store, "--format", "json"]
    if kind != "sample":
        args += ["--user", user, "--date", date, "--hour", hour]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)

def check(what, ok, detail):
    global failed
    print(("ok: " if ok else "FAIL: ") + what + f" ({detail})")
    failed |= not ok

sample = cql_rows("SELECT * FROM spotify.listening_history LIMIT 50;")
check("SELECT * ... LIMIT 50 runs unchanged", len(sample) == 50 and len(ours("sample")) == 50, f"{len(sample)} rows")

songs = cql_rows(f"SELECT song FROM spotify.listening_history WHERE name = '{user_literal}' AND date = '{date}' AND hour={hour};")
mine = [r["song"] for r in ours("songs")]
check("SELECT song ... agrees with `query songs`", [r[0] for r in songs] == mine and mine, f"{len(mine)} songs")

stats = cql_rows("SELECT name, date, hour, avg(danceability), avg(tempo), avg(acousticness), avg(tempo) "
                 f"FROM spotify.listening_history WHERE name = '{user_literal}' AND date = '{date}' AND hour = {hour} GROUP BY hour;")
(mine,) = ours("stats")
row = stats[0]
agree = (row[0] == user and row[1] == date and int(row[2]) == int(hour) and
         all(math.isclose(float(row[3 + i]), mine[f"avg_{f}"], rel_tol=1e-4)
             for i, f in enumerate(["danceability", "tempo", "acousticness", "tempo"])))
check("SELECT name, date, hour, avg(...) ... GROUP BY hour agrees with `query stats`", agree,
      f"cqlsh {row[3:]} vs ours {[mine['avg_danceability'], mine['avg_tempo'], mine['avg_acousticness']]}")
sys.exit(1 if failed else 0)
