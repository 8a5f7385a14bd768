#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <span>
#include <vector>

#include "model/enriched_row.hpp"
#include "pipeline/source.hpp"

namespace playstream::pipeline {

// Where a row's message sits in the source: enough to read it again (Source::reread) in the
// rare case the store refuses the row for good and its original bytes go to the dead-letter
// topic. No copy of the message is kept.
struct RowOrigin {
    std::int32_t partition = 0;
    std::int64_t offset = 0;
};

// The messages read between two store writes, and for each partition the offset to commit once
// every output acknowledged them: the batch is the unit of acknowledgement. Several can be in
// flight at once, each with its own offsets. Row slots are reused between batches so their
// strings keep their capacity.
class Batch {
public:
    using Clock = std::chrono::steady_clock;

    // A slot for the next row; it becomes part of the batch only on commit_slot().
    model::EnrichedRow& slot();
    void commit_slot(RowOrigin origin);

    // Every message read, row or rejected, advances its partition's offset.
    void track(std::int32_t partition, std::int64_t offset);

    std::span<const model::EnrichedRow> rows() const { return {slots_.data(), size_}; }
    RowOrigin origin(std::size_t row) const { return origins_[row]; }
    const std::vector<PartitionOffset>& offsets() const { return offsets_; }
    std::size_t messages() const { return messages_; }
    bool empty() const { return messages_ == 0; }
    void clear();

    // While in flight (see InFlight):
    std::uint64_t sequence = 0;      // 1, 2, ... in the order batches were sealed
    std::uint64_t last_letter = 0;   // the dead-letter number of its last reject (0: none)
    bool stored = false;             // the store acknowledged every row (or it had none)
    Clock::time_point written_at{};  // the latest write (or retry) began

private:
    std::vector<model::EnrichedRow> slots_;
    std::vector<RowOrigin> origins_;  // parallel to slots_
    std::size_t size_ = 0;
    std::size_t messages_ = 0;
    std::vector<PartitionOffset> offsets_;  // few partitions: a flat list beats a map
};

}  // namespace playstream::pipeline
