#include "cql/driver/session.hpp"

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <thread>

#include "cql/driver/answer.hpp"
#include "cql/driver/cluster.hpp"
#include "cql/driver/completion.hpp"
#include "cql/driver/execution.hpp"
#include "cql/driver/io_thread.hpp"
#include "cql/driver/transport.hpp"
#include "cql/request/prepare.hpp"
#include "cql/request/query.hpp"

namespace playstream::cql::driver {
namespace {

// Microseconds since the epoch, strictly increasing within the session, so that two writes of
// one cell from this session are ordered as they were issued.
class TimestampGenerator {
public:
    std::int64_t next() {
        const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        auto last = last_.load();
        std::int64_t next;
        do {
            next = std::max<std::int64_t>(now, last + 1);
        } while (!last_.compare_exchange_weak(last, next));
        return next;
    }

private:
    std::atomic<std::int64_t> last_{0};
};

void validate(const SessionOptions& o) {
    if (o.contact_points.empty()) throw std::invalid_argument("no contact point given");
    const std::size_t max_in_flight = StreamIds::capacity - ConnectionOptions{}.max_orphans;
    if (o.max_in_flight_per_connection == 0 || o.max_in_flight_per_connection > max_in_flight)
        throw std::invalid_argument("max_in_flight_per_connection must be in 1.." + std::to_string(max_in_flight));
    if (o.retry.max_attempts < 1) throw std::invalid_argument("retry.max_attempts must be at least 1");
}

// Sends a request to every node that is up and has room; each answer comes with its node.
std::vector<std::pair<std::string, std::future<Response>>> send_to_each(ConnectionPool& pool, const Bytes& frame) {
    std::vector<std::pair<std::string, std::future<Response>>> answers;
    for (const auto& slot : pool.reserve_each()) {
        auto [callback, future] = completion<Response>();
        answers.emplace_back(slot.connection->host(), std::move(future));
        slot.connection->send(frame, std::move(callback));
    }
    SendBatch::flush();  // every caller waits for the answers
    return answers;
}

// Whether every node that is up reports the same schema version right now.
bool schema_agrees(ConnectionPool& pool) {
    request::Query q{"SELECT schema_version FROM system.local WHERE key = 'local'", {}};
    q.params.consistency = Consistency::One;
    std::optional<Uuid> agreed;
    bool agree = true;
    for (auto& [host, answer] : send_to_each(pool, encode_frame(q, 0))) {
        try {
            const auto rows = expect_answer<response::Rows>(answer.get(), host, "a schema version query");
            const auto version = rows.row_count() == 1
                                     ? from_cell<Uuid>(rows.metadata.columns.at(0).type, rows.cell(0, 0))
                                     : std::nullopt;
            if (!version || (agreed && *agreed != *version)) agree = false;
            agreed = version;
        } catch (const std::exception&) {
            agree = false;
        }
    }
    return agree;
}

}  // namespace

struct Session::Impl {
    explicit Impl(SessionOptions o) : options(std::move(o)) {}
    ~Impl() {
        // Fail what is pending while the cluster still exists, then stop the thread that could
        // touch it, then drop it: the io_context (in io) goes last, after its sockets and timers.
        if (cluster) cluster->shutdown();
        io.stop();
        context.reset();
        cluster.reset();
    }

