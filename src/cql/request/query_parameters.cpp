#include "cql/request/query_parameters.hpp"

namespace playstream::cql::request {

void QueryParameters::encode(Encoder& e) const {
    encode_head(e);
    if (!values.empty()) e.write_serialized(values.serialized());
    encode_tail(e);
}

void QueryParameters::encode_head(Encoder& e) const {
    std::uint8_t flags = 0;
    if (!values.empty()) flags |= query_flag::values;
    if (skip_metadata) flags |= query_flag::skip_metadata;
    if (page_size) flags |= query_flag::page_size;
    if (paging_state) flags |= query_flag::paging_state;
    if (serial_consistency) flags |= query_flag::serial_consistency;
    if (default_timestamp) flags |= query_flag::default_timestamp;

    e.write_consistency(consistency);
    e.write_byte(flags);
    if (!values.empty()) e.write_count(values.size(), "bound values");
}

void QueryParameters::encode_tail(Encoder& e) const {
    if (page_size) e.write_int(*page_size);
    if (paging_state) e.write_bytes(*paging_state);
    if (serial_consistency) e.write_consistency(*serial_consistency);
    if (default_timestamp) e.write_long(*default_timestamp);
}

}  // namespace playstream::cql::request
