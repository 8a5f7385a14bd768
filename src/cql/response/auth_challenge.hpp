#pragma once

#include <optional>

#include "cql/decoder.hpp"

namespace playstream::cql::response {

// AUTH_CHALLENGE (spec 4.2.7): the next SASL step; answer with AUTH_RESPONSE.
struct AuthChallenge {
    std::optional<Bytes> token;

    static AuthChallenge decode(Decoder& d) { return {to_bytes(d.read_bytes())}; }
};

}  // namespace playstream::cql::response
