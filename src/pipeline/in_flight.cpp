#include "pipeline/in_flight.hpp"

#include <algorithm>
#include <utility>

namespace playstream::pipeline {

InFlight::InFlight(std::size_t max_in_flight) : max_(std::max<std::size_t>(max_in_flight, 1)) {
    for (std::size_t i = 0; i <= max_; ++i) {
        pool_.push_back(std::make_unique<Batch>());
        free_.push_back(pool_.back().get());
    }
    filling_ = free_.back();
    free_.pop_back();
}

Batch& InFlight::seal() {
    Batch* sealed = filling_;
    sealed->sequence = next_sequence_++;
    in_flight_.push_back(sealed);
    filling_ = free_.back();  // max_ + 1 batches: one is free whenever there was room
    free_.pop_back();
    return *sealed;
}

void InFlight::write_started(Batch& batch, Batch::Clock::time_point at) {
    batch.written_at = at;
    ++outstanding_;
}

void InFlight::complete(Batch& batch, std::exception_ptr error) {
    {
        std::lock_guard lock(mutex_);
        completions_.push_back({&batch, std::move(error)});
        any_completion_.store(true, std::memory_order_release);
    }
    arrived_.notify_one();
}

bool InFlight::wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [this] { return !completions_.empty(); });
}

std::vector<InFlight::Completion> InFlight::take_completions() {
    std::vector<Completion> taken;
    if (!any_completion_.load(std::memory_order_acquire)) return taken;
    {
        std::lock_guard lock(mutex_);
        taken.swap(completions_);
        any_completion_.store(false, std::memory_order_relaxed);
    }
    outstanding_ -= taken.size();
    return taken;
}

std::vector<PartitionOffset> InFlight::release_done(std::uint64_t letters_acknowledged) {
    std::vector<PartitionOffset> offsets;
    while (!in_flight_.empty() && in_flight_.front()->stored &&
           in_flight_.front()->last_letter <= letters_acknowledged) {
        Batch* done = in_flight_.front();
        in_flight_.pop_front();
        for (const PartitionOffset& o : done->offsets()) keep_furthest(offsets, o);
        recycle(done);
    }
    return offsets;
}

void InFlight::discard() {
    while (!in_flight_.empty()) {
        recycle(in_flight_.front());
        in_flight_.pop_front();
    }
    filling_->clear();
}

const Batch* InFlight::oldest_unstored() const {
    for (const Batch* b : in_flight_) {
        if (!b->stored) return b;
    }
    return nullptr;
}

std::size_t InFlight::messages() const {
    std::size_t n = 0;
    for (const Batch* b : in_flight_) n += b->messages();
    return n;
}

void InFlight::recycle(Batch* batch) {
    batch->clear();
    free_.push_back(batch);
}

}  // namespace playstream::pipeline
