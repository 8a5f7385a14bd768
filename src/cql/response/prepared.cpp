#include "cql/response/prepared.hpp"

#include <string>

namespace playstream::cql::response {

Prepared Prepared::decode(Decoder& d) {
    Prepared p;
    const auto id = d.read_short_bytes();
    p.id.assign(id.begin(), id.end());
    const auto flags = d.read_int();
    const auto columns = d.read_count(4, "bind marker");
    const auto pk_count = d.read_count(2, "partition key index");
    p.pk_indexes.reserve(pk_count);
    for (std::size_t i = 0; i < pk_count && d.ok(); ++i) {
        const auto index = d.read_short();
        if (d.ok() && index >= columns)
            d.fail("partition key index " + std::to_string(index) + " past the " + std::to_string(columns) +
                   " bind markers");
        p.pk_indexes.push_back(index);
    }
    p.variables = read_column_specs(d, flags, columns);
    p.result_metadata = ResultMetadata::decode(d);
    return p;
}

}  // namespace playstream::cql::response
