#include "cql/frame.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "cql/byte_order.hpp"
#include "cql/error.hpp"

namespace playstream::cql {
namespace {

constexpr std::array<std::string_view, 0x11> opcode_names{
    "ERROR",  "STARTUP", "READY",    "AUTHENTICATE", "",      "OPTIONS",        "SUPPORTED",
    "QUERY",  "RESULT",  "PREPARE",  "EXECUTE",      "REGISTER", "EVENT",       "BATCH",
    "AUTH_CHALLENGE", "AUTH_RESPONSE", "AUTH_SUCCESS"};

bool is_known(std::uint8_t raw) { return raw < opcode_names.size() && !opcode_names[raw].empty(); }

bool is_response(Opcode op) {
    switch (op) {
    case Opcode::Error:
    case Opcode::Ready:
    case Opcode::Authenticate:
    case Opcode::Supported:
    case Opcode::Result:
    case Opcode::Event:
    case Opcode::AuthChallenge:
    case Opcode::AuthSuccess: return true;
    default: return false;
    }
}

std::string hex(unsigned v) {
    static constexpr char digits[] = "0123456789abcdef";
    return std::string("0x") + digits[(v >> 4) & 0xf] + digits[v & 0xf];
}

}  // namespace

std::string_view to_string(Opcode op) {
    const auto raw = static_cast<std::uint8_t>(op);
    return is_known(raw) ? opcode_names[raw] : "UNKNOWN";
}

FrameHeader parse_response_header(ByteView bytes) {
    if (bytes.size() < header_size)
        throw ProtocolError("frame header of " + std::to_string(bytes.size()) + " bytes, needs 9");
    FrameHeader h;
    h.version = bytes[0];
    h.flags = bytes[1];
    h.stream = static_cast<std::int16_t>(load_be<std::uint16_t>(&bytes[2]));
    h.opcode = static_cast<Opcode>(bytes[4]);
    h.length = load_be<std::uint32_t>(&bytes[5]);
    if (h.version != response_version)
        throw ProtocolError("frame version " + hex(h.version) + ", expected " + hex(response_version) +
                            " (a protocol v4 response)");
    if (!is_known(bytes[4])) throw ProtocolError("unknown opcode " + hex(bytes[4]));
    if (!is_response(h.opcode))
        throw ProtocolError("opcode " + std::string(to_string(h.opcode)) + " is not a response");
    if (h.length > max_body_length)
        throw ProtocolError("frame body of " + std::to_string(h.length) + " bytes exceeds the 256 MB limit");
    return h;
}

std::size_t begin_request_frame(Opcode op, std::int16_t stream, Bytes& out) {
    if (stream < 0) throw std::invalid_argument("request stream id " + std::to_string(stream) + " is negative");
    const auto start = out.size();
    out.push_back(request_version);
    out.push_back(0);  // flags
    append_be(out, static_cast<std::uint16_t>(stream));
    out.push_back(static_cast<std::uint8_t>(op));
    append_be(out, std::uint32_t{0});  // length, filled in by end_request_frame
    return start;
}

void end_request_frame(std::size_t start, Bytes& out) {
    const auto length = out.size() - start - header_size;
    if (length > max_body_length)
        throw std::length_error("request body of " + std::to_string(length) + " bytes exceeds the 256 MB limit");
    store_be(out.data() + start + 5, static_cast<std::uint32_t>(length));
}

}  // namespace playstream::cql
