#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/), small and hand-made:
our events and the classroom's, catalogues in both headers with quotes, CRLF and a BOM, and the
CQL frames of tests/cql_message_test.cpp. Run it again after changing it; the files are kept in
git so a checkout needs no Python to fuzz."""
import csv
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# ---- song ids as src/catalog/song_id.cpp computes them (FNV-1a over identity fields) ----
def song_id(name, artists, album, release, duration):
    h = 14695981039346656037
    for field in (name, artists, album, release):
        for b in field.encode() + b"\x1f":
            h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    for b in str(duration).encode():
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h & 0x7FFFFFFFFFFFFFFF


with open(ROOT.parent / "data" / "sample-catalog.csv", newline="", encoding="utf-8") as f:
    songs = list(csv.DictReader(f))
first = songs[0]
first_id = song_id(first["name"], first["artists"], first["album_name"], first["album_release_date"],
                   first["duration_ms"])

# ---- event_fuzzer: Kafka payloads ----
E = "event_fuzzer"
write(E, "ours", '{"id":123,"name":"Ada Lovelace","song":"%s","song_id":%d,"time":"2024-03-03 10:15:42.123"}'
      % (first["name"], first_id))
write(E, "ours_wrong_id", '{"id":7,"name":"Ada","song":"%s","song_id":%d,"time":"2024-03-03 22:15:30.250"}'
      % (songs[1]["name"], first_id))
write(E, "classroom", '{"id": 42, "name": "Grace Hopper", "song": "%s", "time": "2024-03-03 03:15"}'
      % songs[2]["name"])
write(E, "classroom_unknown_song", '{"id": 1, "name": "Linus", "song": "No Such Song", "time": "2023-12-31 23:59"}')
write(E, "escapes", '{"id":9,"name":"Z\\u00fcrich \\"Z\\" \\\\ \\ud83c\\udfb5","song":"Caf\\u00e9\\n",'
      '"time":"2024-02-29T12:00:00Z","song_id":null}')
write(E, "unknown_fields", '{"id":3,"name":"n","song":"s","extra":{"a":[true,false,null,1.5e3,-0,"x"]},'
      '"time":"2024-03-03 03:15","z":"x"}')
write(E, "duplicate_keys", '{"id":1,"name":"first","song":"s","time":"2024-03-03 03:15","id":2,"name":"second"}')
write(E, "missing_time", '{"id":1,"name":"n","song":"s"}')
write(E, "bad_time", '{"id":1,"name":"n","song":"s","time":"2024-03-03 3:15 PM"}')
write(E, "not_object", '[1,2,3]')
write(E, "utf8_name", '{"id":5,"name":"Ελένη Παπαδοπούλου","song":"%s","time":"1999-12-31 23:59:59"}'
      % songs[3]["name"])

# ---- catalog_fuzzer: catalogue files ----
C = "catalog_fuzzer"
sample = (ROOT.parent / "data" / "sample-catalog.csv").read_text(encoding="utf-8")
header, *rows = sample.splitlines()
write(C, "classroom_header", "\n".join([header] + rows[:4]) + "\n")
write(C, "crlf_bom", "\ufeff" + "\r\n".join([header] + rows[:3]) + "\r\n")
write(C, "quoted", header + "\n"
      '"Rain, Again","Third Artist, ""The"" Band",200000,"Album\nWith Newline",2020-01-01,'
      '0.5,0.5,5,-5.5,1,0.05,0.1,0,0.1,0.5,120.0\n')
write(C, "tidytuesday", "track_id,track_name,track_artist,track_popularity,track_album_name,"
      "track_album_release_date,danceability,energy,key,loudness,mode,speechiness,acousticness,"
      "instrumentalness,liveness,valence,tempo,duration_ms\n"
      "6f807x0ima9a1j3VPbc7VN,I Don't Care,Ed Sheeran,66,Remixes,2019-06-14,0.748,0.916,6,-2.634,1,"
      "0.0583,0.102,0,0.0653,0.518,122.036,2.00E+05\n")
write(C, "duplicate_row", "\n".join([header, rows[0], rows[0], rows[1]]) + "\n")
write(C, "bad_number", header + "\n" + rows[0].replace("0.476", "0,476x", 1) + "\n")
write(C, "header_only", header + "\n")

# ---- cql frames, as tests/cql_message_test.cpp writes them ----
def b(*pieces):
    out = bytearray()
    for p in pieces:
        out += p.encode() if isinstance(p, str) else bytes([p])
    return bytes(out)


def string(s):
    return struct.pack(">H", len(s)) + s.encode()


def cell(v):
    return b"\xff\xff\xff\xff" if v is None else struct.pack(">i", len(v)) + v


def frame(opcode, body, flags=0, stream=1):
    return struct.pack(">BBhBI", 0x84, flags, stream, opcode, len(body)) + body


rows_body = b(0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 7, "spotify", 0, 0x11, "listening_history",
              0, 4, "name", 0, 0x0d, 0, 4, "hour", 0, 9, 0, 0, 0, 2,
              0, 0, 0, 3, "bob", 0, 0, 0, 4, 0, 0, 0, 0x17, 0, 0, 0, 5, "alice", 0xff, 0xff, 0xff, 0xff)
paged_rows_body = b(0, 0, 0, 2, 0, 0, 0, 6, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 1, 0, 0, 0, 1, "x")
nested_rows_body = b(0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2,
                     0, 1, "a", 0, 1, "t", 0, 1, "m", 0, 0x21, 0, 0x0d, 0, 0x31, 0, 2, 0, 9, 0, 0, 0, 4, "Dur!",
                     0, 1, "b", 0, 1, "u", 0, 1, "d", 0, 0x11, 0, 0, 0, 0)
prepared_body = b(0, 0, 0, 4, 0, 2, 0xab, 0xcd, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 2, 0, 2, 0, 1,
                  0, 7, "spotify", 0, 1, "t", 0, 4, "hour", 0, 9, 0, 3, "day", 0, 0x0d, 0, 4, "name", 0, 0x0d,
                  0, 0, 0, 4, 0, 0, 0, 0)

# SELECT * FROM spotify.listening_history LIMIT 1, as `query sample` reads it: every column type
# of our table, one row.
table = [("name", 0x0d, b"Ada Lovelace"), ("date", 0x0d, b"2024-03-03"), ("hour", 0x09, struct.pack(">i", 10)),
         ("time", 0x0b, struct.pack(">q", 1709460942123)), ("id", 0x02, struct.pack(">q", 123)),
         ("song", 0x0d, first["name"].encode()), ("song_id", 0x02, struct.pack(">q", first_id)),
         ("artists", 0x0d, first["artists"].encode()), ("duration_ms", 0x09, struct.pack(">i", 330089)),
         ("danceability", 0x08, struct.pack(">f", 0.476)), ("tempo", 0x08, struct.pack(">f", 148.869)),
         ("mode", 0x08, None)]
sample_body = (struct.pack(">ii", 2, 1) + struct.pack(">i", len(table)) + string("spotify")
               + string("listening_history")
               + b"".join(string(n) + struct.pack(">H", t) for n, t, _ in table)
               + struct.pack(">i", 1) + b"".join(cell(v) for _, _, v in table))
# Every other type the value decoders read: double, boolean, uuid, timeuuid, ascii, counter.
other_types = [("d", 0x07, struct.pack(">d", 2.5)), ("b", 0x04, b"\x01"), ("u", 0x0c, bytes(range(16))),
               ("tu", 0x0f, bytes(range(16, 32))), ("a", 0x01, b"ascii"), ("c", 0x05, struct.pack(">q", -1)),
               ("blob", 0x03, b"\x00\xff")]
other_body = (struct.pack(">ii", 2, 1) + struct.pack(">i", len(other_types)) + string("k") + string("t")
              + b"".join(string(n) + struct.pack(">H", t) for n, t, _ in other_types)
              + struct.pack(">i", 2) + b"".join(cell(v) for _, _, v in other_types)
              + b"".join(cell(None) for _ in other_types))

R = "cql_rows_fuzzer"
for name, body in [("rows", rows_body), ("paged_no_metadata", paged_rows_body), ("nested_types", nested_rows_body),
                   ("prepared", prepared_body), ("sample_query", sample_body), ("other_types", other_body),
                   ("void", b(0, 0, 0, 1)), ("set_keyspace", b(0, 0, 0, 3, 0, 7, "spotify"))]:
    write(R, name, body)

F = "cql_frame_fuzzer"
unavailable = b(0, 0, 0x10, 0, 0, 0x0b, "Cannot do 2", 0, 4, 0, 0, 0, 2, 0, 0, 0, 1)
write_timeout = b(0, 0, 0x11, 0, 0, 1, "t", 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 5, "BATCH")
supported = b(0, 2, 0, 0x0b, "COMPRESSION", 0, 2, 0, 6, "snappy", 0, 3, "lz4", 0, 0x0b, "CQL_VERSION",
              0, 1, 0, 5, "3.4.7")
topology_event = b(0, 0x0f, "TOPOLOGY_CHANGE", 0, 8, "NEW_NODE", 4, 127, 0, 0, 2, 0, 0, 0x23, 0x52)
schema_event = b(0, 0x0d, "SCHEMA_CHANGE", 0, 7, "DROPPED", 0, 8, "FUNCTION", 0, 2, "ks", 0, 1, "f", 0, 1,
                 0, 3, "int")
flagged_void = (bytes(range(0x10, 0x20)) + b(0, 1, 0, 0x0d, "batch too big", 0, 1, 0, 1, "k", 0, 0, 0, 1, 0x2a)
                + b(0, 0, 0, 1))


def lz4_literals(body):
    """A v4 LZ4 body by hand (no lz4 module needed): the length, then one LZ4 block of a single
    sequence holding every byte as a literal, which is a valid block."""
    n, out = len(body), bytearray(struct.pack(">I", len(body)))
    out.append(min(n, 15) << 4)
    if n >= 15:
        rest = n - 15
        while rest >= 255:
            out.append(255)
            rest -= 255
        out.append(rest)
    return bytes(out + body)


for name, data in [
        ("lz4_result_rows", frame(0x08, lz4_literals(rows_body), flags=0x01)),
        ("lz4_ready", frame(0x02, lz4_literals(b""), flags=0x01)),
        ("ready", frame(0x02, b"")),
        ("error_unavailable", frame(0x00, unavailable)),
        ("error_write_timeout", frame(0x00, write_timeout)),
        ("authenticate", frame(0x03, string("org.apache.cassandra.auth.PasswordAuthenticator"))),
        ("auth_success", frame(0x10, b"\xff\xff\xff\xff")),
        ("supported", frame(0x06, supported)),
        ("result_rows", frame(0x08, rows_body)),
        ("result_sample_query", frame(0x08, sample_body)),
        ("result_prepared", frame(0x08, prepared_body)),
        ("event_topology", frame(0x0c, topology_event, stream=-1)),
        ("event_schema", frame(0x0c, schema_event, stream=-1)),
        ("flags_tracing_warning_payload", frame(0x08, flagged_void, flags=0x0e))]:
    write(F, name, data)

# ---- parsers_fuzzer: the first byte picks the parser (see parsers_fuzzer.cpp) ----
P = "parsers_fuzzer"
for i, text in enumerate(["sqlite:listens.db", "cassandra://127.0.0.1/spotify",
                          "cassandra://10.0.0.1:9042,node2,[::1]:9043/spotify"]):
    write(P, "store_uri_%d" % i, b"\x00" + text.encode())
for i, text in enumerate(["listens:4", "a:b:16"]):
    write(P, "topic_%d" % i, b"\x01" + text.encode())
for i, text in enumerate(["session.timeout.ms=6000", "sasl.jaas.config=a=b"]):
    write(P, "setting_%d" % i, b"\x02" + text.encode())
for i, text in enumerate(["2024-03-03 10:15", "2024-03-03T10:15:42.123Z", "2000-02-29 23:59:59.5",
                          "2024-03-03 10:15:42.123456"]):
    write(P, "timestamp_%d" % i, b"\x03" + text.encode())
for i, ms in enumerate([1709460942123, -1, -(2**63), 2**63 - 1, -62135596800000]):
    write(P, "epoch_%d" % i, b"\x04" + struct.pack("<q", ms))
