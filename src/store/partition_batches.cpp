#include "store/partition_batches.hpp"

#include <algorithm>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/columns.hpp"

namespace playstream::store {

std::size_t value_bytes(const model::EnrichedRow& row) {
    std::size_t bytes = 0;
    for_each_value(row, [&](const auto&, auto value) {
        if constexpr (std::is_same_v<decltype(value), std::string_view>) {
            bytes += 4 + value.size();
        } else {
            bytes += 4 + sizeof(value);
        }
    });
    return bytes;
}

std::size_t partition_hash(const model::EnrichedRow& row) {
    std::size_t h = std::hash<std::string_view>{}(row.name);
    h ^= std::hash<std::string_view>{}(row.date) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= static_cast<std::size_t>(static_cast<std::uint32_t>(row.hour)) * 0x9e3779b97f4a7c15ULL;
    return h;
}

namespace {

// The groups of the hashes seen, numbered in order of first sight, in an open-addressing table
// kept at most half full. It grows with the partitions a write holds (a few hundred), not with
// its rows: sized by the rows, it took 32 MB per write at --batch-size 1000000.
class GroupTable {
public:
    // The group of `h`: a new one, numbered by the count of groups so far, if `h` was not seen.
    std::size_t group(std::size_t h) {
        if (2 * (groups_ + 1) > slots_.size()) grow();
        Slot& slot = find(slots_, h);
        if (slot.group == 0) slot = {h, ++groups_};
        return slot.group - 1;
    }

private:
    struct Slot {
        std::size_t hash = 0;
        std::size_t group = 0;  // group + 1; 0: empty
    };
    // `h`'s slot in `slots`, or the empty one where it goes.
    static Slot& find(std::vector<Slot>& slots, std::size_t h) {
        const std::size_t mask = slots.size() - 1;
        std::size_t at = h & mask;
        while (slots[at].group != 0 && slots[at].hash != h) at = (at + 1) & mask;
        return slots[at];
    }
    void grow() {
        std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(std::max<std::size_t>(64, 2 * slots_.size())));
        for (const Slot& s : old) {
            if (s.group != 0) find(slots_, s.hash) = s;
        }
    }

    std::vector<Slot> slots_;
    std::size_t groups_ = 0;
};

// Row indexes grouped by `hash`: each group's rows in order, the groups in the order their first
// rows came. Counted into place in two passes, with no comparison sort: sorting (hash, row)
// pairs was 2.6 % of `stream`'s CPU.
std::vector<std::size_t> grouped_by_hash(std::span<const model::EnrichedRow> rows,
                                         std::size_t (*hash)(const model::EnrichedRow&)) {
    GroupTable table;
    std::vector<std::size_t> group_of(rows.size());
    std::vector<std::size_t> group_start;  // each group's row count, then where its rows go
    for (std::size_t i = 0; i < rows.size(); ++i) {
        group_of[i] = table.group(hash(rows[i]));
        if (group_of[i] == group_start.size()) group_start.push_back(0);
        ++group_start[group_of[i]];
    }
    std::size_t at = 0;
    for (std::size_t& start : group_start) at += std::exchange(start, at);
    std::vector<std::size_t> order(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) order[group_start[group_of[i]]++] = i;
    return order;
}

}  // namespace

void for_each_partition_batch(std::span<const model::EnrichedRow> rows, std::size_t max_bytes,
                              const PartitionBatchSink& send, std::size_t (*hash)(const model::EnrichedRow&)) {
    // Grouped by the partition's hash (a partition's rows end up together and in order, and
    // grouping compares integers only: comparing the keys themselves, most of them equal, was
    // most of a sort's time). Rows are then cut where the partition changes, so partitions of
    // one hash (rare) are never in one batch, only in smaller ones.
    const std::vector<std::size_t> order = grouped_by_hash(rows, hash);
    auto same_partition = [&](std::size_t a, std::size_t b) {
        return rows[a].hour == rows[b].hour && rows[a].name == rows[b].name && rows[a].date == rows[b].date;
    };
    std::vector<std::size_t> batch;
    std::vector<std::size_t> bytes_of;
    std::size_t bytes = 0;
    for (const std::size_t row : order) {
        const std::size_t row_bytes = value_bytes(rows[row]);
        if (!batch.empty() && (!same_partition(batch.front(), row) || bytes + row_bytes > max_bytes)) {
            send(batch, bytes_of);
            batch.clear();
            bytes_of.clear();
            bytes = 0;
        }
        batch.push_back(row);
        bytes_of.push_back(row_bytes);
        bytes += row_bytes;
    }
    if (!batch.empty()) send(batch, bytes_of);
}

}  // namespace playstream::store
