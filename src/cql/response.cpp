#include "cql/response.hpp"

#include <iterator>

#include "cql/error.hpp"

namespace playstream::cql {
namespace {

void skip_bytes_map(Decoder& d) {
    const std::size_t n = d.read_short();
    if (!d.fits(n, 6, "custom payload entry")) return;
    for (std::size_t i = 0; i < n && d.ok(); ++i) {
        d.read_string();
        d.read_bytes();
    }
}

decltype(Response::body) decode_body(Opcode op, Decoder& d) {
    switch (op) {
    case Opcode::Error: return response::Error::decode(d);
    case Opcode::Ready: return response::Ready::decode(d);
    case Opcode::Authenticate: return response::Authenticate::decode(d);
    case Opcode::Supported: return response::Supported::decode(d);
    case Opcode::Result: return response::Result::decode(d);
    case Opcode::Event: return response::Event::decode(d);
    case Opcode::AuthChallenge: return response::AuthChallenge::decode(d);
    case Opcode::AuthSuccess: return response::AuthSuccess::decode(d);
    default: throw ProtocolError("opcode " + std::string(to_string(op)) + " is not a response");
    }
}

// Response::body's alternatives, in order.
constexpr Opcode body_opcodes[] = {Opcode::Error,  Opcode::Ready, Opcode::Authenticate,  Opcode::Supported,
                                   Opcode::Result, Opcode::Event, Opcode::AuthChallenge, Opcode::AuthSuccess};
static_assert(std::size(body_opcodes) == std::variant_size_v<decltype(Response::body)>);

}  // namespace

Opcode opcode_of(const Response& response) { return body_opcodes[response.body.index()]; }

std::string_view message_name(const Response& response) { return to_string(opcode_of(response)); }

Response decode_response(const FrameHeader& header, ByteView body) {
    // Made only for an error: two allocations for every response otherwise.
    const auto where = [&] {
        return std::string(to_string(header.opcode)) + " frame on stream " + std::to_string(header.stream);
    };
    if (body.size() != header.length)
        throw ProtocolError(where() + ": body of " + std::to_string(body.size()) + " bytes, header says " +
                            std::to_string(header.length));
    if (header.flags & frame_flag::compression)
        throw ProtocolError(where() + " is compressed, but no compression was negotiated");
    Decoder d(body);
    Response r;
    if (header.flags & frame_flag::tracing) r.tracing_id = d.read_uuid();
    if (header.flags & frame_flag::warning) r.warnings = d.read_string_list();
    if (header.flags & frame_flag::custom_payload) skip_bytes_map(d);
    r.body = decode_body(header.opcode, d);
    if (!d.ok()) throw ProtocolError("malformed " + where() + ": " + d.error());
    return r;
}

}  // namespace playstream::cql
