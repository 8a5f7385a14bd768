#include "cql/response/result_metadata.hpp"

namespace playstream::cql::response {

std::vector<ColumnSpec> read_column_specs(Decoder& d, std::int32_t flags, std::size_t count) {
    std::vector<ColumnSpec> columns;
    const bool global = (flags & metadata_flag::global_tables_spec) != 0;
    std::string keyspace;
    std::string table;
    if (global) {
        keyspace = d.read_string();
        table = d.read_string();
    }
    if (!d.fits(count, 4, "column spec")) return columns;
    columns.reserve(count);
    for (std::size_t i = 0; i < count && d.ok(); ++i) {
        ColumnSpec c;
        c.keyspace = global ? keyspace : d.read_string();
        c.table = global ? table : d.read_string();
        c.name = d.read_string();
        c.type = read_column_type(d);
        columns.push_back(std::move(c));
    }
    return columns;
}

ResultMetadata ResultMetadata::decode(Decoder& d) {
    ResultMetadata m;
    const auto flags = d.read_int();
    m.column_count = d.read_count(0, "column");
    if (flags & metadata_flag::has_more_pages) {
        m.paging_state = to_bytes(d.read_bytes());
        if (d.ok() && !m.paging_state) d.fail("Has_more_pages with a null paging state");
    }
    if (!(flags & metadata_flag::no_metadata)) m.columns = read_column_specs(d, flags, m.column_count);
    return m;
}

}  // namespace playstream::cql::response
