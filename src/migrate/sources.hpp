#pragma once

// The two kinds of source behind open_source().
#include "migrate/source.hpp"
#include "store/store_uri.hpp"

namespace playstream::migrate {

std::unique_ptr<ClassroomSource> open_cassandra_source(store::CassandraAddress address, const SourceOptions& options);
std::unique_ptr<ClassroomSource> open_sqlite_source(const std::string& path, const SourceOptions& options);

}  // namespace playstream::migrate
