#pragma once

#include <chrono>
#include <exception>
#include <optional>
#include <string>

// When a failed attempt is tried again.
//
// Each failure is sorted by whether the node can have applied the request:
//  - NotApplied: it cannot. The coordinator refused before doing anything (Unavailable: too few
//    replicas alive; Overloaded; Is_bootstrapping), or the request never left this process (the
//    connection was lost before it was written, every connection was at its in-flight cap).
//    Retried for every statement, idempotent or not.
//  - MaybeApplied: it may have been, in part or in full (Write_timeout, Read_timeout,
//    Server_error, no answer within the client-side timeout, the connection lost after the
//    request was written). Retried only for a statement the caller marked idempotent: running
//    it twice must change nothing (a plain INSERT or UPDATE that sets values; not a counter
//    update, an append to a list, or a lightweight transaction). A non-idempotent statement
//    fails with the error instead, since a write may have happened.
//  - Final: retrying cannot help (Syntax_error, Invalid, Unauthorized, Already_exists,
//    Read_failure, Write_failure, Function_failure, Truncate_error, Config_error, a protocol
//    error, bad credentials...). Never retried.
// Unprepared is not a failure here: the session prepares the statement again on that node and
// sends it again, which does not count as an attempt.
//
// A retry goes to the next node of the query plan (the next replica for a token-aware statement),
// after an exponential backoff: base_delay, 2 x base_delay, ... capped at max_delay, so a
// struggling cluster is not hammered. At most max_attempts attempts in all.
namespace playstream::cql::driver {

enum class Failure { NotApplied, MaybeApplied, Final };

// What a failed attempt's error says, told apart in one place; the three functions below each
// return one part of it.
struct SortedFailure {
    Failure failure;
    std::optional<std::string> name;
    bool transient;
};
SortedFailure sort_failure(const std::exception_ptr& error);

// Sorts an error the driver raised (errors.hpp) as above; anything else is Final.
Failure classify(const std::exception_ptr& error);

// A short name for what an attempt met on the node it was sent to, for counters per node: the
// node's error code as the spec names it, lower-cased ("write_timeout", "overloaded",
// "unavailable"...), "client_timeout" (no answer within the request timeout), "connection" (lost
// after the request was written, the node leaving the cluster included) or "other". Nothing for a
// request that never left this process (no stream id, the connection already closed, every
// connection at its cap) or that no node was there for (NoHostAvailable): no node had a part in that.
std::optional<std::string> failure_name(const std::exception_ptr& error);

// Whether a failure may pass by itself, so that trying the request again later makes sense once
// the driver's own retries gave up: NotApplied and MaybeApplied failures, and NoHostAvailable
// (nodes come back). The one place that decides it, for the driver's callers too.
bool is_transient(const std::exception_ptr& error);

struct RetryPolicy {
    int max_attempts = 3;
    std::chrono::milliseconds base_delay{50};
    std::chrono::milliseconds max_delay{2000};

    // After `attempts` attempts (>= 1), the last of which failed so: how long to wait before the
    // next one, or std::nullopt to give up and report the failure.
    std::optional<std::chrono::milliseconds> retry_after(Failure failure, bool idempotent, int attempts) const;
};

}  // namespace playstream::cql::driver
