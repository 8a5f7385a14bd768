#include "cql/response/error.hpp"

#include <cstdio>

namespace playstream::cql::response {

std::string_view to_string(ErrorCode code) {
    switch (code) {
    case ErrorCode::ServerError: return "Server_error";
    case ErrorCode::ProtocolError: return "Protocol_error";
    case ErrorCode::BadCredentials: return "Bad_credentials";
    case ErrorCode::Unavailable: return "Unavailable";
    case ErrorCode::Overloaded: return "Overloaded";
    case ErrorCode::IsBootstrapping: return "Is_bootstrapping";
    case ErrorCode::TruncateError: return "Truncate_error";
    case ErrorCode::WriteTimeout: return "Write_timeout";
    case ErrorCode::ReadTimeout: return "Read_timeout";
    case ErrorCode::ReadFailure: return "Read_failure";
    case ErrorCode::FunctionFailure: return "Function_failure";
    case ErrorCode::WriteFailure: return "Write_failure";
    case ErrorCode::SyntaxError: return "Syntax_error";
    case ErrorCode::Unauthorized: return "Unauthorized";
    case ErrorCode::Invalid: return "Invalid";
    case ErrorCode::ConfigError: return "Config_error";
    case ErrorCode::AlreadyExists: return "Already_exists";
    case ErrorCode::Unprepared: return "Unprepared";
    }
    return "Unknown";
}

Error Error::decode(Decoder& d) {
    // Braced initializers evaluate left to right, the order of the fields on the wire.
    Error e{static_cast<ErrorCode>(d.read_int()), d.read_string(), {}};
    switch (e.code) {
    case ErrorCode::Unavailable: e.details = Unavailable{d.read_consistency(), d.read_int(), d.read_int()}; break;
    case ErrorCode::WriteTimeout:
        e.details = WriteTimeout{d.read_consistency(), d.read_int(), d.read_int(), d.read_string()};
        break;
    case ErrorCode::ReadTimeout:
        e.details = ReadTimeout{d.read_consistency(), d.read_int(), d.read_int(), d.read_byte() != 0};
        break;
    case ErrorCode::ReadFailure:
        e.details = ReadFailure{d.read_consistency(), d.read_int(), d.read_int(), d.read_int(), d.read_byte() != 0};
        break;
    case ErrorCode::WriteFailure:
        e.details = WriteFailure{d.read_consistency(), d.read_int(), d.read_int(), d.read_int(), d.read_string()};
        break;
    case ErrorCode::FunctionFailure:
        e.details = FunctionFailure{d.read_string(), d.read_string(), d.read_string_list()};
        break;
    case ErrorCode::AlreadyExists: e.details = AlreadyExists{d.read_string(), d.read_string()}; break;
    case ErrorCode::Unprepared: {
        const auto id = d.read_short_bytes();
        e.details = Unprepared{Bytes(id.begin(), id.end())};
        break;
    }
    default: break;
    }
    return e;
}

std::string Error::describe() const {
    char code_hex[16];
    std::snprintf(code_hex, sizeof code_hex, "0x%04x", static_cast<unsigned>(code));
    return std::string(to_string(code)) + " (" + code_hex + "): " + message;
}

}  // namespace playstream::cql::response
