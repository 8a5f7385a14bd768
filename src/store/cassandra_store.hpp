#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cql/driver/session.hpp"
#include "store/listen_index.hpp"
#include "store/store.hpp"
#include "store/store_uri.hpp"

namespace playstream::store {

// The production store: listening_history in a Cassandra keyspace, through our CQL driver.
// Writes are prepared, token-aware INSERTs, a partition's rows of a batch in UNLOGGED BATCHes
// (store/partition_batches.hpp), all in flight at once, idempotent (so the driver may retry them);
// write() returns when every row is acknowledged at the write consistency; write_async() calls
// back from the driver's I/O thread when the last row is. A cluster that cannot be reached or
// answers Unavailable/Overloaded/timeouts is a TransientError, which `stream` retries with
// backoff, its offsets held back. Warnings the node sends with its answers are logged.
// How the driver connects for these options: contact points, credentials, TLS, compression.
// Warns (once per call) when hostname verification is off.
cql::driver::SessionOptions session_options(const CassandraAddress& address, const StoreOptions& options);

class CassandraStore final : public Store {
public:
    CassandraStore(CassandraAddress address, StoreOptions options);

    // A batch's rows of one partition hold at most this many bytes of serialized values (about
    // 60 listens). Cassandra sets no size limit on a batch of one partition (its
    // batch_size_warn/fail_thresholds apply to batches of several mutations only); this bounds
    // what one request holds and how long it takes. Against 3 KiB: 1.8 against 2.05 `stream` CPU
    // s per million rows in a drain.
    static constexpr std::size_t max_batch_value_bytes = 16384;

    void ensure_schema() override;
    void write(std::span<const model::EnrichedRow> rows) override;
    void write_async(std::span<const model::EnrichedRow> rows, WriteDone done) override;
    model::Table sample(std::size_t limit) override;
    model::Table songs(const HourKey& key) override;
    model::Table stats(const HourKey& key) override;
    std::int64_t count_rows() override;
    TableShape table_shape() override;  // store/table_shape.cpp
    std::vector<NodeState> node_states() const override;
    model::Table users(const std::string& prefix, std::size_t limit) override;
    model::Table dates(const std::string& name) override;
    model::Table hours(const std::string& name, const std::string& date) override;

private:
    cql::driver::Session& session();  // connects on first use
    // Every internal query is bounded (QueryLimits' defaults unless given).
    cql::driver::Result run(cql::driver::Statement statement, cql::driver::QueryLimits limits = {});
    void prepare_insert();
    // The row's values serialized after those already in `values` (whose room the caller
    // reserved, from store::value_bytes: one allocation a request).
    static void add_values(const model::EnrichedRow& row, cql::BoundValues& values);
    // The index upserts of a batch (store/listen_index.hpp), sent with its rows.
    std::vector<cql::driver::Statement> index_statements(const IndexEntries& entries) const;
    std::string table(std::string_view name = "listening_history") const {
        return address_.keyspace + "." + std::string(name);
    }

    CassandraAddress address_;
    StoreOptions options_;
    cql::Consistency write_consistency_;
    std::optional<cql::driver::Session> session_;
    std::shared_ptr<const cql::driver::PreparedStatement> insert_;
    std::shared_ptr<const cql::driver::PreparedStatement> index_user_, index_hour_, count_hour_;
    // Shared with the acknowledgements in flight, which may outlive a write_async call.
    std::shared_ptr<WrittenIndex> written_ = std::make_shared<WrittenIndex>();
};

}  // namespace playstream::store
