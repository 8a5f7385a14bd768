#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "cql/response.hpp"

namespace playstream::cql::driver {

class Connection;

// Makes a connected socket ready for queries (spec section 4.1.1):
//   OPTIONS -> SUPPORTED, then STARTUP -> READY,
//   or STARTUP -> AUTHENTICATE -> AUTH_RESPONSE (SASL PLAIN: user, password) -> AUTH_SUCCESS,
//   then USE "keyspace" when the options name one.
// `done` gets nullptr, or AuthenticationError when the credentials are rejected or missing,
// ServerError for another ERROR answer, ConnectionError when the connection fails.
void run_handshake(std::shared_ptr<Connection> connection, std::function<void(std::exception_ptr)> done);

// A CQL identifier, double-quoted so its case is kept: spotify -> "spotify", a"b -> "a""b".
std::string quote_identifier(const std::string& name);

}  // namespace playstream::cql::driver
