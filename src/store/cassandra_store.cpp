#include "store/cassandra_store.hpp"

#include <algorithm>
#include <cctype>
#include <future>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "events/timestamp.hpp"
#include "store/columns.hpp"
#include "util/error.hpp"
#include "util/escape.hpp"
#include "util/fault_point.hpp"

namespace playstream::store {

std::string_view cassandra_schema_cql();  // schema/cassandra.cql, compiled in

namespace drv = cql::driver;
using cql::to_value;

namespace {

cql::Consistency parse_consistency(const std::string& name) {
    for (std::uint16_t c = 0; c <= cql::max_consistency; ++c) {
        auto level = static_cast<cql::Consistency>(c);
        std::string upper(to_string(level));
        std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
        std::string wanted(name);
        std::transform(wanted.begin(), wanted.end(), wanted.begin(), ::toupper);
        if (upper == wanted) return level;
    }
    throw UsageError(fmt::format("unknown consistency level '{}'", name));
}

// Failures that pass by themselves become TransientError (retried by `stream`); the rest stop it.
[[noreturn]] void rethrow_for_store(const std::exception_ptr& error) {
    using Code = cql::response::ErrorCode;
    try {
        std::rethrow_exception(error);
    } catch (const drv::ServerError& e) {
        switch (e.code()) {
            // Not enough replicas alive, too busy, or no answer in time: worth waiting for.
            // A replica's failure to apply (Write_failure, Read_failure) is not.
            case Code::Unavailable: case Code::Overloaded: case Code::IsBootstrapping:
            case Code::WriteTimeout: case Code::ReadTimeout: case Code::ServerError:
                throw TransientError(e.what());
            default: throw Error(e.what());
        }
    } catch (const drv::AuthenticationError& e) {
        throw Error(e.what());
    } catch (const drv::UnexpectedResult& e) {  // the same node would answer the same again
        throw Error(e.what());
    } catch (const drv::DriverError& e) {  // no host, connection lost, timeout, busy
        throw TransientError(e.what());
    } catch (const Error&) {
        throw;
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
query::Value cell(const drv::Result& result, std::size_t row, std::size_t column) {
    switch (result.columns()[column].type.id) {
        case cql::TypeId::Int: {
            auto v = result.get<std::int32_t>(row, column);
            return v ? query::Value(std::int64_t{*v}) : query::Value();
        }
        case cql::TypeId::Bigint: {
            auto v = result.get<std::int64_t>(row, column);
            return v ? query::Value(*v) : query::Value();
        }
        case cql::TypeId::Timestamp: {
            auto v = result.get<std::int64_t>(row, column);
            return v ? query::Value(events::format_timestamp(*v)) : query::Value();
        }
        case cql::TypeId::Float: {
            auto v = result.get<float>(row, column);
            return v ? query::Value(*v) : query::Value();
        }
        default: {
            auto v = result.get<std::string>(row, column);
            return v ? query::Value(*v) : query::Value();
        }
    }
}

std::vector<cql::Value> key_values(const HourKey& key) {
    return {to_value(key.name), to_value(key.date), to_value(key.hour)};
}

}  // namespace

CassandraStore::CassandraStore(CassandraAddress address, StoreOptions options)
    : address_(std::move(address)),
      options_(std::move(options)),
      write_consistency_(parse_consistency(options_.write_consistency)) {}

drv::Session& CassandraStore::session() {
    if (!session_) {
        drv::SessionOptions o;
        o.contact_points = address_.contact_points;
        o.user = options_.cassandra_user;
        o.password = options_.cassandra_password;
        try {
            session_.emplace(drv::Session::connect(std::move(o)));
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
    if (options_.replication_strategy == "SimpleStrategy") {
        replication = fmt::format("'class': 'SimpleStrategy', 'replication_factor': {}", options_.replication_factor);
    } else if (options_.replication_strategy == "NetworkTopologyStrategy") {
        auto local = run(drv::Statement("SELECT data_center FROM system.local"), {.rows = 1});
        constexpr std::array<std::string_view, 1> asked{"data_center"};
        expect_columns(local, asked);
        const auto datacenter = read_cells(local, [&] { return local.get<std::string>(0, 0); });
        replication = fmt::format("'class': 'NetworkTopologyStrategy', '{}': {}",
                                  datacenter.value_or("datacenter1"), options_.replication_factor);
    } else {
        throw UsageError(fmt::format("unknown replication strategy '{}'", options_.replication_strategy));
    }
    run(drv::Statement(fmt::format("CREATE KEYSPACE IF NOT EXISTS {} WITH replication = {{{}}}",
                                   address_.keyspace, replication)));
    std::string ddl(cassandra_schema_cql());
    ddl = ddl.substr(ddl.find("CREATE TABLE"));
    ddl.replace(ddl.find("spotify."), 8, address_.keyspace + ".");
    run(drv::Statement(ddl));
    prepare_insert();  // now, so the first batch does not wait for it
}

void CassandraStore::prepare_insert() {
    try {
        if (!insert_) insert_ = session().prepare(insert_statement("INSERT INTO", table()));
    } catch (...) {
        rethrow_for_store(std::current_exception());
    }
}

namespace {

// The acknowledgements of one batch: one count for all its rows rather than a future each, and
// one call of `done` when the last arrives. Callbacks run on the driver's I/O thread; each holds
// a reference, so the count lives until the last of them.
class BatchAcks {
public:
    BatchAcks(std::size_t expected, Store::WriteDone done)
        : half_(expected / 2), pending_(expected), done_(std::move(done)) {}

    static drv::Session::Callback callback(const std::shared_ptr<BatchAcks>& acks) {
        return [acks](std::exception_ptr error, drv::Result) { acks->done(error, 1); };
    }
    // Rows that were never sent (the submit loop threw): nothing will acknowledge them.
    void cancel(std::size_t rows, std::exception_ptr why) { done(why, rows); }

private:
    void done(const std::exception_ptr& error, std::size_t rows) {
        std::exception_ptr outcome;
        {
            std::lock_guard lock(mutex_);
            if (error && !first_error_) first_error_ = error;
            const bool was_above_half = pending_ > half_;
            pending_ -= rows;
            // Half the batch stored, the rest not: a crash here leaves a part-written batch.
            if (was_above_half && pending_ <= half_) util::fault_point("store_mid_write");
            if (pending_ != 0) return;
            outcome = first_error_;
        }
        // Every row answered, so none is still in flight when the caller hears of a failure.
        done_(outcome ? store_error(outcome) : nullptr);
    }

    // The driver's failure as the store's: TransientError or Error.
    static std::exception_ptr store_error(const std::exception_ptr& error) {
        try {
            rethrow_for_store(error);
        } catch (...) {
            return std::current_exception();
        }
    }

    std::mutex mutex_;
    const std::size_t half_;
    std::size_t pending_;
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
    try {
        prepare_insert();
    } catch (...) {
        done(std::current_exception());
        return;
    }
    auto acks = std::make_shared<BatchAcks>(rows.size(), std::move(done));
    std::size_t sent = 0;
    try {
        for (; sent < rows.size(); ++sent) {
            session().execute_async(insert_for(rows[sent]), BatchAcks::callback(acks));
        }
    } catch (...) {
        acks->cancel(rows.size() - sent, std::current_exception());
    }
}

drv::Statement CassandraStore::insert_for(const model::EnrichedRow& row) const {
    const model::Song& s = *row.song;
    const model::AudioFeatures& f = s.features;
    drv::Statement insert(insert_, {
        to_value(row.name), to_value(row.date), to_value(row.hour), to_value(row.time_ms),
        to_value(row.id), to_value(s.name), to_value(s.id), to_value(s.artists),
        to_value(s.duration_ms), to_value(s.album_name), to_value(s.album_release_date),
        to_value(f.danceability), to_value(f.energy), to_value(s.key), to_value(f.loudness),
        to_value(f.mode), to_value(f.speechiness), to_value(f.acousticness),
        to_value(f.instrumentalness), to_value(f.liveness), to_value(f.valence), to_value(f.tempo)});
    insert.consistency = write_consistency_;
    insert.idempotent = true;  // an upsert of the same values: safe to retry
    return insert;
}

query::Table CassandraStore::sample(std::size_t limit) {
    query::Table table_out{{row_columns.begin(), row_columns.end()}, {}};
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

query::Table CassandraStore::songs(const HourKey& key) {
    auto result = run(drv::Statement(
        fmt::format("SELECT song FROM {} WHERE name = ? AND date = ? AND hour = ?", table()), key_values(key)));
    constexpr std::array<std::string_view, 1> asked{"song"};
    expect_columns(result, asked);
    query::Table out{{"song"}, {}};
    read_cells(result, [&] {
        for (std::size_t r = 0; r < result.row_count(); ++r) out.rows.push_back({cell(result, r, 0)});
    });
    return out;
}

query::Table CassandraStore::stats(const HourKey& key) {
    // Averaged here, in double and in clustering order, as SQLite's avg() does: both stores
    // print the same digits for the same rows.
    auto result = run(drv::Statement(fmt::format("SELECT {} FROM {} WHERE name = ? AND date = ? AND hour = ?",
                                                 fmt::join(feature_columns, ", "), table()),
                                     key_values(key)));
    query::Table out{{"name", "date", "hour", "listens"}, {}};
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

std::vector<NodeState> CassandraStore::node_states() const {
    std::vector<NodeState> out;
    if (!session_) return out;  // not connected yet: no nodes known
    for (const drv::NodeStatus& n : session_->nodes()) out.push_back({n.endpoint.to_string(), n.up, n.in_flight});
    return out;
}

}  // namespace playstream::store
