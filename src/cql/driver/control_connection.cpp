#include "cql/driver/control_connection.hpp"

#include <algorithm>

#include "cql/driver/answer.hpp"
#include "cql/driver/completion.hpp"
#include "cql/driver/errors.hpp"
#include "cql/request/register.hpp"

namespace playstream::cql::driver {
namespace {

using Clock = std::chrono::steady_clock;

// Where an event's node listens: Cassandra sends its native protocol address and port.
std::optional<Endpoint> endpoint_of(const Inet& inet) {
    const auto host = address_text(inet.address);
    if (!host || inet.port <= 0 || inet.port > 65535) return std::nullopt;
    return Endpoint{*host, static_cast<std::uint16_t>(inet.port)};
}

}  // namespace

ControlConnection::ControlConnection(asio::io_context& io, ConnectionOptions base, Options options, Handlers handlers)
    : io_(io), base_(std::move(base)), options_(options), handlers_(std::move(handlers)) {}

ControlConnection::~ControlConnection() { shutdown(); }

Topology ControlConnection::connect(const std::vector<Endpoint>& contact_points) {
    contact_points_ = contact_points;
    std::vector<std::string> errors;
    for (const auto& contact : contact_points) {
        try {
            return open_on(contact);
        } catch (const AuthenticationError&) {
            throw;  // the next node would reject the same credentials
        } catch (const TlsError&) {
            throw;  // a certificate or TLS setting to fix: every node would meet the same
        } catch (const std::exception& e) {
            errors.push_back(e.what());
        }
    }
    throw NoHostAvailable("no contact point could be connected to:", errors);
}

Topology ControlConnection::open_on(const Endpoint& endpoint) {
    auto options = base_;
    options.endpoint = endpoint;
    options.keyspace.clear();  // it reads system tables only
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(mutex_);
        generation = ++generation_;
    }
    Connection::Listener listener{
        {},
        [this, generation](std::exception_ptr) {
            std::lock_guard lock(mutex_);
            if (generation != generation_) return;
            lost_ = true;
            wake_.notify_all();
        },
        [this](response::Event event) { on_event(std::move(event)); },
    };
    auto [callback, opened] = completion<std::shared_ptr<Connection>>();
    Connection::open(io_, options, std::move(listener), std::move(callback));
    const auto c = opened.get();
    {
        // Held where shutdown() can close it: its REGISTER and reads may wait a request timeout each.
        std::lock_guard lock(mutex_);
        if (stopping_) {
            c->close();
            throw ConnectionError(c->host(), "the session is closing", false);
        }
        opening_ = c;
    }
    try {
        expect_answer<response::Ready>(
            call(*c, request::Register{{"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"}}), c->host(), "REGISTER");
        auto topology = discover_topology(*c, endpoint);
        std::lock_guard lock(mutex_);
        opening_.reset();
        if (stopping_) {
            c->close();
            return topology;
        }
        if (connection_) connection_->close();
        connection_ = c;
        endpoint_ = endpoint;
        lost_ = c->is_closed();
        remember(topology);
        return topology;
    } catch (...) {
        c->close();
        std::lock_guard lock(mutex_);
        opening_.reset();
        throw;
    }
}

void ControlConnection::remember(const Topology& topology) { known_ = topology.nodes; }

void ControlConnection::prefer(std::function<bool(const NodeInfo&)> preferred) {
    std::vector<Endpoint> candidates;
    {
        std::lock_guard lock(mutex_);
        preferred_ = std::move(preferred);
        const auto here = std::find_if(known_.begin(), known_.end(), [&](const auto& n) { return n.endpoint == endpoint_; });
        if (here != known_.end() && is_preferred(*here)) return;
        for (const auto& n : known_)
            if (is_preferred(n)) candidates.push_back(n.endpoint);
    }
    for (const auto& candidate : candidates) {
        try {
            open_on(candidate);  // the session has applied the topology it read: this one says the same
            return;
        } catch (const std::exception&) {
            // The next one; staying on a remote node costs nothing but its distance.
        }
    }
}

void ControlConnection::start() { thread_ = std::thread([this] { run(); }); }

void ControlConnection::request_refresh() {
    std::lock_guard lock(mutex_);
    if (refresh_wanted_) return;  // the read already due covers this event too
    refresh_wanted_ = true;
    refresh_due_ = Clock::now() + options_.event_delay;
    wake_.notify_all();
}

