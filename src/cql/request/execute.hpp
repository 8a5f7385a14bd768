#pragma once

#include "cql/frame.hpp"
#include "cql/request/query_parameters.hpp"

namespace playstream::cql::request {

// EXECUTE (spec 4.1.6): runs a prepared statement.
struct Execute {
    static constexpr Opcode opcode = Opcode::Execute;
    ByteView id;  // Prepared::id, viewed: it outlives the encoding
    QueryParameters params;

    void encode_body(Encoder& e) const {
        e.write_short_bytes(id);
        params.encode(e);
    }
};

// The prepared id an EXECUTE frame (as encode_frame wrote it) carries. Throws ProtocolError if
// `frame` is not a whole EXECUTE frame.
ByteView prepared_id(ByteView frame);

// The EXECUTE frame `frame` (as encode_frame wrote it) for another prepared id, with the same
// parameters and values: after a node prepared the statement again under a new id, nothing has
// to be encoded again.
Bytes with_prepared_id(ByteView frame, ByteView id);

}  // namespace playstream::cql::request
