#include <fmt/format.h>

#include "store/cassandra_store.hpp"
#include "store/sqlite_store.hpp"
#include "store/store.hpp"
#include "util/error.hpp"

namespace playstream::store {

std::unique_ptr<Store> open_store(const std::string& uri, const StoreOptions& options) {
    constexpr std::string_view sqlite = "sqlite:";
    if (uri.starts_with(sqlite) && uri.size() > sqlite.size()) {
        return std::make_unique<SqliteStore>(uri.substr(sqlite.size()), options.create_if_missing);
    }
    if (uri.starts_with("cassandra://")) {
        return std::make_unique<CassandraStore>(parse_cassandra_address(uri), options);
    }
    throw UsageError(fmt::format("store '{}': expected sqlite:PATH or cassandra://HOST[:PORT][,HOST...]/KEYSPACE", uri));
}

}  // namespace playstream::store
