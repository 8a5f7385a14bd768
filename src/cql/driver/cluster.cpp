#include "cql/driver/cluster.hpp"

#include <algorithm>
#include <asio/post.hpp>
#include <future>

#include "cql/driver/errors.hpp"

namespace playstream::cql::driver {
Cluster::Cluster(asio::io_context& io, ConnectionOptions base, std::vector<NodeInfo> nodes, bool token_aware,
                 ReconnectPolicy reconnect)
    : io_(io), base_(std::move(base)), token_aware_(token_aware), reconnect_(reconnect) {
    std::vector<std::pair<std::int64_t, std::size_t>> tokens;
    for (auto& info : nodes) {
        for (const auto t : info.tokens) tokens.emplace_back(t, nodes_.size());
        nodes_.push_back(Node{std::move(info), std::make_unique<asio::steady_timer>(io_), nullptr, 0, {}});
    }
    if (token_aware_) ring_ = TokenRing(std::move(tokens));
}

Cluster::~Cluster() = default;

ConnectionOptions Cluster::options_for(std::size_t node) const {
    auto o = base_;
    o.endpoint = nodes_[node].info.endpoint;
    return o;
}

void Cluster::connect_all() {
    std::vector<std::promise<void>> opened(nodes_.size());
    for (std::size_t i = 0; i < nodes_.size(); ++i) open(i, [&opened, i] { opened[i].set_value(); });
    for (auto& o : opened) o.get_future().wait();
}

std::vector<std::string> Cluster::down_reasons() const {
    std::vector<std::string> reasons;
    std::lock_guard lock(mutex_);
    for (const auto& n : nodes_)
        if (!n.connection)
            reasons.push_back(n.last_error.empty() ? n.info.endpoint.to_string() + " is down" : n.last_error);
    return reasons;
}

// Opens a connection to `node`; on failure schedules the next attempt. `opened` runs either way.
void Cluster::open(std::size_t node, std::function<void()> opened) {
    // A caller waiting for room wakes once a quarter of the slots is free again, not at every
    // answer: it then fills them in one go instead of sleeping and waking for each request.
    const std::size_t low_water = base_.max_in_flight * 3 / 4;
    Connection::Listener listener{
        [this, low_water](std::size_t in_flight) {
            if (in_flight <= low_water) notify_room();
        },
        [this, node](std::exception_ptr why) { on_closed(node, why); },
    };
    Connection::open(io_, options_for(node), std::move(listener),
                     [this, node, opened](std::exception_ptr error, std::shared_ptr<Connection> c) {
                         {
                             std::lock_guard lock(mutex_);
                             if (c && shutting_down_) c->close();
                             if (c && !shutting_down_) {
                                 nodes_[node].connection = c;
                                 nodes_[node].failures = 0;
                             } else if (!shutting_down_) {
                                 ++nodes_[node].failures;
                                 nodes_[node].last_error = describe(error);
                                 schedule_reconnect(node);
                             }
                         }
                         if (c) notify_room();
                         if (opened) opened();
                     });
}

void Cluster::on_closed(std::size_t node, const std::exception_ptr& why) {
    std::lock_guard lock(mutex_);
    auto& n = nodes_[node];
    if (!n.connection || !n.connection->is_closed() || shutting_down_) return;
    n.last_error = describe(why);
    n.connection.reset();
    n.failures = 1;
    schedule_reconnect(node);
}

void Cluster::schedule_reconnect(std::size_t node) {
    auto& timer = *nodes_[node].reconnect_timer;
    timer.expires_after(reconnect_.delay(nodes_[node].failures));
    timer.async_wait([this, node](const asio::error_code& ec) {
        if (!ec) open(node, nullptr);
    });
}

void Cluster::run_on_io(std::function<void()> f) {
    std::promise<void> done;
    asio::post(io_, [&] {
        f();
        done.set_value();
    });
    done.get_future().wait();
}

void Cluster::shutdown() {
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

bool Cluster::is_up(std::size_t i) const {
    std::lock_guard lock(mutex_);
    return nodes_[i].connection != nullptr;
}

std::size_t Cluster::in_flight(std::size_t i) const {
    std::lock_guard lock(mutex_);
    return nodes_[i].connection != nullptr ? nodes_[i].connection->reserved() : 0;
}

std::vector<std::size_t> Cluster::plan(std::optional<std::int64_t> token) {
    std::vector<std::size_t> order;
    if (token && !ring_.empty()) {
        // The replicas first, then every other node: one allocation for the whole plan.
        order = ring_.replicas(*token, nodes_.size());
        order.reserve(nodes_.size());
        // Nodes that own no token yet (joining) still coordinate, last.
        for (std::size_t i = 0; i < nodes_.size(); ++i)
            if (std::find(order.begin(), order.end(), i) == order.end()) order.push_back(i);
        return order;
    }
    const auto start = round_robin_.fetch_add(1);
    order.reserve(nodes_.size());
    for (std::size_t i = 0; i < nodes_.size(); ++i) order.push_back((start + i) % nodes_.size());
    return order;
}

Cluster::Vacancy Cluster::try_reserve(const std::vector<std::size_t>& plan, std::size_t from, Slot& slot) {
    std::lock_guard lock(mutex_);
    return try_reserve_locked(plan, from, slot);
}

Cluster::Vacancy Cluster::try_reserve_locked(const std::vector<std::size_t>& plan, std::size_t from, Slot& slot) {
    auto vacancy = Vacancy::NoneUp;
    for (std::size_t i = 0; i < plan.size(); ++i) {
        const auto node = plan[(from + i) % plan.size()];
        const auto& c = nodes_[node].connection;
        if (!c || c->is_closed()) continue;
        vacancy = Vacancy::AllBusy;
        if (c->try_reserve()) {
            slot = Slot{node, c};
            return Vacancy::Reserved;
        }
    }
    return vacancy;
}

// The look for room happens under the mutex and waiters_ is raised first, so a slot freed at
// any moment either is seen by the look or wakes the wait (notify_room takes the mutex).
Cluster::Vacancy Cluster::reserve(const std::vector<std::size_t>& plan, std::chrono::steady_clock::time_point deadline,
                                  Slot& slot) {
    std::unique_lock lock(mutex_);
    ++waiters_;
    auto vacancy = try_reserve_locked(plan, 0, slot);
    while (vacancy == Vacancy::AllBusy && !shutting_down_) {
        const auto status = room_.wait_until(lock, deadline);
        vacancy = try_reserve_locked(plan, 0, slot);
        if (status == std::cv_status::timeout) break;
    }
    --waiters_;
    return vacancy;
}

std::vector<Cluster::Slot> Cluster::reserve_each() {
    std::vector<Slot> slots;
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const auto& c = nodes_[i].connection;
        if (c && c->try_reserve()) slots.push_back(Slot{i, c});
    }
    return slots;
}

void Cluster::notify_room() {
    if (waiters_.load() == 0) return;
    std::lock_guard lock(mutex_);
    room_.notify_all();
}

}  // namespace playstream::cql::driver
