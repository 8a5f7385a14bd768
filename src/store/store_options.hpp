#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cql/compression.hpp"
#include "cql/primitives.hpp"

namespace playstream::store {

// How `schema` replicates a new keyspace (`--replication-strategy`).
enum class ReplicationStrategy { Simple, NetworkTopology };

// Replicas in one datacenter, for a keyspace replicated in several (`--replication dc1:3,dc2:3`).
struct DatacenterFactor {
    std::string datacenter;
    int factor = 1;
    bool operator==(const DatacenterFactor&) const = default;
};
// "DC:N[,DC:N...]", each datacenter once, N from 1 to 100; a name of letters, digits, '_', '-'
// and '.', as snitches make them (it goes into CQL as a string). Throws UsageError naming the
// part that is wrong.
std::vector<DatacenterFactor> parse_datacenter_factors(std::string_view text);

// Settings a store URI cannot carry: credentials, TLS, compression, the local datacenter, and how
// `schema` creates a keyspace.
struct StoreOptions {
    std::string cassandra_user;      // PasswordAuthenticator; empty: no authentication
    std::string cassandra_password;
    ReplicationStrategy replication_strategy = ReplicationStrategy::Simple;
    int replication_factor = 1;
    // Not empty: NetworkTopologyStrategy with these, instead of the strategy and factor above.
    std::vector<DatacenterFactor> replication_per_datacenter;
    cql::Consistency write_consistency = cql::Consistency::LocalQuorum;
    // TLS to Cassandra: off unless cassandra_tls; the files are PEM; empty CA: the system's CAs.
    bool cassandra_tls = false;
    std::string cassandra_ca;
    std::string cassandra_cert;  // with cassandra_key: mutual TLS
    std::string cassandra_key;
    bool cassandra_tls_no_verify_hostname = false;  // unsafe: any certificate of the CA passes
    // None by default, as the DataStax drivers and connectors: LZ4 halves the bytes of batched
    // writes for ~0.45 CPU s per million rows (README, Compression). Lz4: when the node offers it.
    cql::Compression cassandra_compression = cql::Compression::None;
    std::string cassandra_local_dc;  // the datacenter whose nodes coordinate; empty: the first contact point's
    bool create_if_missing = true;  // SQLite: make the file; readers say false
};

}  // namespace playstream::store
