#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cql/primitives.hpp"

namespace playstream::cql {

// A bounds-checked reader of the notations of spec section 3 over one frame body.
// Every read checks what is left; the first failure is recorded (what and at which byte) and
// makes the decoder sticky: later reads consume nothing and return empty values, so a message
// decoder reads its fields straight through and checks ok() once. Bad input never throws.
class Decoder {
public:
    explicit Decoder(ByteView input) : input_(input) {}

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    std::size_t position() const { return pos_; }
    std::size_t remaining() const { return input_.size() - pos_; }
    // Records a malformed-input error at the current position, unless one is already recorded.
    void fail(std::string_view what);

    std::uint8_t read_byte();
    std::uint16_t read_short();
    std::int32_t read_int();
    std::int64_t read_long();
    std::string read_string();
    std::string read_long_string();
    Cell read_bytes();  // length -1 is null; other negative lengths are errors
    ByteView read_short_bytes();
    std::vector<std::string> read_string_list();
    StringMap read_string_map();
    StringMultimap read_string_multimap();
    Uuid read_uuid();
    Inet read_inet();
    Consistency read_consistency();

    // An [int] count that must be >= 0; each element takes at least `min_size` bytes, so a
    // forged count fails here instead of driving a huge allocation or a long loop. 0 on failure.
    std::size_t read_count(std::size_t min_size, std::string_view what);
    // Checks that `count` elements of at least `min_size` bytes each can still follow.
    bool fits(std::size_t count, std::size_t min_size, std::string_view what);
    // The bytes consumed since position `from`.
    ByteView consumed_since(std::size_t from) const { return input_.subspan(from, pos_ - from); }

private:
    ByteView take(std::size_t n, std::string_view what);
    template <class T>
    T read_integer(std::string_view what);
    template <class Map, class ReadValue>
    Map read_map(std::string_view what, ReadValue read_value);
    std::string read_text(std::size_t n, std::string_view what);

    ByteView input_;
    std::size_t pos_ = 0;
    std::string error_;
};

}  // namespace playstream::cql
