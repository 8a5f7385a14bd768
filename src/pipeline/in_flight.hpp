#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

#include "pipeline/batch.hpp"

namespace playstream::pipeline {

// The batches handed to the outputs and not yet committed, oldest first, and the one being
// filled: a pool of at most `max_in_flight` + 1 Batch objects, so the rows of a batch in flight
// live until the store acknowledged them and nothing is allocated per batch in the steady state.
// Offsets are released in batch order: a batch acknowledged before an older one waits for it, so
// each partition's commits only ever move forward over acknowledged messages.
//
// The store reports each write from its own thread (complete()); the job takes those reports on
// its thread (take_completions()), where every other member is used.
class InFlight {
public:
    struct Completion {
        Batch* batch = nullptr;
        std::exception_ptr error;  // null: every row acknowledged
    };

    explicit InFlight(std::size_t max_in_flight);

    Batch& filling() { return *filling_; }
    // Fewer than max_in_flight batches are in flight: the filling one may be sealed.
    bool has_room() const { return in_flight_.size() < max_; }
    // Moves the filling batch in flight (numbered) and starts an empty one. Requires has_room().
    Batch& seal();

    // A write of `batch` was handed to the store: a completion will come for it.
    void write_started(Batch& batch, Batch::Clock::time_point at);
    // From any thread: the store's answer to the latest write of `batch`.
    void complete(Batch& batch, std::exception_ptr error);
    // Waits up to `timeout` for a completion to arrive; true if one is waiting.
    bool wait(std::chrono::milliseconds timeout);
    std::vector<Completion> take_completions();
    // Writes handed to the store whose completion was not taken yet.
    std::size_t writes_outstanding() const { return outstanding_; }

    // Removes the oldest batches that are stored and whose dead letters up to number
    // `letters_acknowledged` were acknowledged, and returns the offsets to commit for them
    // (per partition, the furthest); empty when the oldest batch is not done.
    std::vector<PartitionOffset> release_done(std::uint64_t letters_acknowledged);
    // Forgets every batch in flight (after a failure, once writes_outstanding() is 0).
    void discard();

    std::size_t size() const { return in_flight_.size(); }
    bool empty() const { return in_flight_.empty(); }
    const Batch* oldest() const { return in_flight_.empty() ? nullptr : in_flight_.front(); }
    // The oldest batch the store has not acknowledged yet, or null.
    const Batch* oldest_unstored() const;
    // Messages in the batches in flight, for log lines.
    std::size_t messages() const;

private:
    void recycle(Batch* batch);

    std::size_t max_;
    std::vector<std::unique_ptr<Batch>> pool_;
    std::vector<Batch*> free_;
    Batch* filling_ = nullptr;
    std::deque<Batch*> in_flight_;
    std::uint64_t next_sequence_ = 1;
    std::size_t outstanding_ = 0;

    std::mutex mutex_;  // guards completions_
    std::condition_variable arrived_;
    std::vector<Completion> completions_;
    // completions_ is not empty: the job asks between two messages, and most times there is
    // nothing, which this tells without the mutex.
    std::atomic<bool> any_completion_{false};
};

}  // namespace playstream::pipeline
