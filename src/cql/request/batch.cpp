#include "cql/request/batch.hpp"

#include "cql/request/query_parameters.hpp"

namespace playstream::cql::request {
namespace {
constexpr std::uint8_t prepared_kind = 1;
}

void Batch::encode_body(Encoder& e) const {
    e.write_byte(static_cast<std::uint8_t>(type));
    e.write_count(statements.size(), "batch statements");
    for (const auto& s : statements) {
        e.write_byte(prepared_kind);
        e.write_short_bytes(s.prepared_id);
        e.write_count(s.values.size(), "bound values");
        for (const auto& v : s.values) e.write_value(v);
    }
    std::uint8_t flags = 0;
    if (serial_consistency) flags |= query_flag::serial_consistency;
    if (default_timestamp) flags |= query_flag::default_timestamp;
    e.write_consistency(consistency);
    e.write_byte(flags);
    if (serial_consistency) e.write_consistency(*serial_consistency);
    if (default_timestamp) e.write_long(*default_timestamp);
}

}  // namespace playstream::cql::request
