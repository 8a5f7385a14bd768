#pragma once

// A write's rows cut into batches of one partition each: what CassandraStore sends as one
// UNLOGGED BATCH (see for_each_partition_batch).

#include <cstddef>
#include <functional>
#include <span>

#include "model/enriched_row.hpp"

namespace playstream::store {

// The row's values as a CQL request carries them: each a 4-byte length and its bytes.
std::size_t value_bytes(const model::EnrichedRow& row);

// A hash of the row's partition key (name, date, hour).
std::size_t partition_hash(const model::EnrichedRow& row);

// One batch: indexes into the rows, and each of those rows' value_bytes.
using PartitionBatchSink = std::function<void(std::span<const std::size_t> rows, std::span<const std::size_t> bytes)>;

// Calls `send` once per batch, every row in exactly one. A batch holds rows of one partition, in
// the order they came, at most `max_bytes` of values (a row larger than that goes alone). Rows
// of different partitions never share one: the node applies a single-partition batch as one
// mutation, while a batch of several partitions makes the coordinator spread them to their
// replicas (and Cassandra warns of those past 10 partitions and checks their size).
// `hash` is partition_hash but for tests (partitions of one hash are cut apart, not merged).
void for_each_partition_batch(std::span<const model::EnrichedRow> rows, std::size_t max_bytes,
                              const PartitionBatchSink& send,
                              std::size_t (*hash)(const model::EnrichedRow&) = partition_hash);

}  // namespace playstream::store
