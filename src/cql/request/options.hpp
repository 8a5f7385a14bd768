#pragma once

#include "cql/frame.hpp"

namespace playstream::cql::request {

// OPTIONS (spec 4.1.3): asks for the STARTUP options the server supports. Empty body.
struct Options {
    static constexpr Opcode opcode = Opcode::Options;

    void encode_body(Encoder&) const {}
};

}  // namespace playstream::cql::request
