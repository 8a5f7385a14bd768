#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cql/driver/connection.hpp"
#include "cql/driver/reconnect_policy.hpp"
#include "cql/driver/token_ring.hpp"
#include "cql/driver/topology.hpp"

namespace playstream::cql::driver {

// The nodes a session uses, one connection to each, and the token ring over them. A node whose
// connection drops is down until a reconnection (ReconnectPolicy) succeeds; query plans skip it.
// Thread-safe.
class Cluster {
public:
    struct Slot {
        std::size_t node = 0;
        std::shared_ptr<Connection> connection;  // with one request slot reserved
    };
    enum class Vacancy { Reserved, AllBusy, NoneUp };

    // `base`: the options of every connection but the endpoint, which is each node's.
    // `token_aware`: the nodes' tokens are Murmur3Partitioner tokens, so routing can use them.
    Cluster(asio::io_context& io, ConnectionOptions base, std::vector<NodeInfo> nodes, bool token_aware,
            ReconnectPolicy reconnect);
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    // Opens a connection to every node and waits until each has opened or failed; failed ones
    // keep being retried in the background.
    void connect_all();
    // Why each node that is down is down.
    std::vector<std::string> down_reasons() const;
    // Closes every connection, stops reconnecting and waits for the I/O thread to have failed
    // every pending request. Not on the I/O thread.
    void shutdown();

    std::size_t size() const { return nodes_.size(); }
    const NodeInfo& node(std::size_t i) const { return nodes_[i].info; }
    bool is_up(std::size_t i) const;
    // Requests on node i's connection now (its reserved slots); 0 while it is down.
    std::size_t in_flight(std::size_t i) const;

    // The order in which to try nodes. With a token (and token awareness): its replicas, primary
    // first, then the other nodes clockwise. Without: every node, starting one further each call
    // (round robin).
    std::vector<std::size_t> plan(std::optional<std::int64_t> token);

    // Reserves a slot on the first node of plan[from...] (wrapping around) that is up and has
    // room. Never blocks.
    Vacancy try_reserve(const std::vector<std::size_t>& plan, std::size_t from, Slot& slot);
    // As try_reserve, but waits while every up node of the plan is at its in-flight cap, until
    // `deadline`. Returns AllBusy only once the deadline has passed.
    Vacancy reserve(const std::vector<std::size_t>& plan, std::chrono::steady_clock::time_point deadline, Slot& slot);
    // A slot on every up node that has room, e.g. to prepare a statement everywhere.
    std::vector<Slot> reserve_each();

private:
    struct Node {
        NodeInfo info;
        std::unique_ptr<asio::steady_timer> reconnect_timer;
        // Under mutex_:
        std::shared_ptr<Connection> connection;  // null while down
        int failures = 0;                        // failed connection attempts in a row
        std::string last_error;                  // why it is down
    };

    ConnectionOptions options_for(std::size_t node) const;
    void open(std::size_t node, std::function<void()> opened);
    void on_closed(std::size_t node, const std::exception_ptr& why);
    void schedule_reconnect(std::size_t node);  // mutex held
    Vacancy try_reserve_locked(const std::vector<std::size_t>& plan, std::size_t from, Slot& slot);
    void notify_room();
    // Runs `f` on the I/O thread and waits for it.
    void run_on_io(std::function<void()> f);

    asio::io_context& io_;
    const ConnectionOptions base_;
    const bool token_aware_;
    const ReconnectPolicy reconnect_;
    TokenRing ring_;
    std::vector<Node> nodes_;
    std::atomic<std::size_t> round_robin_{0};

    mutable std::mutex mutex_;  // guards each Node's connection, failures, last_error; shutting_down_
    std::condition_variable room_;
    std::atomic<int> waiters_{0};
    bool shutting_down_ = false;
};

}  // namespace playstream::cql::driver
