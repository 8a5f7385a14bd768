#include "cql/response/event.hpp"

namespace playstream::cql::response {

Event Event::decode(Decoder& d) {
    Event e;
    e.type = d.read_string();
    if (e.type == "SCHEMA_CHANGE") e.change = SchemaChange::decode(d);
    else if (e.type == "TOPOLOGY_CHANGE" || e.type == "STATUS_CHANGE") e.change = NodeChange{d.read_string(), d.read_inet()};
    else if (d.ok()) d.fail("unknown event type '" + e.type + "'");
    return e;
}

}  // namespace playstream::cql::response
