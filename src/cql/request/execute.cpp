#include "cql/request/execute.hpp"

#include "cql/byte_order.hpp"
#include "cql/error.hpp"

namespace playstream::cql::request {

ByteView prepared_id(ByteView frame) {
    if (frame.size() < header_size + 2 || frame[4] != static_cast<std::uint8_t>(Opcode::Execute))
        throw ProtocolError("not an EXECUTE frame");
    const auto length = load_be<std::uint16_t>(frame.data() + header_size);
    if (frame.size() < header_size + 2 + length) throw ProtocolError("an EXECUTE frame cut short");
    return frame.subspan(header_size + 2, length);
}

Bytes with_prepared_id(ByteView frame, ByteView id) {
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
