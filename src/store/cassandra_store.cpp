#include "store/cassandra_store.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "events/timestamp.hpp"
#include "store/columns.hpp"
#include "store/listen_index.hpp"
#include "store/partition_batches.hpp"
#include "util/error.hpp"
#include "util/escape.hpp"
#include "util/fault_point.hpp"
#include "util/log.hpp"

namespace playstream::store {

std::string_view cassandra_schema_cql();  // schema/cassandra.cql, compiled in

namespace drv = cql::driver;
using cql::to_value;

namespace {

// Failures that pass by themselves become TransientError (retried by `stream`); the rest stop it.
// Which those are is the driver's call (drv::is_transient), made once for its retries and ours.
[[noreturn]] void rethrow_for_store(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const Error&) {
        throw;
    } catch (const drv::DriverError& e) {
        if (drv::is_transient(error)) throw TransientError(e.what());
        throw Error(e.what());
    } catch (const std::exception& e) {
        throw Error(fmt::format("cassandra: {}", e.what()));
    }
}

// A node's answer is read only after this check: rows with metadata for exactly the columns the
// SELECT asked for, in its order. Anything else (fewer or more columns, No_metadata, another
// kind of result) is an Error naming the node, never a read past the columns it has.
void expect_columns(const drv::Result& result, std::span<const std::string_view> asked) {
    const auto* rows = std::get_if<cql::response::Rows>(&result.body().kind);
    std::string problem;
    if (rows == nullptr) {
        problem = "a result without rows";
    } else if (rows->metadata.columns.size() != rows->column_count()) {
        problem = fmt::format("{} columns without their metadata (No_metadata)", rows->column_count());
    } else if (!std::equal(asked.begin(), asked.end(), result.columns().begin(), result.columns().end(),
                           [](std::string_view want, const auto& got) { return want == got.name; })) {
        std::string names;
        for (const auto& c : result.columns()) names.append(names.empty() ? "" : ", ").append(c.name);
        problem = fmt::format("the columns ({})", escape_for_log(names));
    } else {
        return;
    }
    throw Error(fmt::format("cassandra {}: answered a SELECT of {} columns ({}) with {}", result.coordinator(),
                            asked.size(), fmt::join(asked, ", "), problem));
}

// Runs `read` over a checked result: a cell the node sent in a type or width that does not fit
// its column is an Error naming the node too.
template <class Read>
auto read_cells(const drv::Result& result, Read read) -> decltype(read()) {
    try {
        return read();
    } catch (const std::exception& e) {
        throw Error(fmt::format("cassandra {}: cannot read its answer: {}", result.coordinator(), e.what()));
    }
}

// One cell as a query value, by the column's CQL type.
model::Value cell(const drv::Result& result, std::size_t row, std::size_t column) {
    switch (result.columns()[column].type.id) {
        case cql::TypeId::Int: {
            auto v = result.get<std::int32_t>(row, column);
            return v ? model::Value(std::int64_t{*v}) : model::Value();
        }
        case cql::TypeId::Bigint: {
            auto v = result.get<std::int64_t>(row, column);
            return v ? model::Value(*v) : model::Value();
        }
        case cql::TypeId::Timestamp: {
            auto v = result.get<std::int64_t>(row, column);
            return v ? model::Value(events::format_timestamp(*v)) : model::Value();
        }
        case cql::TypeId::Float: {
            auto v = result.get<float>(row, column);
            return v ? model::Value(*v) : model::Value();
        }
        default: {
            auto v = result.get<std::string>(row, column);
            return v ? model::Value(*v) : model::Value();
        }
    }
}

cql::BoundValues key_values(const HourKey& key) {
    cql::BoundValues values;
    values.add(key.name);
    values.add(key.date);
    values.add(key.hour);
    return values;
}

}  // namespace

CassandraStore::CassandraStore(CassandraAddress address, StoreOptions options)
    : address_(std::move(address)),
      options_(std::move(options)),
      write_consistency_(options_.write_consistency) {}

