#include "cql/response/schema_change.hpp"

namespace playstream::cql::response {

SchemaChange SchemaChange::decode(Decoder& d) {
    SchemaChange c;
    c.change_type = d.read_string();
    c.target = d.read_string();
    c.keyspace = d.read_string();
    const bool is_function = c.target == "FUNCTION" || c.target == "AGGREGATE";
    if (c.target == "TABLE" || c.target == "TYPE" || is_function) c.name = d.read_string();
    else if (c.target != "KEYSPACE" && d.ok()) d.fail("unknown schema change target '" + c.target + "'");
    if (is_function) c.argument_types = d.read_string_list();
    return c;
}

}  // namespace playstream::cql::response
