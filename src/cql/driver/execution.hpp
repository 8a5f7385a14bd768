#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cql/driver/connection_pool.hpp"
#include "cql/driver/response_handler.hpp"
#include "cql/driver/result.hpp"
#include "cql/driver/retry_policy.hpp"
#include "cql/driver/statement.hpp"

namespace playstream::cql::driver {

using ResultCallback = std::function<void(std::exception_ptr, Result)>;

// What executions share, owned by the session.
struct ExecutionContext {
    asio::io_context& io;
    ConnectionPool& pool;
    RetryPolicy retry;
    Consistency default_consistency;
};

// One statement from its first attempt to its result. An attempt goes to a node of the plan;
// an Unprepared answer prepares the statement again on that node and resends it (once per
// attempt, not counted as one); any other failure goes to the retry policy, which may send the
// statement to the next node of the plan after a backoff. The callback runs exactly once, on the
// I/O thread; if the session is closed first, with an error saying so.
class Execution final : public std::enable_shared_from_this<Execution>,
                        public ResponseSink,
                        public ConnectionPool::Waiter {
public:
    // Encodes the request: throws (std::length_error...) when the statement cannot be encoded.
    Execution(const ExecutionContext& context, Statement statement, std::int64_t timestamp, NodeList plan,
              ResultCallback done);
    ~Execution();
    Execution(const Execution&) = delete;
    Execution& operator=(const Execution&) = delete;

    // Starts with the outcome of reserving a first slot on its plan (ConnectionPool::
    // reserve_or_queue): when Queued, the pool calls on_slot later, on the I/O thread.
    void start(ConnectionPool::Vacancy vacancy, ConnectionPool::Slot slot);
    const NodeList& plan() const override { return plan_; }
    void on_slot(ConnectionPool::Vacancy vacancy, ConnectionPool::Slot slot) override;
    // Reports `error` through the callback unless it already ran (starting threw: no memory...).
    void abandon(std::exception_ptr error) { finish(std::move(error), {}); }

private:
    Bytes encode();
    void attempt(ConnectionPool::Slot slot);
    void send(ConnectionPool::Slot slot);
    void on_response(std::exception_ptr error, Response response) override;  // of the current attempt
    void reprepare();
    void on_reprepared(std::exception_ptr error, Response response);
    // The attempt under way (slot_) failed: counted against its node (ConnectionPool::
    // count_failure) unless the request never reached it (failure_name), then as fail_attempt.
    void fail_on_node(std::exception_ptr error);
    void fail_attempt(std::exception_ptr error);
    void next_attempt();
    void give_up(ConnectionPool::Vacancy vacancy);
    void finish(std::exception_ptr error, Result result);

    const ExecutionContext& context_;
    Statement statement_;
    const std::int64_t timestamp_;
    Bytes frame_;
    ResultCallback done_;
    const NodeList plan_;
    std::size_t position_ = 0;  // in plan_, of the node of the current attempt
    // The current attempt's slot. Kept here rather than in a response handler: the execution is
    // its own handler (a ResponseSink), so sending allocates nothing. One attempt is in flight at
    // a time (the next starts after this one's answer or timeout).
    ConnectionPool::Slot slot_;
    int attempts_ = 0;
    bool reprepared_ = false;  // during the current attempt
    std::vector<std::string> errors_;
    // Made at the first retry: building and dropping a timer for every request cost two
    // lock-taking calls into asio's timer service, and most requests never retry.
    std::optional<asio::steady_timer> backoff_;
    bool finished_ = false;
};

}  // namespace playstream::cql::driver
