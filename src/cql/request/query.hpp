#pragma once

#include <string>

#include "cql/frame.hpp"
#include "cql/request/query_parameters.hpp"

namespace playstream::cql::request {

// QUERY (spec 4.1.4): runs a CQL statement given as text.
struct Query {
    static constexpr Opcode opcode = Opcode::Query;
    std::string cql;
    QueryParameters params;

    void encode_body(Encoder& e) const {
        e.write_long_string(cql);
        params.encode(e);
    }
};

}  // namespace playstream::cql::request
