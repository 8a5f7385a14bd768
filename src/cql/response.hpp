#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cql/frame.hpp"
#include "cql/response/auth_challenge.hpp"
#include "cql/response/auth_success.hpp"
#include "cql/response/authenticate.hpp"
#include "cql/response/error.hpp"
#include "cql/response/event.hpp"
#include "cql/response/ready.hpp"
#include "cql/response/result.hpp"
#include "cql/response/supported.hpp"

namespace playstream::cql {

// One decoded response frame.
struct Response {
    std::optional<Uuid> tracing_id;     // with the tracing flag
    std::vector<std::string> warnings;  // with the warning flag: show them to the user
    std::variant<response::Error, response::Ready, response::Authenticate, response::Supported,
                 response::Result, response::Event, response::AuthChallenge, response::AuthSuccess>
        body;
};

// The opcode of the message a response holds, and its name as the spec spells it ("READY",
// "RESULT"...: to_string of the opcode), for error messages.
Opcode opcode_of(const Response& response);
std::string_view message_name(const Response& response);

// Decodes the body of a frame whose header parse_response_header accepted: first what the
// flags put before the message (tracing id, warnings, custom payload, which is dropped), then
// the message of the header's opcode. Bytes past the message are ignored, as the spec asks.
// Throws ProtocolError on a malformed body, a body whose size is not the header's length, or a
// compressed one (compression.hpp's overload decompresses it first).
Response decode_response(const FrameHeader& header, ByteView body);

}  // namespace playstream::cql
