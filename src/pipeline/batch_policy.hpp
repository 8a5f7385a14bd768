#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace playstream::pipeline {

// When the batch being filled is due for the store (after Redpanda Connect's batch policy:
// add() says whether the batch is due, until_next() when it will be). Natural batching: no
// timer decides by default. While the store is busy with earlier batches, messages accumulate;
// as soon as it has room and the source has nothing more ready, what accumulated is written. Low
// traffic makes small immediate writes, a backlog full ones. Bounds: `count` messages (the
// batch is due when full, room or not: the job then waits for room) and, when set, `period`
// from the batch's first message. `linger` (Kafka's linger.ms) holds a batch that is not full
// that long after its first message even when the store has room, so that fewer, larger writes
// carry the same rows (0: none).
class BatchPolicy {
public:
    using Clock = std::chrono::steady_clock;

    BatchPolicy(std::size_t count, std::chrono::milliseconds period, std::chrono::milliseconds linger = {})
        : count_(count), period_(period), linger_(linger) {}

    // Counts one message in; true when the batch is now full.
    bool add(Clock::time_point now);
    // Time left before the batch may be due by age: with room in the store, until its linger
    // ends (zero without one); without, until its period ends. nullopt when nothing waits, or
    // there is no room and no period.
    std::optional<Clock::duration> until_next(Clock::time_point now, bool store_has_room) const;
    // Whether to write the batch now: full, as old as the period, or holding something as old
    // as the linger while the store has room and the source has nothing ready.
    bool due(Clock::time_point now, bool store_has_room, bool source_drained) const;
    // The batch was handed to the store.
    void reset() { messages_ = 0; }

    std::size_t messages() const { return messages_; }

private:
    std::size_t count_;
    std::chrono::milliseconds period_;  // 0: no upper bound by age
    std::chrono::milliseconds linger_;  // 0: written as soon as the store has room
    std::size_t messages_ = 0;
    Clock::time_point first_{};
};

}  // namespace playstream::pipeline
