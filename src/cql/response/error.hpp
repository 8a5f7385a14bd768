#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cql/decoder.hpp"

namespace playstream::cql::response {

// Error codes of spec section 9.
enum class ErrorCode : std::int32_t {
    ServerError = 0x0000,
    ProtocolError = 0x000A,
    BadCredentials = 0x0100,
    Unavailable = 0x1000,
    Overloaded = 0x1001,
    IsBootstrapping = 0x1002,
    TruncateError = 0x1003,
    WriteTimeout = 0x1100,
    ReadTimeout = 0x1200,
    ReadFailure = 0x1300,
    FunctionFailure = 0x1400,
    WriteFailure = 0x1500,
    SyntaxError = 0x2000,
    Unauthorized = 0x2100,
    Invalid = 0x2200,
    ConfigError = 0x2300,
    AlreadyExists = 0x2400,
    Unprepared = 0x2500,
};

// "Write_timeout", as the spec names it; "Unknown" for a code it does not list.
std::string_view to_string(ErrorCode code);

// ERROR (spec 4.2.1): the server refused or failed a request. A code the spec does not list is
// kept with its message, not refused, so a newer server's error still reaches the user.
struct Error {
    struct Unavailable {
        Consistency consistency{};
        std::int32_t required = 0;
        std::int32_t alive = 0;
    };
    struct WriteTimeout {
        Consistency consistency{};
        std::int32_t received = 0;
        std::int32_t block_for = 0;
        std::string write_type;  // SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, BATCH_LOG
    };
    struct ReadTimeout {
        Consistency consistency{};
        std::int32_t received = 0;
        std::int32_t block_for = 0;
        bool data_present = false;
    };
    // v4 sends a count of failed nodes; the per-node reason map is v5's.
    struct ReadFailure {
        Consistency consistency{};
        std::int32_t received = 0;
        std::int32_t block_for = 0;
        std::int32_t num_failures = 0;
        bool data_present = false;
    };
    struct WriteFailure {
        Consistency consistency{};
        std::int32_t received = 0;
        std::int32_t block_for = 0;
        std::int32_t num_failures = 0;
        std::string write_type;
    };
    struct FunctionFailure {
        std::string keyspace;
        std::string function;
        std::vector<std::string> arg_types;
    };
    struct AlreadyExists {
        std::string keyspace;
        std::string table;  // empty when the keyspace already exists
    };
    struct Unprepared {
        Bytes id;  // prepare the statement again on this node
    };
    using Details = std::variant<std::monostate, Unavailable, WriteTimeout, ReadTimeout, ReadFailure,
                                 WriteFailure, FunctionFailure, AlreadyExists, Unprepared>;

    ErrorCode code = ErrorCode::ServerError;
    std::string message;
    Details details;  // the extra fields of the codes that have them

    static Error decode(Decoder& d);
    // "Unavailable (0x1000): Cannot achieve consistency level QUORUM"
    std::string describe() const;
};

}  // namespace playstream::cql::response
