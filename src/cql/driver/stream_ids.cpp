#include "cql/driver/stream_ids.hpp"

#include <bit>
#include <stdexcept>
#include <string>

namespace playstream::cql::driver {
namespace {

std::size_t index_of(std::int16_t id) {
    if (id < 0) throw std::out_of_range("stream id " + std::to_string(id) + " is negative");
    return static_cast<std::size_t>(id);
}

std::uint64_t bit(std::size_t index) { return std::uint64_t{1} << (index % 64); }

}  // namespace

StreamIds::StreamIds() { free_.fill(~std::uint64_t{0}); }

std::optional<std::int16_t> StreamIds::acquire() {
    for (std::size_t i = 0; i < words; ++i) {
        const auto w = (hint_ + i) % words;
        if (free_[w] == 0) continue;
        const auto b = static_cast<std::size_t>(std::countr_zero(free_[w]));
        free_[w] &= ~(std::uint64_t{1} << b);
        hint_ = w;
        ++taken_;
        return static_cast<std::int16_t>(w * 64 + b);
    }
    return std::nullopt;
}

bool StreamIds::release(std::int16_t id) {
    const auto i = index_of(id);
    if (free_[i / 64] & bit(i)) return false;
    free_[i / 64] |= bit(i);
    --taken_;
    if (parked_[i / 64] & bit(i)) {
        parked_[i / 64] &= ~bit(i);
        --parked_count_;
    }
    return true;
}

void StreamIds::park(std::int16_t id) {
    const auto i = index_of(id);
    if (free_[i / 64] & bit(i)) throw std::logic_error("parking stream id " + std::to_string(id) + ", which is free");
    if (parked_[i / 64] & bit(i)) return;
    parked_[i / 64] |= bit(i);
    ++parked_count_;
}

bool StreamIds::is_parked(std::int16_t id) const {
    const auto i = index_of(id);
    return (parked_[i / 64] & bit(i)) != 0;
}

}  // namespace playstream::cql::driver
