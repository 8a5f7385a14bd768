#!/usr/bin/env python3
"""Writes a song catalogue that both jobs of bench/classroom_spark.sh read: one row per song name
(the first of each name, in file order), under the classroom's header.

The classroom job joins listens to songs on the name alone; a name that several rows share (the
TidyTuesday set has 5,130 rows and 3,013 names) would make one listen several rows there and
skew the comparison. `stream` joins on song_id, and with one row per name both joins name the
same song. The output is RFC 4180 CSV (quotes doubled), as the input is.

usage: catalog_by_name.py INPUT.csv OUTPUT.csv
INPUT has the TidyTuesday header (track_name, track_artist, ...) or the classroom's.
"""
import csv
import sys

CLASSROOM_HEADER = ["name", "artists", "duration_ms", "album_name", "album_release_date", "danceability",
                    "energy", "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness",
                    "liveness", "valence", "tempo"]
# TidyTuesday's names for the classroom columns that it spells differently.
TIDYTUESDAY = {"name": "track_name", "artists": "track_artist", "album_name": "track_album_name",
               "album_release_date": "track_album_release_date"}


def main(source, target):
    with open(source, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        tidy = "track_name" in reader.fieldnames
        first = {}
        for row in reader:
            out = [row[TIDYTUESDAY.get(c, c) if tidy else c] for c in CLASSROOM_HEADER]
            first.setdefault(out[0], out)
    with open(target, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(CLASSROOM_HEADER)
        writer.writerows(first.values())
    quoted = sum('"' in name for name in first)
    print(f"catalogue: {len(first)} songs (one per name) from {source}; {quoted} names hold a double quote",
          file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
