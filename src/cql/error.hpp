#pragma once

#include <stdexcept>

namespace playstream::cql {

// The bytes on the wire break the protocol (truncated or malformed frame, unknown opcode...).
// The connection cannot be trusted after one: close it. A server's ERROR response is not this:
// it is a well-formed message, decoded as response::Error.
class ProtocolError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A cell was asked for as a C++ type its column type does not map to: a bug of the caller.
class TypeError : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

}  // namespace playstream::cql
