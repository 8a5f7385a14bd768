#pragma once

#include <string>

namespace playstream::store {

// Settings a store URI cannot carry: credentials, and how `schema` creates a keyspace.
struct StoreOptions {
    std::string cassandra_user;      // PasswordAuthenticator; empty: no authentication
    std::string cassandra_password;
    std::string replication_strategy = "SimpleStrategy";  // or NetworkTopologyStrategy
    int replication_factor = 1;
    std::string write_consistency = "LOCAL_QUORUM";  // any CQL consistency level name
    bool create_if_missing = true;  // SQLite: make the file; readers say false
};

}  // namespace playstream::store
