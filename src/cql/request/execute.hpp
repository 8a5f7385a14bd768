#pragma once

#include "cql/frame.hpp"
#include "cql/request/query_parameters.hpp"

namespace playstream::cql::request {

// EXECUTE (spec 4.1.6): runs a prepared statement.
struct Execute {
    static constexpr Opcode opcode = Opcode::Execute;
    Bytes id;  // Prepared::id
    QueryParameters params;

    void encode_body(Encoder& e) const {
        e.write_short_bytes(id);
        params.encode(e);
    }
};

}  // namespace playstream::cql::request
