#include "pipeline/batch_policy.hpp"

#include <algorithm>

#include "util/fault_point.hpp"

namespace playstream::pipeline {

bool BatchPolicy::add(Clock::time_point now) {
    if (messages_++ == 0) first_ = now;
    return messages_ >= count_;
}

std::optional<BatchPolicy::Clock::duration> BatchPolicy::until_next(Clock::time_point now,
                                                                    bool store_has_room) const {
    if (messages_ == 0) return std::nullopt;
    std::chrono::milliseconds age;
    if (store_has_room) {
        age = period_.count() != 0 ? std::min(linger_, period_) : linger_;
    } else if (period_.count() != 0) {
        age = period_;
    } else {
        return std::nullopt;
    }
    const auto left = first_ + age - now;
    return left > Clock::duration::zero() ? left : Clock::duration::zero();
}

bool BatchPolicy::due(Clock::time_point now, bool store_has_room, bool source_drained) const {
    if (messages_ == 0) return false;
    if (messages_ >= count_) return true;
    if (period_.count() != 0 && now >= first_ + period_) return true;
    return store_has_room && source_drained && now >= first_ + linger_ && !util::fault_holds_batches();
}

}  // namespace playstream::pipeline
