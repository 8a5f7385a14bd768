-- playstream's table in SQLite: the same columns and primary key as schema/cassandra.cql.
-- `time` is milliseconds since the Unix epoch (UTC); `date`/`hour` are derived from it in UTC.
CREATE TABLE IF NOT EXISTS listening_history (
    name               TEXT    NOT NULL,
    date               TEXT    NOT NULL,
    hour               INTEGER NOT NULL,
    time               INTEGER NOT NULL,
    id                 INTEGER NOT NULL,
    song               TEXT,
    song_id            INTEGER,
    artists            TEXT,
    duration_ms        INTEGER,
    album_name         TEXT,
    album_release_date TEXT,
    danceability       REAL,
    energy             REAL,
    musical_key        INTEGER,
    loudness           REAL,
    mode               REAL,
    speechiness        REAL,
    acousticness       REAL,
    instrumentalness   REAL,
    liveness           REAL,
    valence            REAL,
    tempo              REAL,
    PRIMARY KEY (name, date, hour, time DESC, id)
) WITHOUT ROWID;

-- The listening index, as in schema/cassandra.cql (src/store/listen_index.hpp).
CREATE TABLE IF NOT EXISTS listening_users (
    bucket TEXT NOT NULL,
    name   TEXT NOT NULL,
    PRIMARY KEY (bucket, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS listening_hours (
    name TEXT    NOT NULL,
    date TEXT    NOT NULL,
    hour INTEGER NOT NULL,
    PRIMARY KEY (name, date, hour)
) WITHOUT ROWID;
