#pragma once

#include <string>
#include <variant>

#include "cql/decoder.hpp"
#include "cql/response/prepared.hpp"
#include "cql/response/rows.hpp"
#include "cql/response/schema_change.hpp"

namespace playstream::cql::response {

struct Void {};

struct SetKeyspace {
    std::string keyspace;  // the result of USE
};

// RESULT (spec 4.2.5), one of its kinds.
struct Result {
    std::variant<Void, Rows, SetKeyspace, Prepared, SchemaChange> kind;

    static Result decode(Decoder& d);
};

}  // namespace playstream::cql::response
