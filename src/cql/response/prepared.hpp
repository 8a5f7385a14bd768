#pragma once

#include <cstdint>
#include <vector>

#include "cql/decoder.hpp"
#include "cql/response/result_metadata.hpp"

namespace playstream::cql::response {

// A Prepared result (spec 4.2.5.4).
struct Prepared {
    Bytes id;                               // for EXECUTE and BATCH, on this node
    std::vector<std::uint16_t> pk_indexes;  // the bind marker of each partition key column, in key order
    std::vector<ColumnSpec> variables;      // the bind markers
    ResultMetadata result_metadata;         // of the rows EXECUTE will return; may be empty

    static Prepared decode(Decoder& d);
};

}  // namespace playstream::cql::response
