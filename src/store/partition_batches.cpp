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

void for_each_partition_batch(std::span<const model::EnrichedRow> rows, std::size_t max_bytes,
                              const PartitionBatchSink& send, std::size_t (*hash)(const model::EnrichedRow&)) {
    // Sorted by the partition's hash, then position: a partition's rows end up together and in
    // order, and the sort compares integers only (comparing the keys themselves, most of them
    // equal, was most of its time). Rows are then cut where the partition changes, so partitions
    // of one hash (rare) are never in one batch, only in smaller ones.
    std::vector<std::pair<std::size_t, std::size_t>> order(rows.size());  // hash, row
    for (std::size_t i = 0; i < rows.size(); ++i) order[i] = {hash(rows[i]), i};
    std::sort(order.begin(), order.end());
    auto same_partition = [&](std::size_t a, std::size_t b) {
        return rows[a].hour == rows[b].hour && rows[a].name == rows[b].name && rows[a].date == rows[b].date;
    };
    std::vector<std::size_t> batch;
    std::vector<std::size_t> bytes_of;
    std::size_t bytes = 0;
    for (const auto& [h, row] : order) {
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