drv::SessionOptions session_options(const CassandraAddress& address, const StoreOptions& options) {
    drv::SessionOptions o;
    o.contact_points = address.contact_points;
    o.user = options.cassandra_user;
    o.password = options.cassandra_password;
    o.tls = {options.cassandra_tls, options.cassandra_ca, options.cassandra_cert, options.cassandra_key,
             !options.cassandra_tls_no_verify_hostname};
    if (o.tls.enabled && !o.tls.verify_hostname)
        log::warn("cassandra", "TLS hostname verification is off (--cassandra-tls-no-verify-hostname): unsafe, "
                               "any certificate the CA signed is taken for any node");
    o.compression = options.cassandra_compression;
    o.local_datacenter = options.cassandra_local_dc;
    // A drain's write is ~170 requests (a 10,000-row batch cut by partition), and `stream` keeps
    // up to 4 in flight: with the driver's 1,024 per connection they all queued inside the node,
    // and a node on one core of its own took 19.6-29.9 s to store 1,000,000 rows fed so, against
    // 17.7-19.1 s with at most 128 outstanding (bench/write_path.sh's isolated drains, alternated).
    // Past 128 on every connection a request's plan may use, requests wait in the driver's queue
    // and go as answers come (write_async returns at once, so stream reads on): what waits there
    // is stream's batches in flight, the rest of the backlog stays in Kafka, and the nodes' own
    // queues stay short.
    o.max_in_flight_per_connection = 128;
    return o;
}

drv::Session& CassandraStore::session() {
    if (!session_) {
        try {
            session_.emplace(drv::Session::connect(session_options(address_, options_)));
        } catch (...) {
            rethrow_for_store(std::current_exception());
        }
    }
    return *session_;
}

drv::Result CassandraStore::run(drv::Statement statement, drv::QueryLimits limits) {
    try {
        return session().query(std::move(statement), limits);
    } catch (...) {
        rethrow_for_store(std::current_exception());
    }
}

void CassandraStore::ensure_schema() {
    if (options_.replication_factor < 1) throw UsageError("--replication-factor must be at least 1");
    std::string replication;
    if (!options_.replication_per_datacenter.empty()) {
        replication = "'class': 'NetworkTopologyStrategy'";
        for (const auto& [datacenter, factor] : options_.replication_per_datacenter)
            replication += fmt::format(", '{}': {}", datacenter, factor);
    } else if (options_.replication_strategy == ReplicationStrategy::Simple) {
        replication = fmt::format("'class': 'SimpleStrategy', 'replication_factor': {}", options_.replication_factor);
    } else {
        auto local = run(drv::Statement("SELECT data_center FROM system.local"), {.rows = 1});
        constexpr std::array<std::string_view, 1> asked{"data_center"};
        expect_columns(local, asked);
        const auto datacenter = read_cells(local, [&] { return local.get<std::string>(0, 0); });
        replication = fmt::format("'class': 'NetworkTopologyStrategy', '{}': {}",
                                  datacenter.value_or("datacenter1"), options_.replication_factor);
    }
    run(drv::Statement(fmt::format("CREATE KEYSPACE IF NOT EXISTS {} WITH replication = {{{}}}",
                                   address_.keyspace, replication)));
    // schema/cassandra.cql: its CREATE TABLE statements, one request each, in our keyspace.
    std::string ddl(cassandra_schema_cql());
    for (std::size_t at = ddl.find("CREATE TABLE"); at != std::string::npos; at = ddl.find("CREATE TABLE", at)) {
        std::size_t end = ddl.find(';', at);
        std::string statement = ddl.substr(at, end - at);
        statement.replace(statement.find("spotify."), 8, address_.keyspace + ".");
        run(drv::Statement(statement));
        at = end;
    }
    prepare_insert();  // now, so the first batch does not wait for it
}

void CassandraStore::prepare_insert() {
    try {
        if (!insert_) insert_ = session().prepare(insert_statement("INSERT INTO", table()));
        if (!index_user_) index_user_ = session().prepare(
            fmt::format("INSERT INTO {} (bucket, name) VALUES (?, ?)", table("listening_users")));
        if (!index_hour_) index_hour_ = session().prepare(
            fmt::format("INSERT INTO {} (name, date, hour) VALUES (?, ?, ?)", table("listening_hours")));
    } catch (...) {
        rethrow_for_store(std::current_exception());
    }
}

