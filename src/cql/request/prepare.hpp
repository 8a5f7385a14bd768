#pragma once

#include <string>

#include "cql/frame.hpp"

namespace playstream::cql::request {

// PREPARE (spec 4.1.5): answered by a Prepared result whose id EXECUTE and BATCH use.
struct Prepare {
    static constexpr Opcode opcode = Opcode::Prepare;
    std::string cql;

    void encode_body(Encoder& e) const { e.write_long_string(cql); }
};

}  // namespace playstream::cql::request