void ControlConnection::on_event(response::Event event) {
    if (const auto* change = std::get_if<response::NodeChange>(&event.change);
        change && event.type == "STATUS_CHANGE") {
        const auto endpoint = endpoint_of(change->node);
        if (endpoint && handlers_.status) handlers_.status(*endpoint, change->change == "UP");
        return;
    }
    // TOPOLOGY_CHANGE (NEW_NODE, REMOVED_NODE, MOVED_NODE) changes the nodes or their tokens:
    // read again. The driver keeps no schema metadata, so a SCHEMA_CHANGE needs nothing of it
    // today; it is registered for, and read again after (one read per burst), so that a schema
    // cache added later has its trigger in place, at the cost of one system-table read per DDL burst.
    request_refresh();
}

Endpoint ControlConnection::endpoint() const {
    std::lock_guard lock(mutex_);
    return endpoint_;
}

void ControlConnection::run() {
    std::unique_lock lock(mutex_);
    auto periodic = Clock::now() + options_.refresh_interval;
    int failed_moves = 0;
    while (!stopping_) {
        const auto now = Clock::now();
        const bool moving = lost_;
        if (!moving && now < periodic && !(refresh_wanted_ && now >= refresh_due_)) {
            wake_.wait_until(lock, refresh_wanted_ ? std::min(periodic, refresh_due_) : periodic);
            continue;
        }
        refresh_wanted_ = false;
        lock.unlock();
        const bool done = moving ? move() : refresh();
        lock.lock();
        periodic = Clock::now() + options_.refresh_interval;
        if (!moving) continue;
        // Nowhere to go: try them all again after the reconnect policy's delay.
        failed_moves = done ? 0 : failed_moves + 1;
        if (!done) wake_.wait_for(lock, options_.reconnect.delay(failed_moves), [this] { return stopping_; });
    }
}

// The nodes of the last topology after the one that went away, then the contact points.
bool ControlConnection::move() {
    std::vector<Endpoint> candidates;
    {
        std::lock_guard lock(mutex_);
        const auto at = std::find_if(known_.begin(), known_.end(), [&](const auto& n) { return n.endpoint == endpoint_; });
        const auto next = at == known_.end() ? known_.begin() : at + 1;
        std::vector<NodeInfo> order(next, known_.end());
        order.insert(order.end(), known_.begin(), next);
        std::stable_partition(order.begin(), order.end(), [this](const auto& n) { return is_preferred(n); });
        for (const auto& n : order) candidates.push_back(n.endpoint);
        for (const auto& c : contact_points_)
            if (std::find(candidates.begin(), candidates.end(), c) == candidates.end()) candidates.push_back(c);
    }
    for (const auto& candidate : candidates) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return false;
        }
        try {
            auto topology = open_on(candidate);
            if (handlers_.topology) handlers_.topology(std::move(topology));
            return true;
        } catch (const std::exception&) {
            // The next one, then the reconnect policy's delay.
        }
    }
    return false;
}

bool ControlConnection::refresh() {
    std::shared_ptr<Connection> c;
    Endpoint endpoint;
    {
        std::lock_guard lock(mutex_);
        c = connection_;
        endpoint = endpoint_;
    }
    try {
        auto topology = discover_topology(*c, endpoint);
        {
            std::lock_guard lock(mutex_);
            remember(topology);
        }
        if (handlers_.topology) handlers_.topology(std::move(topology));
        return true;
    } catch (const std::exception&) {
        // A node that cannot answer a read of its system tables (a timeout, an error) is no node
        // to watch the cluster from: a hung one would keep the connection open, and every event
        // and read lost, for as long as its orphaned requests take to close it. Closing it makes
        // the listener set lost_, and the next turn of run() moves to another node.
        c->close();
        return false;
    }
}

void ControlConnection::shutdown() {
    std::shared_ptr<Connection> c;
    std::shared_ptr<Connection> opening;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
        c = connection_;
        opening = opening_;
        wake_.notify_all();
    }
    // Closing first fails a read in progress (on the current connection or on one being opened
    // by a move), so the thread sees stopping_ soon.
    if (c) c->close();
    if (opening) opening->close();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    if (connection_) connection_->close();
    connection_.reset();
}

}  // namespace playstream::cql::driver
