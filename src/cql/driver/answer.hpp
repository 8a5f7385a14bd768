#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "cql/driver/errors.hpp"
#include "cql/response.hpp"

// The protocol boundary of the driver: a response becomes the answer a request expected, or an
// error naming the node and the request (as scylla-rust-driver's into_non_error_response turns an
// ERROR into its error, and its callers then refuse the wrong kind of answer).
namespace playstream::cql::driver {

// Why `response` is not the answer `request` ("PREPARE", "a query"...) expected: a ServerError
// for an ERROR answer, else a ConnectionError (the node sent a message that makes no sense here;
// it had the request, so request_sent).
std::exception_ptr unexpected_answer(const Response& response, const std::string& host, std::string_view request);

template <class T, class Variant>
inline constexpr bool is_alternative = false;
template <class T, class... Ts>
inline constexpr bool is_alternative<T, std::variant<Ts...>> = (std::is_same_v<T, Ts> || ...);

// The body of the kind `Body` that `response` holds: a message (response::Supported...) or a kind
// of RESULT (response::Prepared, response::Rows...). Throws unexpected_answer otherwise.
template <class Body>
Body expect_answer(Response&& response, const std::string& host, std::string_view request) {
    if constexpr (is_alternative<Body, decltype(response.body)>) {
        if (auto* body = std::get_if<Body>(&response.body)) return std::move(*body);
    } else {
        if (auto* result = std::get_if<response::Result>(&response.body))
            if (auto* body = std::get_if<Body>(&result->kind)) return std::move(*body);
    }
    std::rethrow_exception(unexpected_answer(response, host, request));
}

}  // namespace playstream::cql::driver
