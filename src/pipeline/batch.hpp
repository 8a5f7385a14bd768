#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model/enriched_row.hpp"
#include "pipeline/source.hpp"

namespace playstream::pipeline {

// A row's source message, kept (copied) only when a dead-letter topic may need it byte for byte:
// when the store refuses that row for good.
struct OriginalMessage {
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::int64_t timestamp_ms = -1;
    bool has_key = false;
    bool has_payload = false;
    std::string key;
    std::string payload;

    void assign(const SourceMessage& message);
    std::string_view key_view() const { return has_key ? std::string_view(key) : std::string_view(); }
    std::string_view payload_view() const {
        return has_payload ? std::string_view(payload) : std::string_view();
    }
};

// The rows read since the last commit, and for each partition the offset to commit once every
// output acknowledged them: the batch is the unit of acknowledgement, so batches in flight can
// later be several, each carrying its own offsets. Row slots are reused between batches so their
// strings keep their capacity.
class Batch {
public:
    // A slot for the next row; it becomes part of the batch only on commit_slot().
    model::EnrichedRow& slot();
    // Adds the slot's row; with `original`, keeps a copy of its message for the dead-letter topic.
    void commit_slot(const SourceMessage* original = nullptr);

    // Every message read, row or rejected, advances its partition's offset.
    void track(std::int32_t partition, std::int64_t offset);

    std::span<const model::EnrichedRow> rows() const { return {slots_.data(), size_}; }
    // The kept message of row `i`, or null when none was kept.
    const OriginalMessage* original(std::size_t i) const {
        return i < originals_.size() && kept_[i] ? &originals_[i] : nullptr;
    }
    const std::vector<PartitionOffset>& offsets() const { return offsets_; }
    std::size_t size() const { return size_; }
    bool empty() const { return offsets_.empty(); }
    void clear();

private:
    std::vector<model::EnrichedRow> slots_;
    std::vector<OriginalMessage> originals_;  // parallel to slots_ once a copy was asked for
    std::vector<bool> kept_;
    std::size_t size_ = 0;
    std::vector<PartitionOffset> offsets_;  // few partitions: a flat list beats a map
};

}  // namespace playstream::pipeline
