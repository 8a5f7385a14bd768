#pragma once

#include <asio/io_context.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cql/driver/connection_pool.hpp"
#include "cql/driver/control_connection.hpp"
#include "cql/driver/load_balancing.hpp"

namespace playstream::cql::driver {

// The cluster as a session sees it: the control connection reads its nodes, and each read is
// applied to the load-balancing policy (which nodes requests may go to) and the connection pool
// (a connection to each of them). A node that joins gets a connection and a place in the plans;
// one that left is dropped from both; one reported down is skipped until it answers again.
class Cluster {
public:
    struct Options {
        ConnectionOptions base;        // every connection's, but the endpoint
        std::string local_datacenter;  // empty: the first contact point's
        ReconnectPolicy reconnect;
        ControlConnection::Options control;
    };

    Cluster(asio::io_context& io, Options options);
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    // Reads the nodes from the first contact point that answers, opens a connection to each node
    // of the local datacenter (waiting until each has opened or failed once), then follows the
    // cluster's changes. Throws as ControlConnection::connect, std::invalid_argument when the
    // local datacenter has no node, NoHostAvailable when no node of it could be connected to.
    void connect(const std::vector<Endpoint>& contact_points);
    // Stops following the cluster, closes every connection and fails what is pending. Not on the I/O thread.
    void shutdown();

    ConnectionPool& pool() { return pool_; }
    LoadBalancingPolicy& policy() { return *policy_; }
    const LoadBalancingPolicy& policy() const { return *policy_; }
    const ConnectionPool& pool() const { return pool_; }
    Endpoint control_endpoint() const { return control_.endpoint(); }

private:
    // Makes the pool and the policy match `topology`'s local nodes. `opened` runs once for each
    // local node, when its connection has opened or failed once.
    void apply(const Topology& topology, const std::function<void()>& opened = {});
    void on_status(const Endpoint& endpoint, bool up);

    const Options options_;
    ConnectionPool pool_;
    std::optional<LoadBalancingPolicy> policy_;  // made once the local datacenter is known
    std::mutex apply_mutex_;                     // one topology applied at a time
    ControlConnection control_;                  // last: its thread calls into the members above
};

}  // namespace playstream::cql::driver
