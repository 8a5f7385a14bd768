#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "cql/bound_values.hpp"
#include "cql/encoder.hpp"
#include "cql/primitives.hpp"
#include "cql/value.hpp"

namespace playstream::cql::request {

// Masks of the <flags> byte of QUERY, EXECUTE (all) and BATCH (serial_consistency and
// default_timestamp only). Values are positional: the names flag 0x40 is not used.
namespace query_flag {
inline constexpr std::uint8_t values = 0x01;
inline constexpr std::uint8_t skip_metadata = 0x02;
inline constexpr std::uint8_t page_size = 0x04;
inline constexpr std::uint8_t paging_state = 0x08;
inline constexpr std::uint8_t serial_consistency = 0x10;
inline constexpr std::uint8_t default_timestamp = 0x20;
}  // namespace query_flag

// <query_parameters> of QUERY and EXECUTE (spec 4.1.4).
struct QueryParameters {
    Consistency consistency = Consistency::One;
    BoundValues values;
    bool skip_metadata = false;  // the result's Rows come with No_metadata
    std::optional<std::int32_t> page_size;
    std::optional<Bytes> paging_state;  // from the previous page's Rows
    std::optional<Consistency> serial_consistency;
    std::optional<std::int64_t> default_timestamp;  // microseconds since the epoch

    void encode(Encoder& e) const;
    // encode() in its two parts around the values: what goes before them (consistency, flags,
    // count: head_size bytes) and after them.
    void encode_head(Encoder& e) const;
    void encode_tail(Encoder& e) const;
    static constexpr std::size_t head_size = 2 + 1 + 2;
};

}  // namespace playstream::cql::request
