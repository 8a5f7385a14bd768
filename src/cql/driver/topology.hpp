#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cql/driver/endpoint.hpp"

namespace playstream::cql::driver {

class Connection;

struct NodeInfo {
    Endpoint endpoint;  // where its native protocol listens
    std::string datacenter;
    std::string rack;
    std::vector<std::int64_t> tokens;  // Murmur3Partitioner tokens, parsed from system tables' text
};

struct Topology {
    std::vector<NodeInfo> nodes;  // the node answering first, then its peers
    std::string partitioner;      // "org.apache.cassandra.dht.Murmur3Partitioner"
};

inline constexpr std::string_view murmur3_partitioner = "org.apache.cassandra.dht.Murmur3Partitioner";

// Reads the nodes of the cluster over a connection to `contact`: system.local for that node,
// system.peers_v2 for the others (Cassandra 4 and later: it has each peer's native port), or
// system.peers on a server without it (port: the contact's). Blocks: for setup code, never on
// the I/O thread. Throws DriverError subclasses, or ProtocolError on a malformed row.
Topology discover_topology(Connection& connection, const Endpoint& contact);

}  // namespace playstream::cql::driver
