#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "cql/driver/node_list.hpp"

namespace playstream::cql::driver {

// Which nodes own which tokens. A node owns the range (previous ring token, its token], so the
// primary replica of a token is the node of the first ring token >= it, wrapping past the last.
// Further replicas are the next distinct nodes clockwise: SimpleStrategy's rule, and also
// NetworkTopologyStrategy's within one datacenter when racks are ignored (the session builds the
// ring from the nodes of its own datacenter only).
class TokenRing {
public:
    TokenRing() = default;
    // (token, node) pairs in any order; a node owns several tokens with vnodes. Nodes are the
    // caller's indices.
    explicit TokenRing(std::vector<std::pair<std::int64_t, std::size_t>> tokens);

    bool empty() const { return ring_.empty(); }
    // The primary replica of `token`, then the next distinct nodes clockwise: at most `count`.
    NodeList replicas(std::int64_t token, std::size_t count) const;

private:
    std::vector<std::pair<std::int64_t, std::size_t>> ring_;  // sorted by token
    std::size_t nodes_ = 0;                                   // distinct nodes
};

}  // namespace playstream::cql::driver
