#pragma once

#include <string_view>

#include "cql/frame.hpp"

namespace playstream::cql::request {

// The authenticator (named by AUTHENTICATE) that AuthResponse::plain answers.
inline constexpr std::string_view password_authenticator = "org.apache.cassandra.auth.PasswordAuthenticator";

// AUTH_RESPONSE (spec 4.1.2): a SASL token answering AUTHENTICATE or AUTH_CHALLENGE.
struct AuthResponse {
    static constexpr Opcode opcode = Opcode::AuthResponse;
    Bytes token;

    // SASL PLAIN with no authorization id: "\0user\0password".
    static AuthResponse plain(std::string_view user, std::string_view password);
    void encode_body(Encoder& e) const { e.write_bytes(token); }
};

}  // namespace playstream::cql::request
