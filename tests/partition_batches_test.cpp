// store::for_each_partition_batch: a write's rows cut into batches of one partition each (what
// CassandraStore sends as UNLOGGED BATCHes), with the hash it sorts by replaced to force
// collisions.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/partition_batches.hpp"
#include "test_support.hpp"

namespace playstream {
namespace {

struct Cut {
    std::vector<std::vector<std::size_t>> batches;
    std::vector<std::vector<std::size_t>> bytes;
};

Cut cut(const std::vector<model::EnrichedRow>& rows, std::size_t max_bytes,
        std::size_t (*hash)(const model::EnrichedRow&) = store::partition_hash) {
    Cut out;
    store::for_each_partition_batch(rows, max_bytes, [&](std::span<const std::size_t> batch,
                                                         std::span<const std::size_t> bytes) {
        out.batches.emplace_back(batch.begin(), batch.end());
        out.bytes.emplace_back(bytes.begin(), bytes.end());
    }, hash);
    return out;
}

std::string partition(const model::EnrichedRow& r) { return r.name + "/" + r.date + "/" + std::to_string(r.hour); }

// Every row in exactly one batch; each batch of one partition, in the rows' order, its bytes the
// rows' value_bytes.
void expect_well_cut(const std::vector<model::EnrichedRow>& rows, const Cut& c) {
    std::vector<int> seen(rows.size());
    for (std::size_t b = 0; b < c.batches.size(); ++b) {
        const auto& batch = c.batches[b];
        ASSERT_FALSE(batch.empty());
        ASSERT_EQ(c.bytes[b].size(), batch.size());
        for (std::size_t i = 0; i < batch.size(); ++i) {
            ++seen[batch[i]];
            EXPECT_EQ(partition(rows[batch[i]]), partition(rows[batch[0]])) << "batch " << b << " mixes partitions";
            if (i > 0) {
                EXPECT_GT(batch[i], batch[i - 1]) << "batch " << b << " out of order";
            }
            EXPECT_EQ(c.bytes[b][i], store::value_bytes(rows[batch[i]]));
        }
    }
    for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 1) << "row " << i;
}

class PartitionBatches : public ::testing::Test {
protected:
    void add(std::string name, int hour, std::string date = "2024-03-03") {
        rows.push_back({.id = static_cast<std::int64_t>(rows.size()), .name = std::move(name), .date = std::move(date),
                        .hour = hour, .time_ms = 0, .song = &catalog.songs()[0]});
    }
    const catalog::Catalog catalog = testing::small_catalog();
    std::vector<model::EnrichedRow> rows;
};

TEST_F(PartitionBatches, APartitionsRowsGoTogetherAndOthersApart) {
    for (int i = 0; i < 5; ++i) {
        add("Ada", 10);
        add("Bo", 10);
        add("Ada", 11);
        add("Ada", 10, "2024-03-04");
    }
    add("Cy", 3);
    const auto c = cut(rows, 1 << 20);
    expect_well_cut(rows, c);
    EXPECT_EQ(c.batches.size(), 5u);  // four partitions of five rows, and Cy alone
}

// Every row hashed alike: the rows are cut wherever the partition changes, never merged.
TEST_F(PartitionBatches, PartitionsOfOneHashAreCutApart) {
    for (int i = 0; i < 4; ++i) {
        add("Ada", 10);
        add("Ada", 10);
        add("Bo", 10);
    }
    const auto c = cut(rows, 1 << 20, [](const model::EnrichedRow&) { return std::size_t{7}; });
    expect_well_cut(rows, c);
    EXPECT_EQ(c.batches.size(), 8u);  // (Ada Ada) Bo, four times: in the rows' order
}

TEST_F(PartitionBatches, ABatchHoldsAtMostMaxBytesAndALargerRowGoesAlone) {
    for (int i = 0; i < 10; ++i) add("Ada", 10);
    const std::size_t row = store::value_bytes(rows[0]);
    auto c = cut(rows, 3 * row);
    expect_well_cut(rows, c);
    ASSERT_EQ(c.batches.size(), 4u);  // 3, 3, 3, 1
    for (const auto& b : c.batches) EXPECT_LE(b.size(), 3u);
    c = cut(rows, row - 1);
    expect_well_cut(rows, c);
    EXPECT_EQ(c.batches.size(), 10u);
}

// Many partitions, their rows interleaved: the table of partitions grows as they come (past its
// first 64 slots several times) and loses none.
TEST_F(PartitionBatches, ManyPartitionsInterleavedEachGoTogether) {
    for (int round = 0; round < 3; ++round) {
        for (int user = 0; user < 1000; ++user) add("user" + std::to_string(user), 10);
    }
    const auto c = cut(rows, 1 << 20);
    expect_well_cut(rows, c);
    ASSERT_EQ(c.batches.size(), 1000u);
    for (const auto& b : c.batches) EXPECT_EQ(b.size(), 3u);
}

TEST_F(PartitionBatches, NoRowsNoBatches) { EXPECT_TRUE(cut(rows, 1024).batches.empty()); }

}  // namespace
}  // namespace playstream
