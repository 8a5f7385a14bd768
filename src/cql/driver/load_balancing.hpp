#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cql/driver/token_ring.hpp"
#include "cql/driver/topology.hpp"

namespace playstream::cql::driver {

// Which nodes a request tries, in order: with a routing token, its replicas (primary first), then
// the other nodes; without one, every node round robin. Only the nodes of the local datacenter
// take part: a remote one is never a coordinator, so LOCAL_* consistencies stay local.
//
// The members change as the cluster does (update); each plan is made from one consistent
// snapshot of them and their token ring, so a request never sees half an update. Thread-safe.
class LoadBalancingPolicy {
public:
    struct Member {
        std::size_t node = 0;  // its index in the connection pool
        NodeInfo info;
    };

    explicit LoadBalancingPolicy(std::string local_datacenter) : local_datacenter_(std::move(local_datacenter)) {}

    const std::string& local_datacenter() const { return local_datacenter_; }
    bool is_local(const NodeInfo& node) const { return node.datacenter == local_datacenter_; }

    // The local datacenter's nodes now. `token_aware`: their tokens are Murmur3Partitioner
    // tokens, so routing can use them.
    void update(std::vector<Member> members, bool token_aware);
    std::vector<Member> members() const;

    // The pool indices to try, in order.
    NodeList plan(std::optional<std::int64_t> token);

private:
    struct Snapshot {
        std::vector<Member> members;
        TokenRing ring;  // over indices into members; empty unless token aware
    };
    std::shared_ptr<const Snapshot> snapshot() const;

    const std::string local_datacenter_;
    mutable std::mutex mutex_;  // guards current_ (the pointer; a snapshot never changes)
    std::shared_ptr<const Snapshot> current_ = std::make_shared<Snapshot>();
    std::atomic<std::size_t> round_robin_{0};
};

}  // namespace playstream::cql::driver
