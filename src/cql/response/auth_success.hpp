#pragma once

#include <optional>

#include "cql/decoder.hpp"

namespace playstream::cql::response {

// AUTH_SUCCESS (spec 4.2.8): authentication is done and the connection is ready.
struct AuthSuccess {
    std::optional<Bytes> token;

    static AuthSuccess decode(Decoder& d) { return {to_bytes(d.read_bytes())}; }
};

}  // namespace playstream::cql::response
