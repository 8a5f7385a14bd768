#pragma once

#include "cql/decoder.hpp"

namespace playstream::cql::response {

// SUPPORTED (spec 4.2.4): for each STARTUP option, the values the server accepts.
struct Supported {
    StringMultimap options;  // e.g. CQL_VERSION: [3.4.7], COMPRESSION: [lz4, snappy]

    static Supported decode(Decoder& d) { return {d.read_string_multimap()}; }
};

}  // namespace playstream::cql::response
