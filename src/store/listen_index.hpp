#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/enriched_row.hpp"
#include "store/store.hpp"

namespace playstream::store {

// The index of who listened when, written with each batch so that finding a user by name prefix
// and the hours of a day never scans listening_history (a full scan on Cassandra):
//   listening_users (bucket, name): every user, partitioned by the first character of the name;
//   listening_hours (name, date, hour): every user-hour that has listens.
// Both are upserts of keys only: writing a batch twice (after a crash) changes nothing.
struct IndexEntries {
    std::vector<std::string> users;  // distinct names of the batch
    std::vector<HourKey> hours;      // distinct user-hours of the batch
};

// What a batch adds to the index: one entry per distinct user and user-hour (a batch of 10,000
// listens has a few dozen). Every store's write, synchronous or not, writes these with the rows.
IndexEntries index_entries(std::span<const model::EnrichedRow> rows);

// The partition of listening_users holding `name`: its first UTF-8 code point ("" for "").
std::string user_bucket(std::string_view name);

// `query hours`'s table from the listens of hours 0-23, the same from every store.
model::Table hours_table(const std::array<std::int64_t, 24>& listens);

}  // namespace playstream::store
