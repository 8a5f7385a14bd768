#include "store/cassandra_store.hpp"
#include "store/sqlite_store.hpp"
#include "store/store.hpp"
#include "store/store_uri.hpp"
#include "store/writer_thread.hpp"

namespace playstream::store {

std::unique_ptr<Store> open_store(const std::string& uri, const StoreOptions& options) {
    auto location = parse_store_uri(uri);
    if (const auto* sqlite = std::get_if<SqliteLocation>(&location)) {
        // Its writes block for a transaction and an fsync: a thread of their own lets `stream`
        // read and decode the next batch meanwhile.
        return std::make_unique<WriterThread>(
            std::make_unique<SqliteStore>(sqlite->path, options.create_if_missing));
    }
    return std::make_unique<CassandraStore>(std::get<CassandraAddress>(std::move(location)), options);
}

}  // namespace playstream::store
