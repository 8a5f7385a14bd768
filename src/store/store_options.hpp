#pragma once

#include <string>

#include "cql/compression.hpp"
#include "cql/primitives.hpp"

namespace playstream::store {

// How `schema` replicates a new keyspace (`--replication-strategy`).
enum class ReplicationStrategy { Simple, NetworkTopology };

// Settings a store URI cannot carry: credentials, TLS, compression, the local datacenter, and how
// `schema` creates a keyspace.
struct StoreOptions {
    std::string cassandra_user;      // PasswordAuthenticator; empty: no authentication
    std::string cassandra_password;
    ReplicationStrategy replication_strategy = ReplicationStrategy::Simple;
    int replication_factor = 1;
    cql::Consistency write_consistency = cql::Consistency::LocalQuorum;
    // TLS to Cassandra: off unless cassandra_tls; the files are PEM; empty CA: the system's CAs.
    bool cassandra_tls = false;
    std::string cassandra_ca;
    std::string cassandra_cert;  // with cassandra_key: mutual TLS
    std::string cassandra_key;
    bool cassandra_tls_no_verify_hostname = false;  // unsafe: any certificate of the CA passes
    cql::Compression cassandra_compression = cql::Compression::Lz4;  // lz4 only when the node offers it
    std::string cassandra_local_dc;  // the datacenter whose nodes coordinate; empty: the first contact point's
    bool create_if_missing = true;  // SQLite: make the file; readers say false
};

}  // namespace playstream::store
