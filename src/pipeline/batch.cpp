#include "pipeline/batch.hpp"

#include <algorithm>

namespace playstream::pipeline {

void OriginalMessage::assign(const SourceMessage& message) {
    partition = message.partition;
    offset = message.offset;
    timestamp_ms = message.timestamp_ms;
    has_key = message.key.data() != nullptr;
    has_payload = message.payload.data() != nullptr;
    key.assign(message.key);  // assign() reuses the capacity of the slot's earlier message
    payload.assign(message.payload);
}

model::EnrichedRow& Batch::slot() {
    if (size_ == slots_.size()) slots_.emplace_back();
    return slots_[size_];
}

void Batch::commit_slot(const SourceMessage* original) {
    if (original != nullptr) {
        if (originals_.size() <= size_) {
            originals_.resize(size_ + 1);
            kept_.resize(size_ + 1, false);
        }
        originals_[size_].assign(*original);
        kept_[size_] = true;
    } else if (size_ < kept_.size()) {
        kept_[size_] = false;
    }
    ++size_;
}

void Batch::track(std::int32_t partition, std::int64_t offset) {
    auto it = std::find_if(offsets_.begin(), offsets_.end(),
                           [partition](const auto& o) { return o.partition == partition; });
    if (it == offsets_.end()) {
        offsets_.push_back({partition, offset + 1});
    } else {
        it->next_offset = std::max(it->next_offset, offset + 1);
    }
}

void Batch::clear() {
    size_ = 0;
    offsets_.clear();
}

}  // namespace playstream::pipeline
