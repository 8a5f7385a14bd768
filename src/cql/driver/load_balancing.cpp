#include "cql/driver/load_balancing.hpp"

#include <algorithm>

namespace playstream::cql::driver {

void LoadBalancingPolicy::update(std::vector<Member> members, bool token_aware) {
    auto next = std::make_shared<Snapshot>();
    if (token_aware) {
        std::vector<std::pair<std::int64_t, std::size_t>> tokens;
        for (std::size_t i = 0; i < members.size(); ++i)
            for (const auto t : members[i].info.tokens) tokens.emplace_back(t, i);
        next->ring = TokenRing(std::move(tokens));
    }
    next->members = std::move(members);
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
}

std::shared_ptr<const LoadBalancingPolicy::Snapshot> LoadBalancingPolicy::snapshot() const {
    std::lock_guard lock(mutex_);
    return current_;
}

std::vector<LoadBalancingPolicy::Member> LoadBalancingPolicy::members() const { return snapshot()->members; }

NodeList LoadBalancingPolicy::plan(std::optional<std::int64_t> token) {
    const auto s = snapshot();
    const auto n = s->members.size();
    NodeList order;  // indices into s->members first, pool indices at the end
    if (token && !s->ring.empty()) {
        // The replicas first, then every other node.
        order = s->ring.replicas(*token, n);
        // Nodes that own no token yet (joining) still coordinate, last.
        for (std::size_t i = 0; i < n; ++i)
            if (!order.contains(i)) order.push_back(i);
    } else {
        const auto start = round_robin_.fetch_add(1);
        for (std::size_t i = 0; i < n; ++i) order.push_back((start + i) % n);
    }
    for (auto& i : order) i = s->members[i].node;
    return order;
}

}  // namespace playstream::cql::driver