namespace {

// A node's warnings about a write (a batch over batch_size_warn_threshold, tombstones...), as a
// mature driver logs them: the first, then the 10th, 100th... answer that carried one, so a
// warning on every write does not flood the log.
void log_warnings(const drv::Result& result) {
    static std::atomic<std::uint64_t> answers{0};
    const std::uint64_t n = ++answers;
    std::uint64_t power = 1;
    while (power < n) power *= 10;
    if (power != n) return;
    for (const std::string& warning : result.warnings())
        log::warn("cassandra", fmt::format("{} warned about a write: {} ({} such answers so far)", result.coordinator(),
                                           quote_for_log(warning, 300), n));
}

// The acknowledgements of one batch: one count for all its rows rather than a future each, and
// one call of `done` when the last arrives. Callbacks run on the driver's I/O thread. The count
// is also the object's lifetime: each callback holds a plain pointer and the last answer deletes
// it, so a row's callback fits in std::function's own storage (no allocation) and no reference
// count is shared between the submitting thread and the I/O thread (a cache line moved to and fro
// twice a row).
class BatchAcks {
public:
    static BatchAcks* make(std::size_t expected, Store::WriteDone done) {
        return new BatchAcks(expected, std::move(done));
    }
    // The callback of a request that writes `rows` rows (a batch of them, or one).
    drv::Session::Callback callback(std::size_t rows) {
        return [this, rows](std::exception_ptr error, drv::Result result) {
            if (!result.warnings().empty()) log_warnings(result);
            done(error, rows);
        };
    }
    // Rows that were never sent (the submit loop threw): nothing will acknowledge them.
    void cancel(std::size_t rows, std::exception_ptr why) { done(why, rows); }

private:
    BatchAcks(std::size_t expected, Store::WriteDone done)
        : half_(expected / 2), pending_(expected), done_(std::move(done)) {}

    // The count is an atomic, not a count under a mutex: the thread that takes it to zero deletes
    // the object, which must not happen while another thread is still unlocking a member mutex.
    // An error is kept under a mutex of its own before that thread's decrement, so the last
    // thread sees it.
    void done(const std::exception_ptr& error, std::size_t rows) {
        if (error) {
            std::lock_guard lock(error_mutex_);
            if (!first_error_) first_error_ = error;
        }
        // Read before the decrement: after it, another thread's last one may delete this.
        const std::size_t half = half_;
        const std::size_t before = pending_.fetch_sub(rows, std::memory_order_acq_rel);
        const std::size_t left = before - rows;
        // About half the batch stored (an answer may carry a partition's rows), the rest not: a
        // crash here leaves a part-written batch.
        if (before > half && left <= half) util::fault_point("store_mid_write");
        if (left != 0) return;
        // Every row answered, so none is still in flight when the caller hears of a failure, and
        // no callback can reach this object any more.
        std::unique_ptr<BatchAcks> last(this);
        done_(first_error_ ? store_error(first_error_) : nullptr);
    }

    // The driver's failure as the store's: TransientError or Error.
    static std::exception_ptr store_error(const std::exception_ptr& error) {
        try {
            rethrow_for_store(error);
        } catch (...) {
            return std::current_exception();
        }
    }

    const std::size_t half_;
    std::atomic<std::size_t> pending_;
    std::mutex error_mutex_;
    std::exception_ptr first_error_;
    Store::WriteDone done_;
};

}  // namespace

void CassandraStore::write(std::span<const model::EnrichedRow> rows) {
    // Shared with the callback, which may still be returning on the I/O thread when get() does.
    auto written = std::make_shared<std::promise<void>>();
    auto outcome = written->get_future();
    write_async(rows, [written](std::exception_ptr error) {
        if (error) {
            written->set_exception(error);
        } else {
            written->set_value();
        }
    });
    outcome.get();
}

