#pragma once

#include <asio/io_context.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "cql/driver/connection.hpp"
#include "cql/driver/reconnect_policy.hpp"
#include "cql/driver/topology.hpp"

namespace playstream::cql::driver {

// The one connection that watches the cluster for a session, as the DataStax drivers' control
// connection and scylla-rust-driver's cluster worker do. It REGISTERs for TOPOLOGY_CHANGE,
// STATUS_CHANGE and SCHEMA_CHANGE, and reads the cluster's nodes (discover_topology) again:
// - shortly after a topology or schema event: events come in bursts (a node joining sends
//   several), so one read follows each burst, `event_delay` after its first event;
// - every `refresh_interval`, in case an event was lost (a node that was never told about the
//   change, or a connection that dropped while it was sent);
// - whenever it moves to another node, since events sent meanwhile were missed.
// When its node goes away it moves to another node of the last topology (then the contact
// points), retrying with the reconnect policy's delays while none answers. Preferred nodes (the
// local datacenter's, once the session knows it: prefer()) are tried first.
//
// Topology reads run on a thread of its own: they block on the connection, which must never
// happen on the I/O thread. Status changes need no read and are told at once, on the I/O thread.
class ControlConnection {
public:
    struct Options {
        std::chrono::milliseconds refresh_interval{60000};
        std::chrono::milliseconds event_delay{1000};
        ReconnectPolicy reconnect;
    };
    struct Handlers {
        std::function<void(Topology)> topology;                  // a fresh read; on the control thread
        std::function<void(const Endpoint&, bool up)> status;    // a STATUS_CHANGE; on the I/O thread
    };

    // `base`: the options of the connection but its endpoint (its keyspace is ignored).
    ControlConnection(asio::io_context& io, ConnectionOptions base, Options options, Handlers handlers);
    ~ControlConnection();
    ControlConnection(const ControlConnection&) = delete;
    ControlConnection& operator=(const ControlConnection&) = delete;

    // Opens on the first contact point that answers and returns the cluster it reads there.
    // Throws AuthenticationError or TlsError at once (every node would refuse the same way),
    // NoHostAvailable when no contact point answers. Then start() follows the cluster.
    Topology connect(const std::vector<Endpoint>& contact_points);
    // From now on the nodes `preferred` holds for come first wherever it moves; if it is on
    // another one now, it moves to the first preferred node of the last topology that answers,
    // or stays where it is when none does. Between connect() and start().
    void prefer(std::function<bool(const NodeInfo&)> preferred);
    void start();
    // Asks for a topology read soon (after event_delay), e.g. for an UP node the session does not know.
    void request_refresh();
    // Stops the thread and closes the connection. Not on the I/O thread.
    void shutdown();

    // The node it is on now.
    Endpoint endpoint() const;

private:
    // Opens a connection to `endpoint`, REGISTERs and reads the topology there; on success it is
    // the control connection from now on.
    Topology open_on(const Endpoint& endpoint);
    // Moves to the first node that answers; false when none did.
    bool move();
    // Whether the node is one to be on; mutex held.
    bool is_preferred(const NodeInfo& node) const { return !preferred_ || preferred_(node); }
    bool refresh();
    void run();
    // Mutex held: the nodes of `topology` are where to move to.
    void remember(const Topology& topology);
    void on_event(response::Event event);

    asio::io_context& io_;
    const ConnectionOptions base_;
    const Options options_;
    const Handlers handlers_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::shared_ptr<Connection> connection_;  // written by connect and the control thread
    std::shared_ptr<Connection> opening_;     // one being opened by open_on, until it is connection_
    Endpoint endpoint_;
    std::vector<Endpoint> contact_points_;
    std::vector<NodeInfo> known_;            // the last topology's nodes: where to move to
    std::function<bool(const NodeInfo&)> preferred_;  // set before start(); empty: none preferred
    std::uint64_t generation_ = 0;           // of connection_: a closed older one is no news
    bool lost_ = false;                      // connection_ closed: move
    bool refresh_wanted_ = false;
    std::chrono::steady_clock::time_point refresh_due_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace playstream::cql::driver
