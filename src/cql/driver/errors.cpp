#include "cql/driver/errors.hpp"

namespace playstream::cql::driver {

DriverError::DriverError(std::string host, const std::string& detail)
    : std::runtime_error("cassandra " + host + ": " + detail), host_(std::move(host)) {}

ServerError::ServerError(std::string host, response::Error error)
    : DriverError(std::move(host), error.describe()), error_(std::move(error)) {}

ConnectionError::ConnectionError(std::string host, const std::string& detail, bool request_sent)
    : DriverError(std::move(host), detail), request_sent_(request_sent) {}

namespace {
std::string join(const std::string& headline, const std::vector<std::string>& errors) {
    auto out = headline;
    for (const auto& e : errors) out += "\n  " + e;
    return out;
}
}  // namespace

NoHostAvailable::NoHostAvailable(const std::string& headline, const std::vector<std::string>& errors)
    : DriverError("cluster", join(headline, errors)) {}

std::string describe(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an unknown error";
    }
}

}  // namespace playstream::cql::driver
