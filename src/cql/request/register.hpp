#pragma once

#include <string>
#include <vector>

#include "cql/frame.hpp"

namespace playstream::cql::request {

// REGISTER (spec 4.1.8): subscribes this connection to server EVENTs; answered by READY.
struct Register {
    static constexpr Opcode opcode = Opcode::Register;
    std::vector<std::string> event_types;  // TOPOLOGY_CHANGE, STATUS_CHANGE, SCHEMA_CHANGE

    void encode_body(Encoder& e) const { e.write_string_list(event_types); }
};

}  // namespace playstream::cql::request
