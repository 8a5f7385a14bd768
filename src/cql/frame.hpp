#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cql/encoder.hpp"
#include "cql/primitives.hpp"

namespace playstream::cql {

enum class Opcode : std::uint8_t {
    Error = 0x00,
    Startup = 0x01,
    Ready = 0x02,
    Authenticate = 0x03,
    Options = 0x05,
    Supported = 0x06,
    Query = 0x07,
    Result = 0x08,
    Prepare = 0x09,
    Execute = 0x0A,
    Register = 0x0B,
    Event = 0x0C,
    Batch = 0x0D,
    AuthChallenge = 0x0E,
    AuthResponse = 0x0F,
    AuthSuccess = 0x10,
};

// "AUTH_CHALLENGE", as the spec names it.
std::string_view to_string(Opcode op);

namespace frame_flag {
inline constexpr std::uint8_t compression = 0x01;
inline constexpr std::uint8_t tracing = 0x02;
inline constexpr std::uint8_t custom_payload = 0x04;
inline constexpr std::uint8_t warning = 0x08;
}  // namespace frame_flag

inline constexpr std::size_t header_size = 9;
inline constexpr std::uint8_t request_version = 0x04;
inline constexpr std::uint8_t response_version = 0x84;
inline constexpr std::uint32_t max_body_length = 256u << 20;

// Whether `frame` (a whole frame, header first) carries `op`: its fifth byte.
inline bool has_opcode(ByteView frame, Opcode op) {
    return frame.size() > 4 && frame[4] == static_cast<std::uint8_t>(op);
}

struct FrameHeader {
    std::uint8_t version = response_version;
    std::uint8_t flags = 0;
    std::int16_t stream = 0;  // -1 for server events
    Opcode opcode = Opcode::Ready;
    std::uint32_t length = 0;  // of the body that follows
};

// Parses the first header_size bytes of a response frame. Throws ProtocolError unless the
// version is 0x84, the opcode is a response's and the length is at most 256 MB.
FrameHeader parse_response_header(ByteView bytes);

// A request message (request/*.hpp): its opcode and how to write its body.
template <class R>
concept Request = requires(const R& r, Encoder& e) {
    { R::opcode } -> std::convertible_to<Opcode>;
    r.encode_body(e);
};

// Writes the header of a request frame at the end of `out`; returns where the frame starts.
std::size_t begin_request_frame(Opcode op, std::int16_t stream, Bytes& out);
// Fills in the body length of the frame begun at `start`.
void end_request_frame(std::size_t start, Bytes& out);

// Appends one request frame, uncompressed (compression.hpp compresses it) and asking no tracing.
// `stream` must be >= 0: negative ids are the server's. On a throw `out` is left unchanged.
template <Request R>
void encode_frame(const R& request, std::int16_t stream, Bytes& out) {
    const auto start = begin_request_frame(R::opcode, stream, out);
    try {
        Encoder e(out);
        request.encode_body(e);
        end_request_frame(start, out);
    } catch (...) {
        out.resize(start);
        throw;
    }
}

template <Request R>
Bytes encode_frame(const R& request, std::int16_t stream) {
    Bytes out;
    encode_frame(request, stream, out);
    return out;
}

}  // namespace playstream::cql
