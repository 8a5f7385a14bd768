#include "cql/driver/connection_pool.hpp"

#include <algorithm>
#include <asio/post.hpp>
#include <future>

#include "cql/driver/errors.hpp"

namespace playstream::cql::driver {

ConnectionPool::ConnectionPool(asio::io_context& io, ConnectionOptions base, ReconnectPolicy reconnect)
    : io_(io), base_(std::move(base)), reconnect_(reconnect) {}

ConnectionPool::~ConnectionPool() = default;

ConnectionOptions ConnectionPool::options_for(const Endpoint& endpoint) const {
    auto o = base_;
    o.endpoint = endpoint;
    return o;
}

std::size_t ConnectionPool::add(const Endpoint& endpoint, std::function<void()> opened) {
    std::size_t node = 0;
    bool in_use = false;
    {
        std::lock_guard lock(mutex_);
        while (node < nodes_.size() && nodes_[node].endpoint != endpoint) ++node;
        if (node == nodes_.size())
            nodes_.push_back(Node{endpoint, std::make_unique<asio::steady_timer>(io_), nullptr, 0, {}, false, false});
        in_use = !nodes_[node].removed && (nodes_[node].connection || nodes_[node].opening || nodes_[node].failures > 0);
        nodes_[node].removed = false;
        if (!in_use) nodes_[node].failures = 0;
    }
    // Callbacks run outside the lock: they may call back into the pool.
    if (in_use) {
        if (opened) opened();
        return node;
    }
    open(node, std::move(opened));
    return node;
}

void ConnectionPool::remove(std::size_t node) {
    std::shared_ptr<Connection> c;
    {
        std::lock_guard lock(mutex_);
        auto& n = nodes_[node];
        if (n.removed) return;
        n.removed = true;
        c = std::exchange(n.connection, nullptr);
        cancel_reconnect(node);
    }
    if (c) c->close();
}

std::optional<std::size_t> ConnectionPool::find(const Endpoint& endpoint) const {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].endpoint == endpoint && !nodes_[i].removed) return i;
    return std::nullopt;
}

void ConnectionPool::mark_down(std::size_t node, const std::string& why) {
    std::shared_ptr<Connection> c;
    {
        std::lock_guard lock(mutex_);
        auto& n = nodes_[node];
        if (n.removed || !n.connection || shutting_down_) return;
        c = std::exchange(n.connection, nullptr);
        n.last_error = n.endpoint.to_string() + ": " + why;
        n.failures = 1;
        schedule_reconnect(node);
    }
    c->close();
}

void ConnectionPool::mark_up(std::size_t node) {
    std::lock_guard lock(mutex_);
    auto& n = nodes_[node];
    if (n.removed || n.connection || n.opening || shutting_down_) return;
    n.failures = 0;
    reconnect_now(node);
}

void ConnectionPool::open(std::size_t node, std::function<void()> opened) {
    bool start = false;
    {
        std::lock_guard lock(mutex_);
        auto& n = nodes_[node];
        start = !(n.removed || n.connection || n.opening || shutting_down_);
        n.opening = n.opening || start;
    }
    if (!start) {
        if (opened) opened();
        return;
    }
    // A caller waiting for room wakes once a quarter of the slots is free again, not at every
    // answer: it then fills them in one go instead of sleeping and waking for each request.
    const std::size_t low_water = base_.max_in_flight * 3 / 4;
    Connection::Listener listener{
        [this, low_water](std::size_t in_flight) {
            if (in_flight <= low_water) notify_room();
        },
        [this, node](std::exception_ptr why) { on_closed(node, why); },
        {},
    };
    Connection::open(io_, options_for(endpoint(node)), std::move(listener),
                     [this, node, opened](std::exception_ptr error, std::shared_ptr<Connection> c) {
                         on_opened(node, error, c);
                         if (opened) opened();
                     });
}

void ConnectionPool::on_opened(std::size_t node, const std::exception_ptr& error, std::shared_ptr<Connection> c) {
    {
        std::lock_guard lock(mutex_);
        auto& n = nodes_[node];
        n.opening = false;
        if (c && (shutting_down_ || n.removed)) {
            c->close();
            return;
        }
        if (c) {
            n.connection = c;
            n.failures = 0;
        } else if (!shutting_down_ && !n.removed) {
            ++n.failures;
            n.last_error = describe(error);
            schedule_reconnect(node);
        }
    }
    if (c) notify_room();
}

void ConnectionPool::on_closed(std::size_t node, const std::exception_ptr& why) {
    std::lock_guard lock(mutex_);
    auto& n = nodes_[node];
    // Not the current connection (mark_down or remove let it go already): nothing to do.
    if (!n.connection || !n.connection->is_closed() || shutting_down_) return;
    n.last_error = describe(why);
    n.connection.reset();
    n.failures = 1;
    schedule_reconnect(node);
}

void ConnectionPool::schedule_reconnect(std::size_t node) {
    const auto delay = reconnect_.delay(nodes_[node].failures);
    asio::post(io_, [this, node, delay] {
        std::lock_guard lock(mutex_);
        auto& n = nodes_[node];
        if (n.removed || shutting_down_) return;
        n.reconnect_timer->expires_after(delay);
        n.reconnect_timer->async_wait([this, node](const asio::error_code& ec) {
            if (!ec) open(node, nullptr);
        });
    });
}

void ConnectionPool::reconnect_now(std::size_t node) {
    asio::post(io_, [this, node] {
        {
            std::lock_guard lock(mutex_);
            nodes_[node].reconnect_timer->cancel();
        }
        open(node, nullptr);
    });
}

