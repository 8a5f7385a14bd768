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

// The room a prepared statement's values keep in their buffer (BoundValues(front, back)) so that
// encode_execute can write the frame around them: before them the header, the id and the fixed
// parameters; behind them page size, serial consistency and timestamp.
constexpr std::size_t execute_front_room(std::size_t id_size) {
    return header_size + 2 + id_size + QueryParameters::head_size;
}
inline constexpr std::size_t execute_back_room = 4 + 2 + 8;

// The EXECUTE frame (stream 0) of the statement prepared as `id`, as encode_frame writes it. When
// the values were serialized after execute_front_room(id.size()) bytes of room, the frame is
// their own buffer with the fields written around them: the values are neither copied nor freed.
Bytes encode_execute(ByteView id, QueryParameters params);

// The prepared id an EXECUTE frame (as encode_frame wrote it) carries, or a BATCH frame's first
// statement (batch_prepared_id). Throws ProtocolError if `frame` is neither, whole.
ByteView prepared_id(ByteView frame);

// The EXECUTE frame `frame` (as encode_frame wrote it) for another prepared id, with the same
// parameters and values: after a node prepared the statement again under a new id, nothing has
// to be encoded again. A BATCH frame gets it in every statement (batch_with_prepared_id).
Bytes with_prepared_id(ByteView frame, ByteView id);

}  // namespace playstream::cql::request
