#pragma once

#include <string>

#include "cql/decoder.hpp"

namespace playstream::cql::response {

// AUTHENTICATE (spec 4.2.3): answer with AUTH_RESPONSE for this authenticator.
struct Authenticate {
    std::string authenticator;  // the server's IAuthenticator class

    static Authenticate decode(Decoder& d) { return {d.read_string()}; }
};

}  // namespace playstream::cql::response
