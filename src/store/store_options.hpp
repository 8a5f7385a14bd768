#pragma once

#include <string>

#include "cql/primitives.hpp"

namespace playstream::store {

// How `schema` replicates a new keyspace (`--replication-strategy`).
enum class ReplicationStrategy { simple, network_topology };

// Settings a store URI cannot carry: credentials, and how `schema` creates a keyspace.
struct StoreOptions {
    std::string cassandra_user;      // PasswordAuthenticator; empty: no authentication
    std::string cassandra_password;
    ReplicationStrategy replication_strategy = ReplicationStrategy::simple;
    int replication_factor = 1;
    cql::Consistency write_consistency = cql::Consistency::LocalQuorum;
    bool create_if_missing = true;  // SQLite: make the file; readers say false
};

}  // namespace playstream::store
