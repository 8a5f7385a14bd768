#include "cql/driver/connection_pool.hpp"

#include <algorithm>
#include <asio/post.hpp>
#include <future>

#include "cql/driver/errors.hpp"

namespace playstream::cql::driver {

ConnectionPool::ConnectionPool(asio::io_context& io, ConnectionOptions base, ReconnectPolicy reconnect)
    : io_(io), base_(std::move(base)), reconnect_(reconnect), queue_timer_(io) {}

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
    // The queue is served once a quarter of the slots is free again, not at every answer: the
    // I/O thread then refills them in one go (one write for many frames).
    const std::size_t low_water = base_.max_in_flight * 3 / 4;
    Connection::Listener listener{
        [this, low_water](std::size_t in_flight) {
            if (in_flight <= low_water) serve_queue();
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
    if (c) serve_queue();  // on the I/O thread, as Connection::open's callback
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
        // Told from a handler posted here: asio holds a handler's posts in its thread's own queue
        // until it returns, so a caller told from f's handler could post its next step ahead of
        // what f posted (a connection's close, on its strand). That left a closed session's
        // pending requests unfailed, and their executions leaked.
        asio::post(io_, [&] { done.set_value(); });
    });
    done.get_future().wait();
}

bool ConnectionPool::shutting_down() const {
    std::lock_guard lock(mutex_);
    return shutting_down_;
}

void ConnectionPool::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (shutting_down_) return;
        shutting_down_ = true;
    }
    std::vector<std::shared_ptr<Connection>> closing;
    run_on_io([this, &closing] {
        queue_timer_.cancel();
        std::lock_guard lock(mutex_);
        for (auto& n : nodes_) {
            n.reconnect_timer->cancel();
            if (n.connection) {
                closing.push_back(n.connection);
                n.connection->close();
            }
        }
    });
    // Each close runs on its connection's strand, which may take more than one hop (behind what
    // the strand already holds): wait until every one has begun, so has failed the connection's
    // pending requests by the end of the next hop. Left pending, their callbacks would never run.
    while (std::ranges::any_of(closing, [](const auto& c) { return !c->is_closed(); })) run_on_io([] {});
    // The queued requests are dropped on the I/O thread (serve_queue leaves them once shutting
    // down): an Execution dropped so reports the session closed.
    run_on_io([this] {
        std::deque<Queued> dropped;
        {
            std::lock_guard lock(mutex_);
            dropped.swap(queue_);
            queued_ = 0;
        }
    });
    std::lock_guard lock(mutex_);
    for (auto& n : nodes_) n.connection.reset();
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

ConnectionPool::Vacancy ConnectionPool::reserve_or_queue(const std::shared_ptr<Waiter>& waiter,
                                                         std::chrono::steady_clock::duration timeout, Slot& slot) {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
        const auto vacancy = try_reserve_locked(waiter->plan(), 0, slot);
        if (vacancy != Vacancy::AllBusy) return vacancy;
    }
    // Later, a full connection's answers (or their timeouts, or its closing) free slots and serve
    // the queue. The I/O thread may have freed them all between the look above and now, seeing
    // nothing queued: one serve posted by whoever fills an empty queue covers that, and sets the
    // timer for the head's deadline.
    queue_.push_back({waiter, std::chrono::steady_clock::now() + timeout});
    queued_ = queue_.size();
    if (queue_.size() == 1) asio::post(io_, [this] { serve_queue(); });
    return Vacancy::Queued;
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

void ConnectionPool::serve_queue() {
    if (queued_.load() == 0) return;
    struct Told {
        std::shared_ptr<Waiter> waiter;
        Vacancy vacancy;
        Slot slot;
    };
    std::vector<Told> told;
    std::optional<std::chrono::steady_clock::time_point> head_deadline;
    {
        std::lock_guard lock(mutex_);
        if (shutting_down_) return;  // shutdown drops what is queued
        const auto now = std::chrono::steady_clock::now();
        while (!queue_.empty()) {
            Slot slot;
            // A waiter past its deadline fails as busy, room or not: it waited its timeout.
            auto vacancy = Vacancy::AllBusy;
            if (now < queue_.front().deadline) {
                vacancy = try_reserve_locked(queue_.front().waiter->plan(), 0, slot);
                if (vacancy == Vacancy::AllBusy) {
                    head_deadline = queue_.front().deadline;
                    break;
                }
            }
            told.push_back({std::move(queue_.front().waiter), vacancy, std::move(slot)});
            queue_.pop_front();
        }
        queued_ = queue_.size();
    }
    // Deadlines come in the queue's order (one timeout for all): one timer, at the head's.
    if (head_deadline && head_deadline != queue_timer_at_) {
        queue_timer_at_ = head_deadline;
        queue_timer_.expires_at(*head_deadline);
        queue_timer_.async_wait([this](const asio::error_code& ec) {
            if (ec) return;
            queue_timer_at_.reset();
            serve_queue();
        });
    }
    // Outside the lock: a waiter sends, or reports, and its callback may call into the pool.
    for (auto& t : told) t.waiter->on_slot(t.vacancy, std::move(t.slot));
}

}  // namespace playstream::cql::driver
