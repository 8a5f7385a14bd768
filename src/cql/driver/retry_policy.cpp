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

Failure classify(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const ServerError& e) {
        return classify_server(e.code());
    } catch (const ConnectionError& e) {
        return e.request_sent() ? Failure::MaybeApplied : Failure::NotApplied;
    } catch (const TimeoutError&) {
        return Failure::MaybeApplied;
    } catch (const BusyError&) {
        return Failure::NotApplied;
    } catch (...) {
        return Failure::Final;
    }
}

std::optional<std::string> failure_name(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const ServerError& e) {
        std::string name(response::to_string(e.code()));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return name;
    } catch (const TimeoutError&) {
        return "client_timeout";
    } catch (const ConnectionError& e) {
        if (!e.request_sent()) return std::nullopt;
        return "connection";
    } catch (...) {
        return "other";
    }
}

bool is_transient(const std::exception_ptr& error) {
    if (classify(error) != Failure::Final) return true;
    try {
        std::rethrow_exception(error);
    } catch (const NoHostAvailable&) {
        return true;
    } catch (...) {
        return false;
    }
}

std::optional<std::chrono::milliseconds> RetryPolicy::retry_after(Failure failure, bool idempotent,
                                                                  int attempts) const {
    if (attempts >= max_attempts || failure == Failure::Final) return std::nullopt;
    if (failure == Failure::MaybeApplied && !idempotent) return std::nullopt;
    const auto doublings = std::min(attempts - 1, 20);
    return std::min(max_delay, base_delay * (std::int64_t{1} << doublings));
}

}  // namespace playstream::cql::driver