void CassandraStore::write_async(std::span<const model::EnrichedRow> rows, WriteDone done) {
    if (rows.empty()) {
        done(nullptr);
        return;
    }
    std::vector<drv::Statement> index;  // the listening index's upserts, acknowledged with the rows
    try {
        prepare_insert();
        auto entries = std::make_shared<const IndexEntries>(written_->unwritten(rows));
        index = index_statements(*entries);
        if (!index.empty()) {  // learnt once the whole batch is acknowledged
            done = [written = written_, entries, done = std::move(done)](std::exception_ptr error) {
                if (!error) written->remember(*entries);
                done(error);
            };
        }
    } catch (...) {
        done(std::current_exception());
        return;
    }
    const std::size_t total = rows.size() + index.size();
    BatchAcks* acks = BatchAcks::make(total, std::move(done));
    std::size_t sent = 0;
    try {
        const drv::SendBatch one_hop;  // the I/O thread starts the batch's requests together
        // A partition's rows in one request (as the Spark connector groups them by default).
        for_each_partition_batch(rows, max_batch_value_bytes, [&](std::span<const std::size_t> batch,
                                                                 std::span<const std::size_t> bytes) {
            // One row: an EXECUTE, its frame written around the values. More: a BATCH of the
            // rows' values back to back in one buffer.
            drv::Statement insert(insert_, {});
            std::size_t values_bytes = 0;
            for (const std::size_t b : bytes) values_bytes += b;
            insert.values.reserve(values_bytes);
            for (const std::size_t row : batch) {
                add_values(rows[row], insert.values);
                if (batch.size() > 1) insert.end_batch_row();
            }
            insert.consistency = write_consistency_;
            insert.idempotent = true;  // upserts of the same values, under one client timestamp
            session().execute_async(std::move(insert), acks->callback(batch.size()));
            sent += batch.size();
        });
        for (drv::Statement& statement : index) {
            session().execute_async(std::move(statement), acks->callback(1));
            ++sent;
        }
    } catch (...) {
        acks->cancel(total - sent, std::current_exception());
    }
}

void CassandraStore::add_values(const model::EnrichedRow& row, cql::BoundValues& values) {
    for_each_value(row, [&](const auto&, auto value) { values.add(value); });
}

std::vector<drv::Statement> CassandraStore::index_statements(const IndexEntries& entries) const {
    std::vector<drv::Statement> out;
    out.reserve(entries.users.size() + entries.hours.size());
    for (const std::string& name : entries.users) {
        cql::BoundValues values;
        values.add(std::string_view(user_bucket(name)));
        values.add(std::string_view(name));
        out.emplace_back(index_user_, std::move(values));
    }
    for (const HourKey& key : entries.hours) out.emplace_back(index_hour_, key_values(key));
    for (drv::Statement& s : out) {
        s.consistency = write_consistency_;
        s.idempotent = true;  // keys only: the same upsert again changes nothing
    }
    return out;
}

model::Table CassandraStore::sample(std::size_t limit) {
    model::Table table_out{{row_columns.begin(), row_columns.end()}, {}};
    if (limit == 0) return table_out;
    drv::QueryLimits limits{.rows = limit};
    limits.max_rows = std::max(limits.max_rows, limit);
    auto result = run(drv::Statement(fmt::format("SELECT {} FROM {} LIMIT {}", fmt::join(row_columns, ", "),
                                                 table(), limit)), limits);
    expect_columns(result, row_columns);
    read_cells(result, [&] {
        for (std::size_t r = 0; r < result.row_count(); ++r) {
            auto& row = table_out.rows.emplace_back();
            for (std::size_t c = 0; c < row_columns.size(); ++c) row.push_back(cell(result, r, c));
        }
    });
    return table_out;
}

model::Table CassandraStore::songs(const HourKey& key) {
    auto result = run(drv::Statement(
        fmt::format("SELECT song FROM {} WHERE name = ? AND date = ? AND hour = ?", table()), key_values(key)));
    constexpr std::array<std::string_view, 1> asked{"song"};
    expect_columns(result, asked);
    model::Table out{{"song"}, {}};
    read_cells(result, [&] {
        for (std::size_t r = 0; r < result.row_count(); ++r) out.rows.push_back({cell(result, r, 0)});
    });
    return out;
}

model::Table CassandraStore::stats(const HourKey& key) {
    // Averaged here, in double and in clustering order, as SQLite's avg() does: both stores
    // print the same digits for the same rows.
    auto result = run(drv::Statement(fmt::format("SELECT {} FROM {} WHERE name = ? AND date = ? AND hour = ?",
                                                 fmt::join(feature_columns, ", "), table()),
                                     key_values(key)));
    model::Table out{{"name", "date", "hour", "listens"}, {}};
    for (std::string_view f : feature_columns) out.columns.push_back(fmt::format("avg_{}", f));
    expect_columns(result, feature_columns);
    const std::size_t n = result.row_count();
    if (n == 0) return out;
    std::vector<double> sums(feature_columns.size(), 0.0);
    read_cells(result, [&] {
        for (std::size_t r = 0; r < n; ++r) {
            for (std::size_t c = 0; c < sums.size(); ++c) sums[c] += result.get<float>(r, c).value_or(0.0f);
        }
    });
    auto& row = out.rows.emplace_back();
    row = {key.name, key.date, std::int64_t{key.hour}, static_cast<std::int64_t>(n)};
    for (double sum : sums) row.emplace_back(sum / static_cast<double>(n));
    return out;
}

