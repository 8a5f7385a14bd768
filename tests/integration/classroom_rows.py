#!/usr/bin/env python3
"""The classroom's pipeline in miniature, to fill a classroom table as it would have been filled:
its JSON messages ({"id", "name", "song", "time": "YYYY-MM-DD hh:mm"}) joined on the song name with
the catalogue's CSV, `date` and `hour` cut from `time`, one CQL INSERT per row.

usage: classroom_rows.py CATALOG KEYSPACE COUNT MESSAGES_OUT CQL_OUT
Writes the messages (JSON lines) and the INSERTs; one message names a song not in the catalogue.
"""
import csv, json, random, sys

catalog, keyspace, count, messages_out, cql_out = sys.argv[1:6]
songs = {}
for row in csv.DictReader(open(catalog, newline="", encoding="utf-8-sig")):
    songs.setdefault(row["name"], row)  # the first of a name, as both joins take it
rng = random.Random(13)
users = [f"Listener {i}" for i in range(12)]
names = sorted(songs)
messages, seen = [], set()
while len(messages) < int(count):
    user, hour, minute = rng.choice(users), rng.randrange(12), rng.randrange(60)
    time = f"2024-03-03 {hour:02d}:{minute:02d}"  # the classroom's %I: 00-11
    if (user, time) in seen:  # its key would keep only the last of these
        continue
    seen.add((user, time))
    messages.append({"id": len(messages), "name": user, "song": rng.choice(names), "time": time})
messages[-1]["song"] = "A Song Nobody Catalogued"

def q(text):
    return "'" + text.replace("'", "''") + "'"

with open(messages_out, "w") as out, open(cql_out, "w") as cql:
    for m in messages:
        out.write(json.dumps(m) + "\n")
        s = songs.get(m["song"])
        if s is None:  # the classroom's inner join would drop it; keep it, with no song fields
            cql.write(f"INSERT INTO {keyspace}.listening_history (name, date, hour, time, id, song) VALUES "
                      f"({q(m['name'])}, {q(m['time'][:10])}, {int(m['time'][11:13])}, {q(m['time'])}, {m['id']}, "
                      f"{q(m['song'])});\n")
            continue
        features = ", ".join(str(float(s[f])) for f in ["danceability", "energy", "loudness", "speechiness",
                                                         "acousticness", "instrumentalness", "liveness",
                                                         "valence", "tempo"])
        cql.write(f"INSERT INTO {keyspace}.listening_history (name, date, hour, time, id, song, artists, "
                  "duration_ms, album_name, album_release_date, key, mode, danceability, energy, loudness, "
                  "speechiness, acousticness, instrumentalness, liveness, valence, tempo) VALUES "
                  f"({q(m['name'])}, {q(m['time'][:10])}, {int(m['time'][11:13])}, {q(m['time'])}, {m['id']}, "
                  f"{q(m['song'])}, {q(s['artists'])}, {int(float(s['duration_ms']))}, {q(s['album_name'])}, "
                  f"{q(s['album_release_date'])}, {int(float(s['key']))}, {int(float(s['mode']))}, {features});\n")
