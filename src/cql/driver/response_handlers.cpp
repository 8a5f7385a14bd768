#include "cql/driver/response_handlers.hpp"

#include <algorithm>

namespace playstream::cql::driver {

std::optional<std::int16_t> ResponseHandlerMap::allocate(Handler& handler, Clock::time_point deadline) {
    const auto id = ids_.acquire();
    if (!id) return std::nullopt;
    const auto index = static_cast<std::size_t>(*id);
    if (index >= entries_.size()) entries_.resize(std::max(index + 1, 2 * entries_.size()));
    auto& entry = entries_[index];
    entry.handler = std::move(handler);
    entry.written = false;
    ++entry.generation;
    trim();
    if (!deadlines_.empty()) deadline = std::max(deadline, deadlines_.back().at);
    deadlines_.push_back({deadline, *id, entry.generation});
    return id;
}

void ResponseHandlerMap::mark_written(std::int16_t id) {
    const auto index = static_cast<std::size_t>(id);
    if (index < entries_.size()) entries_[index].written = true;
}

ResponseHandlerMap::Found ResponseHandlerMap::take(std::int16_t id) {
    const auto index = static_cast<std::size_t>(id);
    if (id >= 0 && index < entries_.size() && entries_[index].handler) {
        Found found{Outcome::Pending, std::move(entries_[index].handler)};
        entries_[index].handler = nullptr;
        ids_.release(id);
        trim();
        return found;
    }
    if (id >= 0 && ids_.is_parked(id)) {
        ids_.release(id);
        return {Outcome::Orphaned, nullptr};
    }
    return {Outcome::Unknown, nullptr};
}

std::vector<ResponseHandlerMap::Handler> ResponseHandlerMap::take_expired(Clock::time_point now) {
    std::vector<Handler> expired;
    while (!deadlines_.empty() && deadlines_.front().at <= now) {
        const auto d = deadlines_.front();
        deadlines_.pop_front();
        if (!is_live(d)) continue;
        auto& entry = entries_[static_cast<std::size_t>(d.id)];
        expired.push_back(std::move(entry.handler));
        entry.handler = nullptr;
        ids_.park(d.id);
    }
    trim();
    return expired;
}

std::optional<ResponseHandlerMap::Clock::time_point> ResponseHandlerMap::next_deadline() {
    trim();
    if (deadlines_.empty()) return std::nullopt;
    return deadlines_.front().at;
}

bool ResponseHandlerMap::is_live(const Deadline& d) const {
    const auto& entry = entries_[static_cast<std::size_t>(d.id)];
    return entry.handler && entry.generation == d.generation;
}

void ResponseHandlerMap::trim() {
    while (!deadlines_.empty() && !is_live(deadlines_.front())) deadlines_.pop_front();
}

}  // namespace playstream::cql::driver
