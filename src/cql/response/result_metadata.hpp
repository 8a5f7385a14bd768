#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cql/column_type.hpp"
#include "cql/decoder.hpp"

namespace playstream::cql::response {

namespace metadata_flag {
inline constexpr std::int32_t global_tables_spec = 0x0001;
inline constexpr std::int32_t has_more_pages = 0x0002;
inline constexpr std::int32_t no_metadata = 0x0004;
}  // namespace metadata_flag

struct ColumnSpec {
    std::string keyspace;
    std::string table;
    std::string name;
    ColumnType type;
};

// <metadata> of a Rows result, and <result_metadata> of a Prepared one (spec 4.2.5.2).
struct ResultMetadata {
    std::size_t column_count = 0;
    std::optional<Bytes> paging_state;  // set iff Has_more_pages: send it back for the next page
    std::vector<ColumnSpec> columns;    // empty under No_metadata; column_count still holds

    static ResultMetadata decode(Decoder& d);
};

// [<global_table_spec>]<col_spec_1>...<col_spec_count> as `flags` lays them out; shared by
// the bind markers of a Prepared result.
std::vector<ColumnSpec> read_column_specs(Decoder& d, std::int32_t flags, std::size_t count);

}  // namespace playstream::cql::response