    SessionOptions options;
    IoThread io;
    std::unique_ptr<Cluster> cluster;
    std::unique_ptr<ExecutionContext> context;
    TimestampGenerator timestamps;
};

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Session Session::connect(SessionOptions options) {
    validate(options);
    auto impl = std::make_unique<Impl>(std::move(options));
    const auto& o = impl->options;
    std::vector<Endpoint> contact_points;
    for (const auto& text : o.contact_points) contact_points.push_back(parse_endpoint(text, o.port));
    Cluster::Options cluster{
        {{}, o.user, o.password, o.keyspace, o.connect_timeout, o.request_timeout, o.max_in_flight_per_connection,
         ConnectionOptions{}.max_orphans, o.tls.enabled ? make_tls_context(o.tls) : nullptr, o.tls.verify_hostname,
         o.compression},
        o.local_datacenter,
        o.reconnect,
        {o.topology_refresh_interval, o.topology_event_delay, o.reconnect}};
    impl->cluster = std::make_unique<Cluster>(impl->io.context(), std::move(cluster));
    impl->cluster->connect(contact_points);
    impl->context = std::make_unique<ExecutionContext>(
        ExecutionContext{impl->io.context(), impl->cluster->pool(), o.retry, o.consistency});
    return Session(std::move(impl));
}

void Session::check_not_io_thread(const char* what) const {
    if (impl_->io.is_current())
        throw std::logic_error(std::string(what) +
                               " blocks, and was called on the driver's I/O thread (from a callback)");
}

std::shared_ptr<const PreparedStatement> Session::prepare(const std::string& cql) {
    check_not_io_thread("prepare");
    auto answers = send_to_each(impl_->cluster->pool(), encode_frame(request::Prepare{cql}, 0));
    if (answers.empty()) throw NoHostAvailable("no node is up to prepare on:", impl_->cluster->pool().down_reasons());
    std::shared_ptr<PreparedStatement> prepared;
    std::exception_ptr first_error;
    for (auto& [host, answer] : answers) {
        try {
            auto p = expect_answer<response::Prepared>(answer.get(), host, "PREPARE");
            if (!prepared) prepared = std::make_shared<PreparedStatement>(PreparedStatement{cql, std::move(p)});
        } catch (...) {
            if (!first_error) first_error = std::current_exception();
        }
    }
    // A node that failed (down, schema not there yet) prepares again on its first Unprepared.
    if (!prepared) std::rethrow_exception(first_error);
    return prepared;
}

void Session::execute_async(Statement statement, Callback callback) {
    auto& pool = impl_->cluster->pool();
    auto plan = impl_->cluster->policy().plan(statement.routing_token());
    auto execution = std::make_shared<Execution>(*impl_->context, std::move(statement), impl_->timestamps.next(),
                                                 std::move(plan), std::move(callback));
    // From here the callback owns every outcome (the contract in session.hpp): a caller that
    // counts its callbacks must not also hear of this request through an exception.
    try {
        ConnectionPool::Slot slot;
        const std::shared_ptr<ConnectionPool::Waiter> waiter = execution;
        const auto vacancy = pool.reserve_or_queue(waiter, impl_->options.request_timeout, slot);
        execution->start(vacancy, std::move(slot));
    } catch (...) {
        execution->abandon(std::current_exception());
    }
}

std::future<Result> Session::execute_async(Statement statement) {
    auto [callback, future] = completion<Result>();
    execute_async(std::move(statement), std::move(callback));
    return std::move(future);
}

Result Session::execute(Statement statement) {
    check_not_io_thread("execute");
    auto answer = execute_async(std::move(statement));
    SendBatch::flush();  // inside a batch of this thread's, waiting for it unsent would hang
    auto result = answer.get();
    if (std::holds_alternative<response::SchemaChange>(result.body().kind)) await_schema_agreement();
    return result;
}

// A schema change reaches the other nodes by gossip: until they agree, a statement on the new
// table may go to a node that does not know it. Like the DataStax drivers, wait (10 s at most)
// until every node that is up reports the same schema version, then go on regardless.
void Session::await_schema_agreement() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!schema_agrees(impl_->cluster->pool()) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
}

Result Session::query(Statement statement, QueryLimits limits) {
    check_not_io_thread("query");
    if (limits.rows && *limits.rows > 0 && *limits.rows < static_cast<std::size_t>(statement.page_size))
        statement.page_size = static_cast<std::int32_t>(*limits.rows);
    auto all = execute(statement);
    const auto* first = std::get_if<response::Rows>(&all.body().kind);
    for (;;) {
        if (limits.rows) all.keep_first_rows(*limits.rows);
        if (all.row_count() > limits.max_rows)
            throw UnexpectedResult(all.coordinator(), "the answer has more than " + std::to_string(limits.max_rows) +
                                                          " rows, the most this query accepts");
        if (all.content_bytes() > limits.max_bytes)
            throw UnexpectedResult(all.coordinator(), "the answer has more than " + std::to_string(limits.max_bytes) +
                                                          " bytes of rows, the most this query accepts");
        const auto& state = all.paging_state();
        if (!state) return all;
        statement.paging_state = *state;
        auto next = execute(statement);
        const auto* rows = std::get_if<response::Rows>(&next.body().kind);
        if (!rows || rows->column_count() != first->column_count())
            throw UnexpectedResult(next.coordinator(), "a next page that is not rows of the first page's " +
                                                           std::to_string(first->column_count()) + " columns");
        all.append_page(std::move(next));
    }
}

std::vector<NodeStatus> Session::nodes() const {
    std::vector<NodeStatus> out;
    const auto& pool = impl_->cluster->pool();
    for (const auto& m : impl_->cluster->policy().members())
        out.push_back({m.info.endpoint, m.info.datacenter, pool.is_up(m.node), pool.in_flight(m.node),
                       pool.requests(m.node), pool.failures(m.node)});
    return out;
}

std::string Session::control_node() const { return impl_->cluster->control_endpoint().to_string(); }

std::vector<std::string> Session::query_plan(const Statement& statement) const {
    std::vector<std::string> out;
    for (const auto node : impl_->cluster->policy().plan(statement.routing_token()))
        out.push_back(impl_->cluster->pool().endpoint(node).to_string());
    return out;
}

}  // namespace playstream::cql::driver
