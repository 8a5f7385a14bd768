#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kafka/consumer.hpp"
#include "model/enriched_row.hpp"

namespace playstream::pipeline {

// The rows read since the last commit, and for each partition the offset to commit once the
// store has acknowledged them. Row slots are reused between batches so their strings keep
// their capacity.
class Batch {
public:
    // A slot for the next row; it becomes part of the batch only on commit_slot().
    model::EnrichedRow& slot();
    void commit_slot() { ++size_; }

    // Every message read, row or rejected, advances its partition's offset.
    void track(std::int32_t partition, std::int64_t offset);

    std::span<const model::EnrichedRow> rows() const { return {slots_.data(), size_}; }
    const std::vector<kafka::PartitionOffset>& offsets() const { return offsets_; }
    std::size_t size() const { return size_; }
    bool empty() const { return offsets_.empty(); }
    void clear();

private:
    std::vector<model::EnrichedRow> slots_;
    std::size_t size_ = 0;
    std::vector<kafka::PartitionOffset> offsets_;  // few partitions: a flat list beats a map
};

}  // namespace playstream::pipeline
