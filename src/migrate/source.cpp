#include "migrate/source.hpp"

#include "migrate/sources.hpp"

namespace playstream::migrate {

std::unique_ptr<ClassroomSource> open_source(const std::string& uri, const SourceOptions& options) {
    auto location = store::parse_store_uri(uri);
    if (const auto* sqlite = std::get_if<store::SqliteLocation>(&location)) {
        return open_sqlite_source(sqlite->path, options);
    }
    return open_cassandra_source(std::get<store::CassandraAddress>(std::move(location)), options);
}

}  // namespace playstream::migrate