std::int64_t CassandraStore::count_rows() {
    auto result = run(drv::Statement(fmt::format("SELECT count(*) FROM {}", table())), {.rows = 1});
    constexpr std::array<std::string_view, 1> asked{"count"};
    expect_columns(result, asked);
    return read_cells(result, [&] { return result.get<std::int64_t>(0, 0).value_or(0); });
}

model::Table CassandraStore::users(const std::string& prefix, std::size_t limit) {
    // One partition (the prefix's first character), from `prefix` on in byte order: the
    // matches come first, so `limit` rows hold every match there is room for.
    auto result = run(drv::Statement(fmt::format("SELECT name FROM {} WHERE bucket = ? AND name >= ? LIMIT {}",
                                                 table("listening_users"), limit),
                                     {to_value(user_bucket(prefix)), to_value(prefix)}),
                      {.rows = limit});
    constexpr std::array<std::string_view, 1> asked{"name"};
    expect_columns(result, asked);
    model::Table out{{"name"}, {}};
    read_cells(result, [&] {
        for (std::size_t r = 0; r < result.row_count(); ++r) {
            model::Value name = cell(result, r, 0);
            if (std::get<std::string>(name).starts_with(prefix)) out.rows.push_back({std::move(name)});
        }
    });
    return out;
}

model::Table CassandraStore::dates(const std::string& name) {
    auto result = run(drv::Statement(fmt::format("SELECT date FROM {} WHERE name = ?", table("listening_hours")),
                                     {to_value(name)}));
    constexpr std::array<std::string_view, 1> asked{"date"};
    expect_columns(result, asked);
    model::Table out{{"date", "hours"}, {}};
    read_cells(result, [&] {  // clustering order: by date, then hour
        for (std::size_t r = 0; r < result.row_count(); ++r) {
            model::Value date = cell(result, r, 0);
            if (out.rows.empty() || out.rows.back()[0] != date) out.rows.push_back({std::move(date), std::int64_t{0}});
            ++std::get<std::int64_t>(out.rows.back()[1]);
        }
    });
    return out;
}

model::Table CassandraStore::hours(const std::string& name, const std::string& date) {
    // 24 partitions, read at once: a day's chart costs one round trip, not 24.
    try {
        if (!count_hour_) {
            count_hour_ = session().prepare(fmt::format(
                "SELECT count(*) FROM {} WHERE name = ? AND date = ? AND hour = ?", table()));
        }
        std::vector<std::future<drv::Result>> counts;
        for (std::int32_t h = 0; h < 24; ++h) {
            drv::Statement count(count_hour_, key_values({name, date, h}));
            count.idempotent = true;
            counts.push_back(session().execute_async(std::move(count)));
        }
        std::array<std::int64_t, 24> listens{};
        std::exception_ptr first_error;
        for (std::size_t h = 0; h < counts.size(); ++h) {  // every answer waited for before throwing
            try {
                drv::Result result = counts[h].get();
                constexpr std::array<std::string_view, 1> asked{"count"};
                expect_columns(result, asked);
                listens[h] = read_cells(result, [&] { return result.get<std::int64_t>(0, 0).value_or(0); });
            } catch (...) {
                if (!first_error) first_error = std::current_exception();
            }
        }
        if (first_error) std::rethrow_exception(first_error);
        return hours_table(listens);
    } catch (...) {
        rethrow_for_store(std::current_exception());
    }
}

std::vector<NodeState> CassandraStore::node_states() const {
    std::vector<NodeState> out;
    if (!session_) return out;  // not connected yet: no nodes known
    for (const drv::NodeStatus& n : session_->nodes())
        out.push_back({n.endpoint.to_string(), n.up, n.in_flight, n.requests, n.failures});
    return out;
}

}  // namespace playstream::store
