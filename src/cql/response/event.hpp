#pragma once

#include <string>
#include <variant>

#include "cql/decoder.hpp"
#include "cql/response/schema_change.hpp"

namespace playstream::cql::response {

// A TOPOLOGY_CHANGE (NEW_NODE, REMOVED_NODE) or STATUS_CHANGE (UP, DOWN) of one node.
struct NodeChange {
    std::string change;
    Inet node;
};

// EVENT (spec 4.2.6), pushed on stream -1 to connections that sent REGISTER.
struct Event {
    std::string type;  // TOPOLOGY_CHANGE, STATUS_CHANGE, SCHEMA_CHANGE
    std::variant<NodeChange, SchemaChange> change;

    static Event decode(Decoder& d);
};

}  // namespace playstream::cql::response
