#pragma once

#include <memory>
#include <string>

#include <sqlite3.h>

#include "store/listen_index.hpp"
#include "store/store.hpp"

namespace playstream::store {

// The embedded default store: one SQLite file in WAL mode, one transaction per batch, fsynced
// before write() returns (synchronous=FULL), so an acknowledged batch survives a crash.
class SqliteStore final : public Store {
public:
    // `create`: make the file if it is missing (a reader should not create an empty database).
    explicit SqliteStore(std::string path, bool create = true);

    void ensure_schema() override;
    void write(std::span<const model::EnrichedRow> rows) override;
    model::Table sample(std::size_t limit) override;
    model::Table songs(const HourKey& key) override;
    model::Table stats(const HourKey& key) override;
    std::int64_t count_rows() override;
    TableShape table_shape() override;  // store/table_shape.cpp
    model::Table users(const std::string& prefix, std::size_t limit) override;
    model::Table dates(const std::string& name) override;
    model::Table hours(const std::string& name, const std::string& date) override;

private:
    struct StatementDeleter {
        void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
    };
    struct DatabaseCloser {
        void operator()(sqlite3* db) const { sqlite3_close(db); }
    };
    using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

    Statement prepare(const std::string& sql);
    void exec(const char* sql);
    [[noreturn]] void fail(const std::string& what) const;
    model::Table run(sqlite3_stmt* stmt, std::vector<std::string> columns);
    void bind_key(sqlite3_stmt* stmt, const HourKey& key);
    void write_index(const IndexEntries& entries);
    static void bind_row(sqlite3_stmt* stmt, const model::EnrichedRow& row);

    std::string path_;
    std::unique_ptr<sqlite3, DatabaseCloser> db_;  // closed even when the constructor throws
    Statement insert_;                             // declared after db_: finalized before it closes
    Statement index_user_, index_hour_;
    WrittenIndex written_;  // the index entries already committed: not written again
};

}  // namespace playstream::store
