#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
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

// The index entries this process has seen the store acknowledge, so that a batch sends only the
// ones it adds: in a steady stream nearly every user and user-hour of a batch is already there,
// and into Cassandra each entry is a request as costly as a row's (one listen each for a user
// who listens once an hour: three requests an event without this, one with it).
// It learns only from acknowledgements: entries of a batch that failed are sent again with its
// retry. Bounded: at kCapacity entries of a kind it forgets them all and learns again (the
// cost of forgetting is one upsert more per entry, never a missing one). A table recreated under
// a running `stream` is not noticed: a user already seen is not indexed again until the next
// forgetting or restart. Thread-safe: Cassandra acknowledges on the driver's I/O thread.
class WrittenIndex {
public:
    static constexpr std::size_t kCapacity = 65536;  // of each kind; ~6 MB at most

    // One entry per distinct user and user-hour of `rows` that is not known to be stored.
    IndexEntries unwritten(std::span<const model::EnrichedRow> rows) const;
    // The store acknowledged `entries`.
    void remember(const IndexEntries& entries);

private:
    struct Hash {  // looks a string_view up without making a string of it
        using is_transparent = void;
        std::size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
    };
    using Keys = std::unordered_set<std::string, Hash, std::equal_to<>>;

    mutable std::mutex mutex_;
    Keys users_;
    Keys hours_;  // name, date and hour joined by '\0'
};

// The partition of listening_users holding `name`: its first UTF-8 code point ("" for "").
std::string user_bucket(std::string_view name);

// `query hours`'s table from the listens of hours 0-23, the same from every store.
model::Table hours_table(const std::array<std::int64_t, 24>& listens);

}  // namespace playstream::store
