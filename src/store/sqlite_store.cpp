#include "store/sqlite_store.hpp"

#include <cstring>
#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "events/timestamp.hpp"
#include "store/columns.hpp"
#include "store/listen_index.hpp"
#include "util/error.hpp"
#include "util/fault_point.hpp"

namespace playstream::store {

std::string_view sqlite_schema_sql();  // schema/sqlite.sql, compiled in

SqliteStore::SqliteStore(std::string path, bool create) : path_(std::move(path)) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path_.c_str(), &db,
                             SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    db_.reset(db);  // sqlite hands out a handle even on failure, to read the error from
    if (rc != SQLITE_OK) fail(create ? "cannot open" : "cannot open (no such database?)");
    sqlite3_busy_timeout(db_.get(), 10000);  // readers and writers may share the file
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
}

void SqliteStore::fail(const std::string& what) const {
    std::string message = fmt::format("sqlite:{}: {}: {}", path_, what,
                                      db_ ? sqlite3_errmsg(db_.get()) : "out of memory");
    int code = db_ ? sqlite3_errcode(db_.get()) & 0xff : SQLITE_NOMEM;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) throw TransientError(message);
    throw Error(message);
}

void SqliteStore::exec(const char* sql) {
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
        fail(fmt::format("'{}'", std::string_view(sql).substr(0, 60)));
    }
}

SqliteStore::Statement SqliteStore::prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_.get(), sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
        fail("cannot prepare a statement (is the schema there? run `playstream schema`)");
    }
    return Statement(stmt);
}

void SqliteStore::ensure_schema() { exec(std::string(sqlite_schema_sql()).c_str()); }

