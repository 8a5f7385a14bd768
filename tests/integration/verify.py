#!/usr/bin/env python3
"""Checks what playstream wrote to Cassandra against what was produced, with cqlsh (PyPI) as an
independent client: every event stored exactly once (row count per partition), each row's
features equal to the catalogue's, and `playstream query stats` equal to averages computed here.

usage: verify.py EVENTS_JSONL CATALOG_CSV PLAYSTREAM_BIN STORE_URI KEYSPACE [CQLSH ARGS...]
"""
import collections, csv, datetime, json, math, struct, subprocess, sys

from cqlsh_rows import cqlsh_rows

events_path, catalog_path, playstream, store, keyspace = sys.argv[1:6]
cqlsh = sys.argv[6:]
failures = []

def check(what, ok, detail=""):
    print(("ok: " if ok else "FAIL: ") + what + (f" ({detail})" if detail else ""))
    if not ok:
        failures.append(what)

def cql(query):
    return cqlsh_rows(cqlsh, query)

features = ["danceability", "energy", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo"]

def song_id(row):
    """The documented id rule (README, Song catalogue), implemented here on its own: FNV-1a 64 of
    name, artists, album, release date and duration, separated by 0x1f, masked to 63 bits."""
    h = 0xcbf29ce484222325
    data = "\x1f".join([row["name"], row["artists"], row["album_name"], row["album_release_date"],
                        str(int(float(row["duration_ms"])))]).encode("utf-8")
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h & 0x7FFFFFFFFFFFFFFF

catalog = {}
with open(catalog_path, encoding="utf-8") as f:
    for row in csv.DictReader(f):
        catalog.setdefault(song_id(row), row)

events = [json.loads(l) for l in open(events_path, encoding="utf-8")]
by_hour = collections.defaultdict(list)
for e in events:
    t = datetime.datetime.strptime(e["time"], "%Y-%m-%d %H:%M:%S.%f")
    by_hour[(e["name"], t.strftime("%Y-%m-%d"), t.hour)].append(catalog[e["song_id"]])

# 1. Row count per partition, and in all.
got = {(r[0], r[1], int(r[2])): int(r[3]) for r in
       cql(f"SELECT name, date, hour, count(*) FROM {keyspace}.listening_history GROUP BY name, date, hour;")}
want = {k: len(v) for k, v in by_hour.items()}
check("every partition holds exactly its events", got == want,
      f"{len(want)} partitions, {len(events)} events produced; {sum(got.values())} rows in {len(got)} partitions")

# 2. Each stored row's features equal the catalogue's (cqlsh prints about 5 significant digits).
rows = cql(f"SELECT song_id, {', '.join(features)} FROM {keyspace}.listening_history LIMIT 5000;")
bad = sum(1 for r in rows if not all(
    math.isclose(float(r[1 + i]), float(catalog[int(r[0])][f]), rel_tol=1e-4, abs_tol=1e-5)
    for i, f in enumerate(features)))
check("stored features equal the catalogue's", bad == 0 and len(rows) > 0, f"{len(rows)} rows read, {bad} differ")

# 3. `playstream query stats` equals averages computed here from the events and the catalogue.
mismatch = []
busiest = sorted(by_hour, key=lambda k: -len(by_hour[k]))[:8]
for name, date, hour in busiest:
    out = subprocess.run([playstream, "query", "stats", "--store", store, "--user", name, "--date", date,
                          "--hour", str(hour), "--format", "json"], check=True, capture_output=True, text=True).stdout
    (stats,) = json.loads(out)
    songs = by_hour[(name, date, hour)]
    if stats["listens"] != len(songs):
        mismatch.append((name, date, hour, "listens"))
    for f in features:
        mean = sum(struct.unpack("f", struct.pack("f", float(s[f])))[0] for s in songs) / len(songs)
        if not math.isclose(stats[f"avg_{f}"], mean, rel_tol=1e-9, abs_tol=1e-9):
            mismatch.append((name, date, hour, f, stats[f"avg_{f}"], mean))
check("query stats equals averages computed from events and catalogue", not mismatch,
      f"{len(busiest)} user-hours" + (f"; first difference {mismatch[0]}" if mismatch else ""))

sys.exit(1 if failures else 0)
