#pragma once

// The CQL driver's public API: a session over a Cassandra cluster.
//
//   auto session = Session::connect({.contact_points = {"10.0.0.5", "10.0.0.6:9142"},
//                                    .user = "cassandra", .password = "cassandra"});
//   auto insert = session.prepare("INSERT INTO ks.t (id, v) VALUES (?, ?)");
//   std::vector<std::future<Result>> acks;
//   for (...) {
//       Statement s(insert, {to_value(id), to_value(v)});
//       s.idempotent = true;                   // a plain INSERT: safe to retry
//       acks.push_back(session.execute_async(std::move(s)));
//   }
//   for (auto& a : acks) a.get();              // throws the first failure
//   auto rows = session.query("SELECT id, v FROM ks.t");  // every page, within QueryLimits
//
// Routing: a prepared statement whose partition key is bound goes to a replica of its token
// (Murmur3Partitioner), primary first; anything else goes round robin. Only the nodes of the local
// datacenter (SessionOptions::local_datacenter, by default the first contact point's) are used.
// Consistency: per statement, LOCAL_QUORUM by default for reads and writes alike, so that a read
// sees every write acknowledged before it. Retries: retry_policy.hpp. Failures are exceptions
// from errors.hpp; each names the node and carries the server's error decoded.
//
// Threads: callbacks run on the driver's I/O thread and must neither block nor call the
// blocking members (execute, query, prepare), which throw std::logic_error there.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cql/driver/endpoint.hpp"
#include "cql/driver/errors.hpp"
#include "cql/driver/reconnect_policy.hpp"
#include "cql/driver/result.hpp"
#include "cql/driver/retry_policy.hpp"
#include "cql/driver/send_batch.hpp"
#include "cql/driver/statement.hpp"
#include "cql/driver/tls_options.hpp"
#include "cql/compression.hpp"

namespace playstream::cql::driver {

struct SessionOptions {
    std::vector<std::string> contact_points{"127.0.0.1"};  // "host" or "host:port"; more than one for failover
    std::uint16_t port = 9042;                             // of contact points without one
    std::string user;                                      // PasswordAuthenticator; empty: none
    std::string password;
    std::string keyspace;          // USE'd on every connection; empty: qualify table names
    std::string local_datacenter;  // empty: the first contact point's
    TlsOptions tls;                // off by default
    Compression compression = Compression::None;  // Lz4: used when the node offers it
    Consistency consistency = Consistency::LocalQuorum;
    std::chrono::milliseconds connect_timeout{5000};
    // Longer than Cassandra's own write (2 s) and read (5 s) timeouts, so that the server's
    // Write_timeout or Read_timeout, which say more, come first. 12 s as in the DataStax drivers.
    std::chrono::milliseconds request_timeout{12000};
    // Past it, requests wait in the session's queue (execute_async); at most 32768 - 256.
    std::size_t max_in_flight_per_connection = 1024;
    RetryPolicy retry;
    ReconnectPolicy reconnect;
    // The nodes are read again this long after a topology or schema event (one read per burst of
    // events), and at least every topology_refresh_interval in case an event was missed.
    std::chrono::milliseconds topology_event_delay{1000};
    std::chrono::milliseconds topology_refresh_interval{60000};
};

// Bounds on what Session::query gathers, so that a node that pages forever, or answers a
// LIMIT with more rows, cannot make the caller hold more than it meant to.
struct QueryLimits {
    // Rows wanted (e.g. the statement's LIMIT): no page is fetched once this many arrived, and
    // rows past it are dropped. Absent: every row, within max_rows.
    std::optional<std::size_t> rows;
    // More rows, or more bytes of rows (as received), is an UnexpectedResult naming the node.
    std::size_t max_rows = 1'000'000;
    std::size_t max_bytes = std::size_t{256} << 20;
};

struct NodeStatus {
    Endpoint endpoint;
    std::string datacenter;
    bool up = false;
    std::size_t in_flight = 0;  // requests sent and not yet answered
    std::uint64_t requests = 0;  // requests sent to it as coordinator since the session began
    // Attempts on it that failed, by failure_name (retry_policy.hpp), since the session began:
    // each was tried again or reported to the caller.
    std::vector<std::pair<std::string, std::uint64_t>> failures{};
};

class Session {
public:
    using Callback = std::function<void(std::exception_ptr, Result)>;

    // Connects to the first contact point that answers, reads the cluster's nodes from it and
    // opens a connection to each node of the local datacenter. From then on a control connection
    // follows the cluster: nodes that join are used, nodes that leave are dropped, nodes reported
    // down are skipped until they answer again (cluster.hpp). Throws AuthenticationError when
    // the credentials are rejected, TlsError when TLS cannot be set up with a contact point,
    // NoHostAvailable when no node can be used, std::invalid_argument for bad options (a TLS
    // file that cannot be read included).
    static Session connect(SessionOptions options);

    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;
    // Closes every connection; requests still pending fail with ConnectionError.
    ~Session();

    // Prepares on every node that is up (so that the first executions find it there).
    std::shared_ptr<const PreparedStatement> prepare(const std::string& cql);

    // Runs one page of a statement. Never blocks: while every connection it could use is at its
    // in-flight cap, the request waits in a queue, in order of arrival (nearly: see
    // ConnectionPool::reserve_or_queue), and is sent as answers free slots; after waiting the
    // request timeout it fails with BusyError. The queue is not bounded: a caller that sends
    // without waiting bounds what it has outstanding (stream: its batches in flight). Throws for a
    // statement that cannot be encoded; every other failure reaches the callback or the future.
    // Inside a SendBatch (send_batch.hpp) the request is sent when the batch ends.
    void execute_async(Statement statement, Callback callback);
    std::future<Result> execute_async(Statement statement);
    // execute_async, waited for. After a schema change (CREATE, ALTER, DROP...) it also waits
    // until the nodes agree on the schema, so the next statement finds the change on any node.
    Result execute(Statement statement);
    // Runs a statement and fetches every page of its rows, within `limits`. Every page must be
    // rows of the first page's column count (UnexpectedResult otherwise).
    Result query(Statement statement, QueryLimits limits = {});

    // The nodes in use (those of the local datacenter), whether each is up, its requests in
    // flight and the requests it was sent.
    std::vector<NodeStatus> nodes() const;
    // The node the control connection is on ("host:port").
    std::string control_node() const;
    // The nodes a statement would go to, in order ("host:port"); its replicas first when it is
    // token-aware.
    std::vector<std::string> query_plan(const Statement& statement) const;

private:
    struct Impl;
    explicit Session(std::unique_ptr<Impl> impl);
    void check_not_io_thread(const char* what) const;
    void await_schema_agreement();

    std::unique_ptr<Impl> impl_;
};

}  // namespace playstream::cql::driver
