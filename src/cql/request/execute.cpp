#include "cql/request/execute.hpp"

#include <algorithm>
#include <stdexcept>

#include "cql/byte_order.hpp"
#include "cql/error.hpp"
#include "cql/request/batch.hpp"

namespace playstream::cql::request {

Bytes encode_execute(ByteView id, QueryParameters params) {
    const std::size_t front = execute_front_room(id.size());
    if (params.values.empty() || params.values.front_room() != front) {
        Bytes out;
        out.reserve(front + params.values.serialized().size() + execute_back_room +
                    (params.paging_state ? 4 + params.paging_state->size() : 0));
        encode_frame(Execute{id, std::move(params)}, 0, out);
        return out;
    }
    // The fields before the values go through the encoder (one place for their layout) into a
    // scratch buffer kept per thread, then into the room in front of the values.
    thread_local Bytes head;
    head.clear();
    begin_request_frame(Opcode::Execute, 0, head);
    Encoder e(head);
    e.write_short_bytes(id);
    params.encode_head(e);
    if (head.size() != front) throw std::logic_error("EXECUTE: the fields before the values do not fill their room");
    Bytes frame = params.values.release_buffer();
    std::copy(head.begin(), head.end(), frame.begin());
    Encoder tail(frame);
    params.encode_tail(tail);
    end_request_frame(0, frame);
    return frame;
}

ByteView prepared_id(ByteView frame) {
    if (has_opcode(frame, Opcode::Batch)) return batch_prepared_id(frame);
    if (frame.size() < header_size + 2 || !has_opcode(frame, Opcode::Execute))
        throw ProtocolError("not an EXECUTE frame");
    const auto length = load_be<std::uint16_t>(frame.data() + header_size);
    if (frame.size() < header_size + 2 + length) throw ProtocolError("an EXECUTE frame cut short");
    return frame.subspan(header_size + 2, length);
}

Bytes with_prepared_id(ByteView frame, ByteView id) {
    if (has_opcode(frame, Opcode::Batch)) return batch_with_prepared_id(frame, id);
    const auto old_id = prepared_id(frame).size();
    const auto stream = static_cast<std::int16_t>(load_be<std::uint16_t>(frame.data() + 2));
    Bytes out;
    out.reserve(frame.size() - old_id + id.size());
    const auto start = begin_request_frame(Opcode::Execute, stream, out);
    Encoder e(out);
    e.write_short_bytes(id);
    e.write_serialized(frame.subspan(header_size + 2 + old_id));
    end_request_frame(start, out);
    return out;
}

}  // namespace playstream::cql::request
