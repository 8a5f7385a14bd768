"""A known listening data set for the web tests, and what the page must show for it.

dataset.py events CATALOG OUT.jsonl   writes the events (classroom JSON, one a line)
dataset.py expect CATALOG OUT.json    writes the hours, songs and averages computed here
"""
import csv, json, random, struct, sys

DATE = "2024-03-03"
HOSTILE = "<img src=x onerror=alert(1)>"
USERS = [HOSTILE, "Ada Lovelace", "Adam Smith", "Zoë Ünicode"]
FEATURES = ["danceability", "energy", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo"]


def songs(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    names = [r["name"] for r in rows]
    # Names that are not unique would join the first one listed: keep the test to unique ones.
    return [r for r in rows if names.count(r["name"]) == 1]


def events(catalog):
    rng = random.Random(8)
    out = []
    for i in range(400):
        user = USERS[i % len(USERS)]
        hour = rng.choice([1, 5, 9, 10, 10, 10, 17, 23]) if user == HOSTILE else rng.randrange(24)
        out.append({"id": i + 1, "name": user, "song": rng.choice(catalog)["name"],
                    "time": f"{DATE} {hour:02d}:{rng.randrange(60):02d}"})
    return out


def f32(text):  # the store keeps features as 32-bit floats
    return struct.unpack("f", struct.pack("f", float(text)))[0]


def expect(catalog, evs):
    by_name = {s["name"]: s for s in catalog}
    mine = [e for e in evs if e["name"] == HOSTILE]
    hours = [0] * 24
    for e in mine:
        hours[int(e["time"][11:13])] += 1
    busiest = max(range(24), key=lambda h: (hours[h], h))
    in_hour = sorted((e for e in mine if int(e["time"][11:13]) == busiest), key=lambda e: (e["time"], -e["id"]),
                     reverse=True)  # newest first; one minute's listens by id
    averages = {f: sum(f32(by_name[e["song"]][f]) for e in in_hour) / len(in_hour) for f in FEATURES}
    return {"user": HOSTILE, "date": DATE, "hours": hours, "hour": busiest,
            "songs": [e["song"] for e in in_hour], "listens": len(in_hour), "averages": averages}


if __name__ == "__main__":
    what, catalog_path, out = sys.argv[1:4]
    catalog = songs(catalog_path)
    evs = events(catalog)
    with open(out, "w", encoding="utf-8") as f:
        if what == "events":
            f.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in evs)
        else:
            json.dump(expect(catalog, evs), f, ensure_ascii=False)
