#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace playstream::store {

struct SqliteLocation {
    std::string path;
};

struct CassandraAddress {
    std::vector<std::string> contact_points;  // "host" or "host:port"
    std::string keyspace;
};

using StoreLocation = std::variant<SqliteLocation, CassandraAddress>;

// Parses a store URI, `sqlite:PATH` or `cassandra://HOST[:PORT][,HOST...]/KEYSPACE`, without
// touching a file or the network. Throws UsageError naming the URI when it is malformed
// (a contact point's port too: it is the user's typing, not the cluster's answer).
StoreLocation parse_store_uri(std::string_view uri);

}  // namespace playstream::store
