#include "cql/driver/answer.hpp"

namespace playstream::cql::driver {

std::exception_ptr unexpected_answer(const Response& response, const std::string& host, std::string_view request) {
    if (const auto* error = std::get_if<response::Error>(&response.body))
        return std::make_exception_ptr(ServerError(host, *error));
    return std::make_exception_ptr(ConnectionError(
        host, std::string(message_name(response)) + " in answer to " + std::string(request), true));
}

}  // namespace playstream::cql::driver
