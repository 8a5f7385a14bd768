#!/usr/bin/env python3
"""Prints the figures of bench/classroom_spark.sh from the files it left in WORK.

usage: report.py WORK OURS_KEYSPACE CLASSROOM_KEYSPACE

WORK holds: events.jsonl (every event produced, from `produce --echo`), ours.json and spark.json
(proctree.py's reports), ours.err (`stream`'s summary line), progress.jsonl (the Spark query's
listener), ours.load and spark.load (load averages before and after each run), and
KEYSPACE.songs.csv (the `song` column of every row each table holds, from cqlsh COPY).
"""
import csv
import json
import re
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def songs_stored(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [row[0] for row in csv.reader(f)]


def cpu_between(timeline, start, end):
    """The tree's CPU seconds spent from start to end (epoch seconds), from the sampled time line."""
    before = [cpu for t, cpu in timeline if t <= start]
    after = [cpu for t, cpu in timeline if t >= end]
    return (after[0] if after else timeline[-1][1]) - (before[-1] if before else 0.0)


def main(work, ours_ks, theirs_ks):
    events = []
    with open(f"{work}/events.jsonl") as f:
        for line in f:
            events.append(json.loads(line))
    quoted = [e for e in events if '"' in e["song"]]
    # The classroom table's key is ((name, date, hour), time): two listens of one user with the same
    # `time` text are one row there, the second overwriting the first.
    classroom_keys = {(e["name"], e["time"]) for e in events if '"' not in e["song"]}

    ours, spark = load(f"{work}/ours.json"), load(f"{work}/spark.json")
    done = re.search(r"done: consumed=(\d+) stored=(\d+).* in ([0-9.]+)s", open(f"{work}/ours.err").read())
    ours_seconds = float(done.group(3))

    records = [json.loads(line) for line in open(f"{work}/progress.jsonl")]
    progress = [r["progress"] for r in records if r["event"] == "progress"]
    started = next(r["at"] for r in records if r["event"] == "started")
    terminated = next(r["at"] for r in records if r["event"] == "terminated")
    spark_rows = sum(p["numInputRows"] for p in progress)
    batch_seconds = sum(p["durationMs"]["triggerExecution"] for p in progress) / 1000
    query_cpu = cpu_between(spark["timeline"], started, terminated)

    load_ours = open(f"{work}/ours.load").read().split("\n")
    load_spark = open(f"{work}/spark.load").read().split("\n")
    ours_rate, spark_rate = len(events) / ours_seconds, spark_rows / batch_seconds
    print(f"backlog: {len(events):,} events in Kafka, 8 partitions; catalogue of one row per song name")
    print(f"playstream stream: {ours_rate:,.0f} events/s ({len(events):,} events, first message to last commit "
          f"{ours_seconds:.2f} s); CPU {ours['cpu_s']:.1f} s for the process ({ours['cpu_s'] / len(events) * 1e6:.1f} s "
          f"per million events); peak RSS {ours['peak_rss_mb']:.0f} MB; load average before {load_ours[0]}, "
          f"after {load_ours[1]}")
    print(f"classroom Spark job: {spark_rate:,.0f} events/s ({spark_rows:,} rows read in {len(progress)} micro-batch(es), "
          f"{batch_seconds:.2f} s of batch execution; query start to end {terminated - started:.2f} s; the whole "
          f"spark-submit {spark['seconds']:.1f} s); CPU {spark['cpu_s']:.1f} s for the process tree, "
          f"{query_cpu:.1f} s of it during the query ({query_cpu / spark_rows * 1e6:.1f} s per million events); "
          f"peak RSS {spark['peak_rss_mb']:.0f} MB summed over up to {spark['peak_processes']} processes "
          f"(PSS {spark['peak_pss_mb']:.0f} MB); load average before {load_spark[0]}, after {load_spark[1]}")
    warnings = sum(" WARN " in line for line in open(f"{work}/spark.err", errors="replace"))
    uninterruptible = sum("not running in UninterruptibleThread" in line
                          for line in open(f"{work}/spark.err", errors="replace"))
    print(f"  Spark logged {warnings:,} warnings, {uninterruptible:,} of them KafkaDataConsumer's 'not running in "
          f"UninterruptibleThread' (the Kafka records are read on the thread that feeds the Python UDFs)")
    print(f"ratios, playstream / Spark: events/s {ours_rate / spark_rate:.1f}x; Spark / playstream: CPU "
          f"{spark['cpu_s'] / ours['cpu_s']:.1f}x (whole runs), {query_cpu / ours['cpu_s']:.1f}x (Spark's query only); "
          f"peak RSS {spark['peak_rss_mb'] / ours['peak_rss_mb']:.1f}x")

    ours_songs, theirs_songs = songs_stored(f"{work}/{ours_ks}.songs.csv"), songs_stored(f"{work}/{theirs_ks}.songs.csv")
    ours_quoted = sum('"' in s for s in ours_songs)
    theirs_quoted = sum('"' in s for s in theirs_songs)
    names = sorted({e["song"] for e in quoted})
    print(f"stored: playstream {len(ours_songs):,} rows of {len(events):,} events (stream: consumed={done.group(1)} "
          f"stored={done.group(2)}); classroom table {len(theirs_songs):,} rows")
    print(f"  listens of the {len(names)} songs whose names hold a double quote: {len(quoted):,}; playstream stored "
          f"{ours_quoted:,} of them, the classroom job {theirs_quoted:,} (Spark's CSV reader keeps the RFC 4180 "
          f"quoting in those names, so its inner join on the name drops their listens, without a message)")
    print(f"  the classroom table's key ((name, date, hour), time) holds {len(classroom_keys):,} distinct keys for the "
          f"{len(events) - len(quoted):,} other listens: {len(events) - len(quoted) - len(classroom_keys):,} listens "
          f"fell on a key another listen of the same user had (same millisecond) and overwrote it")
    lost = len(events) - len(quoted) - len(classroom_keys)
    expected = len(events) - len(quoted) - lost
    print(f"  classroom rows expected from those two effects: {expected:,}; found {len(theirs_songs):,}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:4])
