#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cql/primitives.hpp"
#include "cql/value.hpp"

namespace playstream::cql {

// Appends the notations of spec section 3 to a buffer. A length a notation cannot express
// (a [string] over 65535 bytes, more than 65535 values...) throws std::length_error.
class Encoder {
public:
    explicit Encoder(Bytes& out) : out_(out) {}

    void write_byte(std::uint8_t v);
    void write_short(std::uint16_t v);
    void write_int(std::int32_t v);
    void write_long(std::int64_t v);
    void write_string(std::string_view s);
    void write_long_string(std::string_view s);
    void write_bytes(ByteView b);  // never null: null and unset are Values
    void write_short_bytes(ByteView b);
    void write_value(const Value& v);
    void write_string_list(const std::vector<std::string>& list);
    void write_string_map(const StringMap& map);
    void write_consistency(Consistency c);
    // Bytes already in the protocol's notation (BoundValues::serialized), as they are.
    void write_serialized(ByteView b) { write_raw(b.data(), b.size()); }
    // A [short] count of the elements that follow.
    void write_count(std::size_t n, std::string_view what);

private:
    void write_raw(const void* data, std::size_t n);

    Bytes& out_;
};

}  // namespace playstream::cql
