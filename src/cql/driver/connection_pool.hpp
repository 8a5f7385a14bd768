#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cql/driver/connection.hpp"
#include "cql/driver/node_list.hpp"
#include "cql/driver/reconnect_policy.hpp"

namespace playstream::cql::driver {

// One connection to each node requests may go to, by node index. A node whose connection drops,
// or that the cluster reports down, is down until a reconnection (ReconnectPolicy) succeeds;
// reserving skips it meanwhile. A node that left the cluster is removed: closed, never retried.
//
// Indices are never reused (a removed node keeps its entry, and comes back to it if it rejoins):
// a query plan made before a change still names the right nodes, and the entries are as many as
// the distinct nodes ever seen, which is small. Thread-safe.
class ConnectionPool {
public:
    struct Slot {
        std::size_t node = 0;
        std::shared_ptr<Connection> connection;  // with one request slot reserved
    };
    // Queued: the request waits in the pool's queue (reserve_or_queue), and its Waiter is told later.
    enum class Vacancy { Reserved, AllBusy, NoneUp, Queued };
    // A request waiting in the pool's queue for a slot on a node of its plan (an Execution).
    class Waiter {
    public:
        virtual const NodeList& plan() const = 0;  // the same for as long as it waits
        // Once, on the I/O thread, and must not throw: Reserved with the slot, NoneUp when no
        // node of the plan is up any more, AllBusy when it has waited its timeout. A waiter still
        // queued at shutdown is dropped untold (an Execution then reports the session closed).
        virtual void on_slot(Vacancy vacancy, Slot slot) = 0;

    protected:
        ~Waiter() = default;
    };

    // `base`: the options of every connection but the endpoint, which is each node's.
    ConnectionPool(asio::io_context& io, ConnectionOptions base, ReconnectPolicy reconnect);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // The index of the node at `endpoint`; a new (or removed) one is added and a connection to it
    // opened. `opened` runs once that first attempt has succeeded or failed (at once for a node
    // already in use); failures keep being retried in the background.
    std::size_t add(const Endpoint& endpoint, std::function<void()> opened = {});
    // The node left the cluster: its connection closes (requests on it fail with ConnectionError,
    // for the retry policy) and it is not reconnected.
    void remove(std::size_t node);
    // The node in use at `endpoint`, if any.
    std::optional<std::size_t> find(const Endpoint& endpoint) const;
    // The cluster says the node is down: it is skipped from now on and its connection closed, and
    // the reconnect policy tries it again, as after a dropped connection.
    void mark_down(std::size_t node, const std::string& why);
    // The cluster says the node is up: try it now rather than at the policy's next time.
    void mark_up(std::size_t node);

    // Why each node in use that is down is down.
    std::vector<std::string> down_reasons() const;
    // Closes every connection, stops reconnecting and waits for the I/O thread to have failed
    // every pending request. Not on the I/O thread.
    void shutdown();
    bool shutting_down() const;

    Endpoint endpoint(std::size_t node) const;
    bool is_up(std::size_t node) const;
    // Requests on the node's connection now (its reserved slots); 0 while it is down.
    std::size_t in_flight(std::size_t node) const;
    // Requests sent to the node as coordinator since the pool began, across its reconnections:
    // every slot reserved on it, each of which carries one request.
    std::uint64_t requests(std::size_t node) const;
    // An attempt on the node failed so (failure_name): counted per node and name, since the pool
    // began, so that an operator sees which node times out or refuses, and how often.
    void count_failure(std::size_t node, const std::string& name);
    // Those counts, by name, in the order the names first came.
    std::vector<std::pair<std::string, std::uint64_t>> failures(std::size_t node) const;

    // Reserves a slot on the first node of plan[from...] (wrapping around) that is up and has
    // room. Never blocks.
    Vacancy try_reserve(const NodeList& plan, std::size_t from, Slot& slot);
    // As try_reserve on the waiter's plan from its start, but not ahead of requests already
    // queued: when every up node of the plan is at its in-flight cap, or others are queued, the
    // waiter joins the queue and this returns Queued. Never blocks, so a caller's thread keeps
    // working (stream keeps reading) while the nodes are busy; the caller bounds what it queues
    // (stream: its batches in flight). The queue is served on the I/O thread in order of arrival
    // as answers free slots (once a quarter of a connection's slots are free, so that it refills
    // them in one go); a waiter still queued `timeout` after it came is told AllBusy. (A request
    // that comes while the head is being started may go first; retries do not queue.)
    Vacancy reserve_or_queue(const std::shared_ptr<Waiter>& waiter, std::chrono::steady_clock::duration timeout,
                             Slot& slot);
    // A slot on every up node that has room, e.g. to prepare a statement everywhere.
    std::vector<Slot> reserve_each();
    // One more slot on `slot`'s connection, for a follow-up request to the same node (a statement
    // prepared again there, then sent again); false when it has none free.
    bool reserve_again(const Slot& slot);

private:
    struct Node {
        Endpoint endpoint;
        std::unique_ptr<asio::steady_timer> reconnect_timer;  // touched on the I/O thread only
        std::shared_ptr<Connection> connection;                // null while down
        int failures = 0;                                      // failed connection attempts in a row
        std::string last_error;                                // why it is down
        bool opening = false;                                  // an attempt is under way
        bool removed = false;
        std::uint64_t requests = 0;                            // slots ever reserved on it
        std::vector<std::pair<std::string, std::uint64_t>> failed{};  // attempts failed, by name
    };

    ConnectionOptions options_for(const Endpoint& endpoint) const;
    // Opens a connection to `node` unless one is open or opening; `opened` runs either way.
    void open(std::size_t node, std::function<void()> opened);
    void on_opened(std::size_t node, const std::exception_ptr& error, std::shared_ptr<Connection> c);
    void on_closed(std::size_t node, const std::exception_ptr& why);
    // Mutex held. Timers are only ever touched on the I/O thread, so these post there.
    void schedule_reconnect(std::size_t node);
    void reconnect_now(std::size_t node);
    void cancel_reconnect(std::size_t node);
    Vacancy try_reserve_locked(const NodeList& plan, std::size_t from, Slot& slot);
    // On the I/O thread: tells the queued waiters, oldest first, that now have a slot, have no
    // node up or have waited too long; stops at the first that must wait on, and sets the timer
    // for its deadline.
    void serve_queue();
    // Runs `f` on the I/O thread and waits for it.
    void run_on_io(std::function<void()> f);

    asio::io_context& io_;
    const ConnectionOptions base_;
    const ReconnectPolicy reconnect_;

    mutable std::mutex mutex_;  // guards nodes_ (the deque and every entry) and shutting_down_
    std::deque<Node> nodes_;    // a deque: entries stay where they are as nodes are added
    bool shutting_down_ = false;
    struct Queued {
        std::shared_ptr<Waiter> waiter;
        std::chrono::steady_clock::time_point deadline;
    };
    std::deque<Queued> queue_;             // guarded by mutex_
    std::atomic<std::size_t> queued_{0};  // queue_.size(), read without the mutex at every answer
    asio::steady_timer queue_timer_;      // at the head's deadline; I/O thread only
    std::optional<std::chrono::steady_clock::time_point> queue_timer_at_;  // I/O thread only
};

}  // namespace playstream::cql::driver
