#include "cql/driver/cluster.hpp"

#include <algorithm>
#include <latch>
#include <map>
#include <stdexcept>

#include "cql/driver/errors.hpp"

namespace playstream::cql::driver {

Cluster::Cluster(asio::io_context& io, Options options)
    : options_(std::move(options)),
      pool_(io, options_.base, options_.reconnect),
      control_(io, options_.base, options_.control,
               {[this](Topology t) { apply(t); },
                [this](const Endpoint& e, bool up) { on_status(e, up); }}) {}

Cluster::~Cluster() { shutdown(); }

void Cluster::connect(const std::vector<Endpoint>& contact_points) {
    const auto topology = control_.connect(contact_points);
    const auto& dc = options_.local_datacenter.empty() ? topology.nodes.front().datacenter : options_.local_datacenter;
    policy_.emplace(dc);
    std::map<std::string, int> datacenters;  // sorted, for the message
    for (const auto& n : topology.nodes) ++datacenters[n.datacenter];
    const auto local = datacenters[dc];
    if (local == 0) {
        datacenters.erase(dc);
        std::string seen;
        for (const auto& [name, nodes] : datacenters)
            seen += (seen.empty() ? "'" : ", '") + name + "' (" + std::to_string(nodes) + (nodes == 1 ? " node)" : " nodes)");
        throw std::invalid_argument("no node in datacenter '" + dc + "': the cluster that " +
                                    control_.endpoint().to_string() + " describes has datacenters " + seen);
    }
    std::latch opened(local);
    apply(topology, [&opened] { opened.count_down(); });
    opened.wait();
    if (pool_.down_reasons().size() == static_cast<std::size_t>(local))
        throw NoHostAvailable("no node of datacenter '" + dc + "' could be connected to:", pool_.down_reasons());
    // Events and reads from a local node: the remote one the contact point may be could be far.
    control_.prefer([this](const NodeInfo& n) { return policy_->is_local(n); });
    control_.start();
}

void Cluster::apply(const Topology& topology, const std::function<void()>& opened) {
    std::lock_guard lock(apply_mutex_);
    std::vector<LoadBalancingPolicy::Member> members;
    for (const auto& n : topology.nodes)
        if (policy_->is_local(n)) members.push_back({pool_.add(n.endpoint, opened), n});
    // A read that finds no local node at all is more likely wrong than the cluster empty: keep
    // what we have until a read says otherwise.
    if (members.empty()) return;
    auto gone = policy_->members();
    // New nodes are in the pool before they are in the plans, and old ones leave the plans
    // before the pool closes them: a plan never names a node the pool does not know.
    policy_->update(members, topology.partitioner == murmur3_partitioner);
    for (const auto& old : gone) {
        const bool kept = std::any_of(members.begin(), members.end(), [&](const auto& m) { return m.node == old.node; });
        if (!kept) pool_.remove(old.node);
    }
}

void Cluster::on_status(const Endpoint& endpoint, bool up) {
    const auto node = pool_.find(endpoint);
    if (!node) {
        // A node we do not use: a new one coming up may be ours to add.
        if (up) control_.request_refresh();
        return;
    }
    if (up) return pool_.mark_up(*node);
    pool_.mark_down(*node, "reported down by the cluster");
}

void Cluster::shutdown() {
    control_.shutdown();
    pool_.shutdown();
}

}  // namespace playstream::cql::driver
