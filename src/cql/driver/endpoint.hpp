#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cql/primitives.hpp"

namespace playstream::cql::driver {

// A node's address for the native protocol.
struct Endpoint {
    std::string host;  // a name or an IPv4/IPv6 address, without brackets
    std::uint16_t port = 9042;

    std::string to_string() const;  // "10.0.0.5:9042", "[::1]:9042"
    bool operator==(const Endpoint&) const = default;
};

// "host", "host:port", "[v6 address]:port" or a bare IPv6 address. Throws std::invalid_argument
// naming the text when it is empty or the port is not a number in 1..65535.
Endpoint parse_endpoint(std::string_view text, std::uint16_t default_port);

// The text of an IPv4 (4 bytes) or IPv6 (16 bytes) address as the protocol sends it, in an inet
// column or an event; std::nullopt for any other length.
std::optional<std::string> address_text(ByteView address);

}  // namespace playstream::cql::driver
