#include <fmt/format.h>

#include "store/sqlite_store.hpp"
#include "store/store.hpp"
#include "util/error.hpp"

namespace playstream::store {

std::unique_ptr<Store> open_store(const std::string& uri) {
    constexpr std::string_view sqlite = "sqlite:";
    if (uri.starts_with(sqlite) && uri.size() > sqlite.size()) {
        return std::make_unique<SqliteStore>(uri.substr(sqlite.size()));
    }
    if (uri.starts_with("cassandra://")) {
        throw UsageError(fmt::format("store '{}': the Cassandra store is not built yet", uri));
    }
    throw UsageError(fmt::format("store '{}': expected sqlite:PATH", uri));
}

}  // namespace playstream::store
