#pragma once

#include <optional>
#include <string>

#include "cql/frame.hpp"

namespace playstream::cql::request {

// STARTUP (spec 4.1.1): the first message of a connection (OPTIONS may precede it).
struct Startup {
    static constexpr Opcode opcode = Opcode::Startup;
    std::string cql_version = "3.0.0";
    std::optional<std::string> compression;  // "lz4" or "snappy"; absent: none

    void encode_body(Encoder& e) const;
};

}  // namespace playstream::cql::request
