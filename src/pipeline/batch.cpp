#include "pipeline/batch.hpp"

#include <algorithm>

namespace playstream::pipeline {

model::EnrichedRow& Batch::slot() {
    if (size_ == slots_.size()) {
        slots_.emplace_back();
        origins_.emplace_back();
    }
    return slots_[size_];
}

void Batch::commit_slot(RowOrigin origin) {
    origins_[size_] = origin;
    ++size_;
}

void Batch::track(std::int32_t partition, std::int64_t offset) {
    ++messages_;
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
    messages_ = 0;
    offsets_.clear();
    sequence = 0;
    last_letter = 0;
    stored = false;
}

}  // namespace playstream::pipeline
