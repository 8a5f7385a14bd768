#pragma once

#include <string>
#include <vector>

#include "cql/decoder.hpp"

namespace playstream::cql::response {

// <change_type><target><options> of a Schema_change result and a SCHEMA_CHANGE event (spec 4.2.6).
struct SchemaChange {
    std::string change_type;  // CREATED, UPDATED, DROPPED
    std::string target;       // KEYSPACE, TABLE, TYPE, FUNCTION, AGGREGATE
    std::string keyspace;
    std::string name;                         // of the table, type, function or aggregate
    std::vector<std::string> argument_types;  // FUNCTION, AGGREGATE

    static SchemaChange decode(Decoder& d);
};

}  // namespace playstream::cql::response
