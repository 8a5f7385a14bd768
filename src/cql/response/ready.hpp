#pragma once

#include "cql/decoder.hpp"

namespace playstream::cql::response {

// READY (spec 4.2.2): the connection is ready for queries; also answers REGISTER. Empty body.
struct Ready {
    static Ready decode(Decoder&) { return {}; }
};

}  // namespace playstream::cql::response
