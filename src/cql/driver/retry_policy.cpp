#include "cql/driver/retry_policy.hpp"

#include <algorithm>
#include <cctype>

#include "cql/driver/errors.hpp"

namespace playstream::cql::driver {
namespace {

Failure classify_server(response::ErrorCode code) {
    using C = response::ErrorCode;
    switch (code) {
    case C::Unavailable:
    case C::Overloaded:
    case C::IsBootstrapping: return Failure::NotApplied;
    case C::WriteTimeout:
    case C::ReadTimeout:
    case C::ServerError: return Failure::MaybeApplied;
    default: return Failure::Final;
    }
}

}  // namespace

// The one place a driver error is told apart; classify, failure_name and is_transient each read
// one part of its verdict (they were three switches over the same exception types).
SortedFailure sort_failure(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const ServerError& e) {
        std::string name(response::to_string(e.code()));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const Failure failure = classify_server(e.code());
        return {failure, std::move(name), failure != Failure::Final};
    } catch (const ConnectionError& e) {
        if (!e.request_sent()) return {Failure::NotApplied, std::nullopt, true};
        return {Failure::MaybeApplied, "connection", true};
    } catch (const TimeoutError&) {
        return {Failure::MaybeApplied, "client_timeout", true};
    } catch (const BusyError&) {  // every connection at its cap: the request never left
        return {Failure::NotApplied, std::nullopt, true};
    } catch (const NoHostAvailable&) {  // no node took part; nodes come back
        return {Failure::Final, std::nullopt, true};
    } catch (...) {
        return {Failure::Final, "other", false};
    }
}

Failure classify(const std::exception_ptr& error) { return sort_failure(error).failure; }

std::optional<std::string> failure_name(const std::exception_ptr& error) { return sort_failure(error).name; }

bool is_transient(const std::exception_ptr& error) { return sort_failure(error).transient; }

std::optional<std::chrono::milliseconds> RetryPolicy::retry_after(Failure failure, bool idempotent,
                                                                  int attempts) const {
    if (attempts >= max_attempts || failure == Failure::Final) return std::nullopt;
    if (failure == Failure::MaybeApplied && !idempotent) return std::nullopt;
    const auto doublings = std::min(attempts - 1, 20);
    return std::min(max_delay, base_delay * (std::int64_t{1} << doublings));
}

}  // namespace playstream::cql::driver
