#include "cql/driver/endpoint.hpp"

#include <algorithm>
#include <asio/ip/address.hpp>

#include <charconv>
#include <optional>
#include <stdexcept>

namespace playstream::cql::driver {

std::string Endpoint::to_string() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Endpoint parse_endpoint(std::string_view text, std::uint16_t default_port) {
    const auto bad = [&](const char* why) {
        return std::invalid_argument("contact point '" + std::string(text) + "': " + why);
    };
    Endpoint e{std::string(text), default_port};
    std::optional<std::string_view> port;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos) throw bad("no closing ']'");
        e.host = text.substr(1, close - 1);
        if (close + 1 < text.size()) {
            if (text[close + 1] != ':') throw bad("expected ':' after ']'");
            port = text.substr(close + 2);
        }
    } else if (const auto colon = text.find(':'); colon != std::string_view::npos && colon == text.rfind(':')) {
        // One colon: host:port. More than one without brackets: a bare IPv6 address.
        e.host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (e.host.empty()) throw bad("no host");
    if (port) {
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), value);
        if (ec != std::errc() || end != port->data() + port->size() || value == 0 || value > 65535)
            throw bad("the port must be a number in 1..65535");
        e.port = static_cast<std::uint16_t>(value);
    }
    return e;
}

std::optional<std::string> address_text(ByteView address) {
    if (address.size() == 4) {
        asio::ip::address_v4::bytes_type b;
        std::copy(address.begin(), address.end(), b.begin());
        return asio::ip::address_v4(b).to_string();
    }
    if (address.size() == 16) {
        asio::ip::address_v6::bytes_type b;
        std::copy(address.begin(), address.end(), b.begin());
        return asio::ip::address_v6(b).to_string();
    }
    return std::nullopt;
}

}  // namespace playstream::cql::driver
