// The classroom table in an SQLite file, read in ranges of whole partitions in key order
// (keyset paging on (name, date, hour)), after the rows whose key has a NULL, which SQLite
// allows in a rowid table and no key order reaches.
#include <cinttypes>
#include <cstdio>
#include <memory>

#include <sqlite3.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "migrate/sources.hpp"
#include "util/error.hpp"
#include "util/escape.hpp"

namespace playstream::migrate {
namespace {

constexpr int partitions_per_range = 256;

struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, Closer>;

struct PartitionKey {
    std::string name, date;
    std::int64_t hour = 0;
};

std::string hex(std::string_view text) {
    std::string out;
    for (unsigned char c : text) out += fmt::format("{:02x}", c);
    return out;
}

bool unhex(std::string_view text, std::string& out) {
    if (text.size() % 2 != 0) return false;
    out.clear();
    for (std::size_t i = 0; i < text.size(); i += 2) {
        unsigned value = 0;
        for (char c : text.substr(i, 2)) {
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) return false;
            value = value * 16 + static_cast<unsigned>(digit);
        }
        out += static_cast<char>(value);
    }
    return true;
}

class SqliteSource final : public ClassroomSource {
public:
    SqliteSource(std::string path, const SourceOptions& options)
        : path_(std::move(path)), page_size_(static_cast<std::size_t>(options.page_size)) {
        sqlite3* db = nullptr;
        int rc = sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        db_.reset(db);
        if (rc != SQLITE_OK) fail("cannot open");
        sqlite3_busy_timeout(db, 10000);
    }

    bool next_range(const PageSink& sink) override {
        const std::string columns = fmt::format("{}", fmt::join(classroom_columns, ", "));
        if (!nulls_done_) {
            read(prepare(fmt::format("SELECT {} FROM listening_history WHERE name IS NULL OR date IS NULL OR "
                                     "hour IS NULL", columns)), sink);
            nulls_done_ = true;
            return true;
        }
        // The last partition of this range: up to partitions_per_range after the finished ones.
        Statement last = prepare(fmt::format(
            "SELECT name, date, hour FROM (SELECT DISTINCT name, date, hour FROM listening_history "
            "WHERE name IS NOT NULL AND date IS NOT NULL AND hour IS NOT NULL{} ORDER BY 1, 2, 3 LIMIT {}) "
            "ORDER BY 1 DESC, 2 DESC, 3 DESC LIMIT 1", after_ ? " AND (name, date, hour) > (?, ?, ?)" : "",
            partitions_per_range));
        if (after_) bind_key(last.get(), 1, *after_);
        int rc = sqlite3_step(last.get());
        if (rc == SQLITE_DONE) return false;
        if (rc != SQLITE_ROW) fail("cannot read the partitions");
        PartitionKey upto{text(last.get(), 0).value_or(""), text(last.get(), 1).value_or(""),
                          sqlite3_column_int64(last.get(), 2)};
        Statement rows = prepare(fmt::format(
            "SELECT {} FROM listening_history WHERE (name, date, hour) <= (?, ?, ?){} ORDER BY name, date, hour",
            columns, after_ ? " AND (name, date, hour) > (?, ?, ?)" : ""));
        bind_key(rows.get(), 1, upto);
        if (after_) bind_key(rows.get(), 4, *after_);
        read(std::move(rows), sink);
        after_ = upto;
        ++ranges_read_;
        return true;
    }

    std::string position() const override {
        if (!nulls_done_) return "start";
        if (!after_) return "nulls";
        return fmt::format("after {} {} {}", hex(after_->name), hex(after_->date), after_->hour);
    }

    void seek(const std::string& position) override {
        nulls_done_ = position != "start";
        after_.reset();
        if (position == "start" || position == "nulls") return;
        // "after HEXNAME HEXDATE HOUR"
        PartitionKey key;
        const auto a = position.find(' '), b = position.find(' ', a + 1), c = position.find(' ', b + 1);
        const bool ok = position.rfind("after ", 0) == 0 && b != std::string::npos && c != std::string::npos &&
                        unhex(std::string_view(position).substr(a + 1, b - a - 1), key.name) &&
                        unhex(std::string_view(position).substr(b + 1, c - b - 1), key.date) &&
                        std::sscanf(position.c_str() + c + 1, "%" SCNd64, &key.hour) == 1;
        if (!ok) {
            throw Error(fmt::format("the state file's position '{}' is not an SQLite source's",
                                    escape_for_log(position)));
        }
        after_ = key;
    }

    std::string describe() const override {
        if (!after_) return "rows with a NULL key column";
        return fmt::format("range {} (partitions up to {} {} {})", ranges_read_, escape_for_log(after_->name),
                           after_->date, after_->hour);
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(fmt::format("sqlite:{}: {}: {}", path_, what, sqlite3_errmsg(db_.get())));
    }

    Statement prepare(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
            fail("cannot read the classroom table");
        }
        return Statement(stmt);
    }

    static void bind_key(sqlite3_stmt* s, int first, const PartitionKey& key) {
        sqlite3_bind_text(s, first, key.name.data(), static_cast<int>(key.name.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(s, first + 1, key.date.data(), static_cast<int>(key.date.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(s, first + 2, key.hour);
    }

    static std::optional<std::string> text(sqlite3_stmt* s, int col) {
        if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
        const auto* v = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
        return std::string(v, static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
    }
    static std::optional<std::int64_t> integer(sqlite3_stmt* s, int col) {
        if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
        return sqlite3_column_int64(s, col);
    }
    static std::optional<double> number(sqlite3_stmt* s, int col) {
        if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
        return sqlite3_column_double(s, col);
    }

    void read(Statement stmt, const PageSink& sink) {
        std::vector<ClassroomRow> page;
        int rc;
        while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
            sqlite3_stmt* s = stmt.get();
            ClassroomRow& row = page.emplace_back();
            row.name = text(s, 0);
            row.date = text(s, 1);
            row.hour = integer(s, 2);
            row.time = text(s, 3);
            row.id = integer(s, 4);
            row.song = text(s, 5);
            row.artists = text(s, 6);
            row.duration_ms = integer(s, 7);
            row.album_name = text(s, 8);
            row.album_release_date = text(s, 9);
            row.key = integer(s, 10);
            for (std::size_t f = 0; f < row.features.size(); ++f) {
                row.features[f] = number(s, static_cast<int>(first_feature + f));
            }
            if (page.size() == page_size_) {
                sink(page);
                page.clear();
            }
        }
        if (rc != SQLITE_DONE) fail("cannot read the classroom table");
        if (!page.empty()) sink(page);
    }

    std::string path_;
    std::size_t page_size_;
    std::unique_ptr<sqlite3, Closer> db_;
    bool nulls_done_ = false;
    std::optional<PartitionKey> after_;  // the last partition of the finished ranges
    std::size_t ranges_read_ = 0;
};

}  // namespace

std::unique_ptr<ClassroomSource> open_sqlite_source(const std::string& path, const SourceOptions& options) {
    return std::make_unique<SqliteSource>(path, options);
}

}  // namespace playstream::migrate