void SqliteStore::write(std::span<const model::EnrichedRow> rows) {
    if (!insert_) insert_ = prepare(insert_statement("INSERT OR REPLACE INTO", "listening_history"));
    sqlite3_stmt* s = insert_.get();
    exec("BEGIN IMMEDIATE");
    try {
        for (const model::EnrichedRow& row : rows) {
            bind_row(s, row);
            if (sqlite3_step(s) != SQLITE_DONE) fail("insert failed");
            sqlite3_reset(s);
        }
        util::fault_point("store_mid_write");
        const IndexEntries entries = written_.unwritten(rows);
        write_index(entries);
        exec("COMMIT");
        written_.remember(entries);
    } catch (...) {
        // An Error's message was taken from sqlite before this; a failed COMMIT may leave the
        // transaction open, and the next batch must start clean.
        sqlite3_reset(s);
        if (index_user_) sqlite3_reset(index_user_.get());
        if (index_hour_) sqlite3_reset(index_hour_.get());
        sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

// In the batch's transaction: the index never names a listen that is not stored.
void SqliteStore::write_index(const IndexEntries& entries) {
    if (!index_user_) index_user_ = prepare("INSERT OR IGNORE INTO listening_users (bucket, name) VALUES (?, ?)");
    if (!index_hour_) index_hour_ = prepare("INSERT OR IGNORE INTO listening_hours (name, date, hour) VALUES (?, ?, ?)");
    auto step = [this](sqlite3_stmt* stmt) {
        if (sqlite3_step(stmt) != SQLITE_DONE) fail("index insert failed");
        sqlite3_reset(stmt);
    };
    for (const std::string& name : entries.users) {
        const std::string bucket = user_bucket(name);
        sqlite3_bind_text(index_user_.get(), 1, bucket.data(), static_cast<int>(bucket.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(index_user_.get(), 2, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
        step(index_user_.get());
    }
    for (const HourKey& key : entries.hours) {
        bind_key(index_hour_.get(), key);
        step(index_hour_.get());
    }
}

void SqliteStore::bind_row(sqlite3_stmt* s, const model::EnrichedRow& row) {
    int i = 0;
    for_each_value(row, [&](const auto&, auto value) {
        ++i;
        using T = decltype(value);
        if constexpr (std::is_same_v<T, std::string_view>) {
            sqlite3_bind_text(s, i, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
        } else if constexpr (std::is_same_v<T, float>) {
            sqlite3_bind_double(s, i, value);
        } else {
            static_assert(std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t>);
            sqlite3_bind_int64(s, i, value);
        }
    });
}

void SqliteStore::bind_key(sqlite3_stmt* stmt, const HourKey& key) {
    sqlite3_bind_text(stmt, 1, key.name.data(), static_cast<int>(key.name.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, key.date.data(), static_cast<int>(key.date.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt, 3, key.hour);
}

model::Table SqliteStore::run(sqlite3_stmt* stmt, std::vector<std::string> columns) {
    model::Table table{std::move(columns), {}};
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        auto& row = table.rows.emplace_back();
        for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
            switch (sqlite3_column_type(stmt, i)) {
                case SQLITE_INTEGER: row.emplace_back(sqlite3_column_int64(stmt, i)); break;
                case SQLITE_FLOAT: {
                    // A stored feature was a float before it was widened; an aggregate is a double.
                    const char* decl = sqlite3_column_decltype(stmt, i);
                    double v = sqlite3_column_double(stmt, i);
                    if (decl != nullptr && std::strcmp(decl, "REAL") == 0) {
                        row.emplace_back(static_cast<float>(v));
                    } else {
                        row.emplace_back(v);
                    }
                    break;
                }
                case SQLITE_TEXT:
                    row.emplace_back(std::string(
                        reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                        static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))));
                    break;
                default: row.emplace_back(std::monostate{}); break;
            }
        }
    }
    if (rc != SQLITE_DONE) fail("query failed");
    return table;
}

model::Table SqliteStore::sample(std::size_t limit) {
    Statement stmt = prepare(
        fmt::format("SELECT {} FROM listening_history LIMIT ?", fmt::join(row_columns, ", ")));
    sqlite3_bind_int64(stmt.get(), 1, static_cast<sqlite3_int64>(limit));
    model::Table table = run(stmt.get(), {row_columns.begin(), row_columns.end()});
    for (auto& row : table.rows) {  // `time` is stored as epoch ms; show it as a timestamp
        row[3] = events::format_timestamp(std::get<std::int64_t>(row[3]));
    }
    return table;
}

model::Table SqliteStore::songs(const HourKey& key) {
    Statement stmt = prepare(
        "SELECT song FROM listening_history WHERE name = ? AND date = ? AND hour = ?");
    bind_key(stmt.get(), key);
    return run(stmt.get(), {"song"});
}

model::Table SqliteStore::stats(const HourKey& key) {
    std::vector<std::string> columns{"name", "date", "hour", "listens"};
    std::string averages;
    for (std::string_view f : feature_columns) {
        columns.push_back(fmt::format("avg_{}", f));
        averages += fmt::format(", avg({})", f);
    }
    Statement stmt = prepare(fmt::format(
        "SELECT name, date, hour, count(*){} FROM listening_history "
        "WHERE name = ? AND date = ? AND hour = ? GROUP BY hour", averages));
    bind_key(stmt.get(), key);
    return run(stmt.get(), std::move(columns));
}

model::Table SqliteStore::users(const std::string& prefix, std::size_t limit) {
    // Names sort by bytes here as in Cassandra: the matches are the first rows from `prefix` on.
    Statement stmt = prepare("SELECT name FROM listening_users WHERE bucket = ? AND name >= ? LIMIT ?");
    const std::string bucket = user_bucket(prefix);
    sqlite3_bind_text(stmt.get(), 1, bucket.data(), static_cast<int>(bucket.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt.get(), 2, prefix.data(), static_cast<int>(prefix.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt.get(), 3, static_cast<sqlite3_int64>(limit));
    model::Table table = run(stmt.get(), {"name"});
    std::erase_if(table.rows, [&](const auto& row) { return !std::get<std::string>(row[0]).starts_with(prefix); });
    return table;
}

model::Table SqliteStore::dates(const std::string& name) {
    Statement stmt = prepare("SELECT date, count(*) FROM listening_hours WHERE name = ? GROUP BY date ORDER BY date");
    sqlite3_bind_text(stmt.get(), 1, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
    return run(stmt.get(), {"date", "hours"});
}

model::Table SqliteStore::hours(const std::string& name, const std::string& date) {
    Statement stmt = prepare(
        "SELECT hour, count(*) FROM listening_history WHERE name = ? AND date = ? GROUP BY hour");
    bind_key(stmt.get(), {name, date, 0});
    std::array<std::int64_t, 24> listens{};
    for (const auto& row : run(stmt.get(), {"hour", "listens"}).rows) {
        const auto hour = std::get<std::int64_t>(row[0]);
        if (hour >= 0 && hour < 24) listens[static_cast<std::size_t>(hour)] = std::get<std::int64_t>(row[1]);
    }
    return hours_table(listens);
}

std::int64_t SqliteStore::count_rows() {
    Statement stmt = prepare("SELECT count(*) FROM listening_history");
    if (sqlite3_step(stmt.get()) != SQLITE_ROW) fail("count failed");
    return sqlite3_column_int64(stmt.get(), 0);
}

}  // namespace playstream::store
