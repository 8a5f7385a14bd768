#include "cql/driver/execution.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "cql/driver/errors.hpp"
#include "cql/driver/answer.hpp"
#include "cql/request/batch.hpp"
#include "cql/request/execute.hpp"
#include "cql/request/prepare.hpp"
#include "cql/request/query.hpp"

namespace playstream::cql::driver {
Execution::Execution(const ExecutionContext& context, Statement statement, std::int64_t timestamp, NodeList plan,
                     ResultCallback done)
    : context_(context),
      statement_(std::move(statement)),
      timestamp_(timestamp),
      done_(std::move(done)),
      plan_(std::move(plan)) {
    frame_ = encode();
}

Execution::~Execution() {
    // Never attempted (it waited in the queue): it reached no node.
    if (!finished_)
        finish(std::make_exception_ptr(
                   ConnectionError("session", "closed before the request completed", attempts_ > 0)),
               {});
}

// Once, on the caller's thread: the values go into the frame and are freed here, so the I/O
// thread only ever frees the frame. A new prepared id later is spliced in (with_prepared_id).
Bytes Execution::encode() {
    request::QueryParameters p;
    p.consistency = statement_.consistency.value_or(context_.default_consistency);
    p.values = std::move(statement_.values);
    p.page_size = statement_.page_size;
    p.paging_state = std::move(statement_.paging_state);
    // One client-side timestamp for every attempt, so a retried write is the same write.
    p.default_timestamp = timestamp_;
    if (!statement_.batch_ends.empty()) {
        if (!statement_.prepared) throw std::invalid_argument("a batch of rows needs a prepared statement");
        const std::size_t rows = statement_.batch_ends.size();
        const std::size_t markers = statement_.prepared->prepared.variables.size();
        if (p.values.size() != rows * markers)
            throw std::invalid_argument(std::to_string(p.values.size()) + " values for a batch of " +
                                        std::to_string(rows) + " rows of " + std::to_string(markers) +
                                        " bind markers");
        Bytes frame = request::encode_prepared_batch(request::BatchType::Unlogged, statement_.prepared->prepared.id,
                                                     p.values, statement_.batch_ends, p.consistency, timestamp_);
        // The values (in p) and their ends are freed here, not on the I/O thread.
        std::vector<request::RowEnd>().swap(statement_.batch_ends);
        return frame;
    }
    // A prepared statement's values were serialized with room for the frame around them
    // (Statement): the frame is written in their buffer.
    if (statement_.prepared) return request::encode_execute(statement_.prepared->prepared.id, std::move(p));
    // Sized first, so that the frame is one allocation rather than a vector grown a field at a
    // time (a third of the driver's allocations per row were those regrowths): header, query
    // text, the parameters' fixed fields, the values, the paging state.
    Bytes frame;
    frame.reserve(header_size + 4 + statement_.cql.size() + 32 + p.values.serialized().size() +
                  (p.paging_state ? p.paging_state->size() : 0));
    encode_frame(request::Query{std::move(statement_.cql), std::move(p)}, 0, frame);
    return frame;
}

void Execution::start(ConnectionPool::Vacancy vacancy, ConnectionPool::Slot slot) {
    if (vacancy == ConnectionPool::Vacancy::Queued) return;
    if (vacancy != ConnectionPool::Vacancy::Reserved) return give_up(vacancy);
    attempt(std::move(slot));
}

// On the I/O thread, which nothing above could catch on: a failure to send (no memory) is
// reported through the callback, as execute_async does on the caller's thread.
void Execution::on_slot(ConnectionPool::Vacancy vacancy, ConnectionPool::Slot slot) {
    try {
        start(vacancy, std::move(slot));
    } catch (...) {
        abandon(std::current_exception());
    }
}

void Execution::attempt(ConnectionPool::Slot slot) {
    position_ = static_cast<std::size_t>(std::find(plan_.begin(), plan_.end(), slot.node) - plan_.begin());
    ++attempts_;
    reprepared_ = false;
    send(std::move(slot));
}

// The slot moves into the execution: the connection's reference count is touched once a request
// on the caller's thread and once on the I/O thread. The execution is its own response sink, so
// sending allocates no handler.
void Execution::send(ConnectionPool::Slot slot) {
    slot_ = std::move(slot);
    // In place: the handler keeps this execution, so its frame, until the answer.
    slot_.connection->send_in_place(frame_, ResponseHandler(std::shared_ptr<ResponseSink>(shared_from_this())));
}

void Execution::on_response(std::exception_ptr error, Response response) {
    const auto& host = slot_.connection->host();
    if (!error) {
        if (auto* result = std::get_if<response::Result>(&response.body))
            return finish(nullptr, Result(host, std::move(*result), std::move(response.warnings)));
        const auto* e = std::get_if<response::Error>(&response.body);
        if (e && e->code == response::ErrorCode::Unprepared && statement_.prepared && !reprepared_)
            return reprepare();
        error = unexpected_answer(response, host, "a query");
    }
    fail_on_node(error);
}

// The node lost the statement (restarted, or evicted it from its cache): prepare it there again.
void Execution::reprepare() {
    reprepared_ = true;
    if (!context_.pool.reserve_again(slot_))
        return fail_attempt(
            std::make_exception_ptr(BusyError(slot_.connection->host(), "no free slot to prepare again")));
    slot_.connection->send(request::Prepare{statement_.prepared->cql},
                           [self = shared_from_this()](std::exception_ptr error, Response response) {
                               self->on_reprepared(error, std::move(response));
                           });
}

void Execution::on_reprepared(std::exception_ptr error, Response response) {
    if (error) return fail_on_node(error);
    try {
        const auto prepared =
            expect_answer<response::Prepared>(std::move(response), slot_.connection->host(), "PREPARE");
        if (!std::ranges::equal(prepared.id, request::prepared_id(frame_)))
            frame_ = request::with_prepared_id(frame_, prepared.id);  // an EXECUTE's or a BATCH's
    } catch (...) {
        return fail_on_node(std::current_exception());
    }
    if (!context_.pool.reserve_again(slot_))
        return fail_attempt(std::make_exception_ptr(BusyError(slot_.connection->host(), "no free slot to send again")));
    send(std::move(slot_));
}

void Execution::fail_on_node(std::exception_ptr error) {
    if (const auto name = failure_name(error)) context_.pool.count_failure(slot_.node, *name);
    fail_attempt(std::move(error));
}

void Execution::fail_attempt(std::exception_ptr error) {
    errors_.push_back(describe(error));
    const auto delay = context_.retry.retry_after(classify(error), statement_.idempotent, attempts_);
    // A closing session fails what it has: a retry's timer would never fire (the I/O thread
    // stops), and its callback would run only as the session's last pieces are destroyed.
    if (!delay || context_.pool.shutting_down()) return finish(error, {});
    if (!backoff_) backoff_.emplace(context_.io);
    backoff_->expires_after(*delay);
    backoff_->async_wait([self = shared_from_this()](const asio::error_code& ec) {
        if (!ec) self->next_attempt();
    });
}

void Execution::next_attempt() {
    ConnectionPool::Slot slot;
    const auto vacancy = context_.pool.try_reserve(plan_, position_ + 1, slot);
    if (vacancy == ConnectionPool::Vacancy::Reserved) return attempt(std::move(slot));
    if (vacancy == ConnectionPool::Vacancy::NoneUp) return give_up(vacancy);
    // Every connection is full: that costs an attempt, so a saturated cluster ends the retries.
    ++attempts_;
    fail_attempt(std::make_exception_ptr(BusyError("cluster", "every connection is at its in-flight cap")));
}

void Execution::give_up(ConnectionPool::Vacancy vacancy) {
    if (vacancy == ConnectionPool::Vacancy::AllBusy)
        return finish(
            std::make_exception_ptr(BusyError("cluster", "every connection stayed at its in-flight cap")), {});
    auto reasons = errors_;
    const auto down = context_.pool.down_reasons();
    reasons.insert(reasons.end(), down.begin(), down.end());
    finish(std::make_exception_ptr(NoHostAvailable("no node is up to run the request", reasons)), {});
}

void Execution::finish(std::exception_ptr error, Result result) {
    if (finished_) return;
    finished_ = true;
    auto done = std::move(done_);
    try {
        done(error, std::move(result));
    } catch (const std::exception& e) {
        // Nothing above the I/O thread could catch it: say so rather than lose it.
        std::fprintf(stderr, "playstream cql driver: a completion callback threw: %s\n", e.what());
    }
}

}  // namespace playstream::cql::driver
