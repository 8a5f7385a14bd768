#include "cql/encoder.hpp"

#include <cstring>
#include <limits>
#include <stdexcept>

#include "cql/byte_order.hpp"

namespace playstream::cql {
namespace {

template <class Length>
Length checked_length(std::size_t n, std::string_view what) {
    if (n > static_cast<std::size_t>(std::numeric_limits<Length>::max()))
        throw std::length_error(std::string(what) + " of " + std::to_string(n) + " is too long for the protocol");
    return static_cast<Length>(n);
}

}  // namespace

void Encoder::write_raw(const void* data, std::size_t n) {
    if (n == 0) return;  // data may be null then
    const auto at = out_.size();
    out_.resize(at + n);
    std::memcpy(out_.data() + at, data, n);
}

void Encoder::write_byte(std::uint8_t v) { out_.push_back(v); }
void Encoder::write_short(std::uint16_t v) { append_be(out_, v); }
void Encoder::write_int(std::int32_t v) { append_be(out_, static_cast<std::uint32_t>(v)); }
void Encoder::write_long(std::int64_t v) { append_be(out_, static_cast<std::uint64_t>(v)); }

void Encoder::write_string(std::string_view s) {
    write_short(checked_length<std::uint16_t>(s.size(), "[string]"));
    write_raw(s.data(), s.size());
}

void Encoder::write_long_string(std::string_view s) {
    write_int(checked_length<std::int32_t>(s.size(), "[long string]"));
    write_raw(s.data(), s.size());
}

void Encoder::write_bytes(ByteView b) {
    write_int(checked_length<std::int32_t>(b.size(), "[bytes]"));
    write_raw(b.data(), b.size());
}

void Encoder::write_short_bytes(ByteView b) {
    write_short(checked_length<std::uint16_t>(b.size(), "[short bytes]"));
    write_raw(b.data(), b.size());
}

void Encoder::write_value(const Value& v) {
    if (const auto* bytes = std::get_if<Bytes>(&v)) return write_bytes(*bytes);
    write_int(std::holds_alternative<Null>(v) ? -1 : -2);
}

void Encoder::write_count(std::size_t n, std::string_view what) {
    write_short(checked_length<std::uint16_t>(n, what));
}

void Encoder::write_string_list(const std::vector<std::string>& list) {
    write_count(list.size(), "[string list]");
    for (const auto& s : list) write_string(s);
}

void Encoder::write_string_map(const StringMap& map) {
    write_count(map.size(), "[string map]");
    for (const auto& [key, value] : map) {
        write_string(key);
        write_string(value);
    }
}

void Encoder::write_consistency(Consistency c) { write_short(static_cast<std::uint16_t>(c)); }

}  // namespace playstream::cql