void ConnectionPool::cancel_reconnect(std::size_t node) {
    asio::post(io_, [this, node] {
        std::lock_guard lock(mutex_);
        nodes_[node].reconnect_timer->cancel();
    });
}

void ConnectionPool::run_on_io(std::function<void()> f) {
    std::promise<void> done;
    asio::post(io_, [&] {
        f();
        // Told from a handler posted here, behind what f posted (a connection's close, on its
        // strand). asio holds a handler's posts in its thread's own queue until it returns:
        // told from f's handler, the caller could post its next step ahead of them, and a
        // session closed so left its pending requests unfailed (and their executions leaked).
        asio::post(io_, [&] { done.set_value(); });
    });
    done.get_future().wait();
}

void ConnectionPool::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (shutting_down_) return;
        shutting_down_ = true;
    }
    run_on_io([this] {
        std::lock_guard lock(mutex_);
        for (auto& n : nodes_) {
            n.reconnect_timer->cancel();
            if (n.connection) n.connection->close();
        }
    });
    // The closes were posted to each connection's strand ahead of this: once it runs, every
    // pending request has been failed.
    run_on_io([] {});
    std::lock_guard lock(mutex_);
    for (auto& n : nodes_) n.connection.reset();
    room_.notify_all();
}

std::vector<std::string> ConnectionPool::down_reasons() const {
    std::vector<std::string> reasons;
    std::lock_guard lock(mutex_);
    for (const auto& n : nodes_)
        if (!n.connection && !n.removed)
            reasons.push_back(n.last_error.empty() ? n.endpoint.to_string() + " is down" : n.last_error);
    return reasons;
}

Endpoint ConnectionPool::endpoint(std::size_t node) const {
    std::lock_guard lock(mutex_);
    return nodes_[node].endpoint;
}

bool ConnectionPool::is_up(std::size_t node) const {
    std::lock_guard lock(mutex_);
    return nodes_[node].connection != nullptr;
}

std::size_t ConnectionPool::in_flight(std::size_t node) const {
    std::lock_guard lock(mutex_);
    return nodes_[node].connection != nullptr ? nodes_[node].connection->reserved() : 0;
}

std::uint64_t ConnectionPool::requests(std::size_t node) const {
    std::lock_guard lock(mutex_);
    return nodes_[node].requests;
}

void ConnectionPool::count_failure(std::size_t node, const std::string& name) {
    std::lock_guard lock(mutex_);
    auto& failed = nodes_[node].failed;
    const auto it = std::find_if(failed.begin(), failed.end(), [&](const auto& f) { return f.first == name; });
    if (it != failed.end()) {
        ++it->second;
    } else {
        failed.emplace_back(name, 1);
    }
}

std::vector<std::pair<std::string, std::uint64_t>> ConnectionPool::failures(std::size_t node) const {
    std::lock_guard lock(mutex_);
    return nodes_[node].failed;
}

ConnectionPool::Vacancy ConnectionPool::try_reserve(const NodeList& plan, std::size_t from,
                                                    Slot& slot) {
    std::lock_guard lock(mutex_);
    return try_reserve_locked(plan, from, slot);
}

ConnectionPool::Vacancy ConnectionPool::try_reserve_locked(const NodeList& plan, std::size_t from,
                                                           Slot& slot) {
    auto vacancy = Vacancy::NoneUp;
    for (std::size_t i = 0; i < plan.size(); ++i) {
        const auto node = plan[(from + i) % plan.size()];
        const auto& c = nodes_[node].connection;
        if (!c || c->is_closed()) continue;
        vacancy = Vacancy::AllBusy;
        if (c->try_reserve()) {
            slot = Slot{node, c};
            ++nodes_[node].requests;
            return Vacancy::Reserved;
        }
    }
    return vacancy;
}

// The look for room happens under the mutex. Only a caller that found none raises waiters_, and
// looks again before it waits: a slot freed before waiters_ rose is seen by that second look, one
// freed after it wakes the wait (notify_room takes the mutex). Raising it for every request made
// the I/O thread take the mutex and broadcast at nearly every answer.
ConnectionPool::Vacancy ConnectionPool::reserve(const NodeList& plan,
                                                std::chrono::steady_clock::duration timeout, Slot& slot) {
    std::unique_lock lock(mutex_);
    auto vacancy = try_reserve_locked(plan, 0, slot);
    if (vacancy != Vacancy::AllBusy) return vacancy;
    ++waiters_;
    vacancy = try_reserve_locked(plan, 0, slot);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (vacancy == Vacancy::AllBusy && !shutting_down_) {
        SendBatch::flush();  // the slots it holds are freed only by answers to what it sends
        const auto status = room_.wait_until(lock, deadline);
        vacancy = try_reserve_locked(plan, 0, slot);
        if (status == std::cv_status::timeout) break;
    }
    --waiters_;
    return vacancy;
}

std::vector<ConnectionPool::Slot> ConnectionPool::reserve_each() {
    std::vector<Slot> slots;
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const auto& c = nodes_[i].connection;
        if (c && c->try_reserve()) {
            slots.push_back(Slot{i, c});
            ++nodes_[i].requests;
        }
    }
    return slots;
}

bool ConnectionPool::reserve_again(const Slot& slot) {
    if (!slot.connection->try_reserve()) return false;
    std::lock_guard lock(mutex_);
    ++nodes_[slot.node].requests;
    return true;
}

void ConnectionPool::notify_room() {
    if (waiters_.load() == 0) return;
    std::lock_guard lock(mutex_);
    room_.notify_all();
}

}  // namespace playstream::cql::driver
