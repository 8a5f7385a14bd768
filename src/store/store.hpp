#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "model/enriched_row.hpp"
#include "model/table.hpp"
#include "store/store_options.hpp"
#include "store/table_shape.hpp"

namespace playstream::store {

// One partition of listening_history: a user's listens in one hour of one day (UTC).
struct HourKey {
    std::string name;
    std::string date;  // YYYY-MM-DD
    std::int32_t hour = 0;
};

// Where enriched rows go. Writes are idempotent upserts keyed by the primary key
// ((name, date, hour), time, id), so a batch written twice after a crash stores nothing twice.
// A server of the store as its client sees it, for metrics (bounded: one per node of a cluster).
struct NodeState {
    std::string node;  // "host:port"
    bool connected = false;
    std::size_t in_flight = 0;  // requests sent and not yet answered
    std::uint64_t requests = 0;  // requests sent to it as coordinator since the store connected
    // Attempts on it that failed, by error ("write_timeout", "overloaded", "client_timeout"...),
    // since the store connected: each was tried again or reported.
    std::vector<std::pair<std::string, std::uint64_t>> failures{};
};

class Store {
public:
    virtual ~Store() = default;

    // Creates the table (and keyspace) if missing.
    virtual void ensure_schema() = 0;
    // Returns once every row is durably acknowledged; throws playstream::Error otherwise
    // (TransientError for a store that is down or busy: worth retrying).
    virtual void write(std::span<const model::EnrichedRow> rows) = 0;
    // The same write without waiting: `done` is called exactly once, with null once every row is
    // acknowledged or with what write() would have thrown, from any thread (maybe before
    // write_async returns). The rows must stay alive and unchanged until then. Several writes
    // may be in flight at once; each is an upsert, so their order does not matter. The default
    // writes synchronously, on the caller's thread.
    using WriteDone = std::function<void(std::exception_ptr error)>;
    virtual void write_async(std::span<const model::EnrichedRow> rows, WriteDone done) {
        std::exception_ptr error;
        try {
            write(rows);
        } catch (...) {
            error = std::current_exception();
        }
        done(error);
    }

    // The classroom's three queries.
    virtual model::Table sample(std::size_t limit) = 0;  // SELECT * ... LIMIT n
    virtual model::Table songs(const HourKey& key) = 0;  // song names of one user-hour
    virtual model::Table stats(const HourKey& key) = 0;  // average audio features of one user-hour

    virtual std::int64_t count_rows() = 0;
    // listening_history's columns and key as the store has them (table_check.hpp); none: unknown.
    virtual TableShape table_shape() { return {}; }

    // The listening index (store/listen_index.hpp), for `query users|dates|hours` and `serve`.
    // A store without one (a test double) throws playstream::Error.
    // Users whose name starts with `prefix` (not empty; bytes, case-sensitive), in byte order, at
    // most `limit`: column `name`.
    virtual model::Table users(const std::string& prefix, std::size_t limit);
    // The days a user listened on, oldest first: columns `date`, `hours` (hours with listens).
    virtual model::Table dates(const std::string& name);
    // Listens in each hour of a user's day: 24 rows of `hour` (0-23), `listens` (0 when none).
    virtual model::Table hours(const std::string& name, const std::string& date);

    // The store's server nodes now; empty for an embedded store. Reads the client's state only.
    virtual std::vector<NodeState> node_states() const { return {}; }
};

// Opens the store a URI names: `sqlite:PATH` or `cassandra://HOST[:PORT][,HOST...]/KEYSPACE`.
// Throws UsageError for a malformed URI.
std::unique_ptr<Store> open_store(const std::string& uri, const StoreOptions& options = {});

}  // namespace playstream::store
