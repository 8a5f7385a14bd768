#include "cql/decoder.hpp"

#include <limits>
#include <type_traits>

#include "cql/byte_order.hpp"

namespace playstream::cql {

void Decoder::fail(std::string_view what) {
    if (ok()) error_ = std::string(what) + " at byte " + std::to_string(pos_);
}

ByteView Decoder::take(std::size_t n, std::string_view what) {
    if (!ok()) return {};
    if (n > remaining()) {
        fail("truncated " + std::string(what) + " (needs " + std::to_string(n) + " bytes, " +
             std::to_string(remaining()) + " left)");
        return {};
    }
    const auto out = input_.subspan(pos_, n);
    pos_ += n;
    return out;
}

template <class T>
T Decoder::read_integer(std::string_view what) {
    using U = std::make_unsigned_t<T>;
    const auto raw = take(sizeof(T), what);
    return raw.empty() ? T{} : static_cast<T>(load_be<U>(raw.data()));
}

std::string Decoder::read_text(std::size_t n, std::string_view what) {
    const auto raw = take(n, what);
    return {raw.begin(), raw.end()};
}

std::uint8_t Decoder::read_byte() { return read_integer<std::uint8_t>("[byte]"); }
std::uint16_t Decoder::read_short() { return read_integer<std::uint16_t>("[short]"); }
std::int32_t Decoder::read_int() { return read_integer<std::int32_t>("[int]"); }
std::int64_t Decoder::read_long() { return read_integer<std::int64_t>("[long]"); }

std::string Decoder::read_string() { return read_text(read_short(), "[string]"); }

std::string Decoder::read_long_string() {
    const auto n = read_int();
    if (n < 0) fail("negative [long string] length " + std::to_string(n));
    return read_text(n < 0 ? 0 : static_cast<std::size_t>(n), "[long string]");
}

Cell Decoder::read_bytes() {
    const auto n = read_int();
    if (!ok()) return ByteView{};
    if (n == -1) return std::nullopt;
    if (n < 0) {
        fail("invalid [bytes] length " + std::to_string(n));
        return ByteView{};
    }
    return take(static_cast<std::size_t>(n), "[bytes]");
}

ByteView Decoder::read_short_bytes() { return take(read_short(), "[short bytes]"); }

std::vector<std::string> Decoder::read_string_list() {
    const std::size_t n = read_short();
    std::vector<std::string> out;
    if (!fits(n, 2, "[string list]")) return out;
    out.reserve(n);
    for (std::size_t i = 0; i < n && ok(); ++i) out.push_back(read_string());
    return out;
}

// A [short] n, then n pairs of a [string] key and a value of at least 2 bytes.
template <class Map, class ReadValue>
Map Decoder::read_map(std::string_view what, ReadValue read_value) {
    const std::size_t n = read_short();
    Map out;
    if (!fits(n, 4, what)) return out;
    for (std::size_t i = 0; i < n && ok(); ++i) {
        auto key = read_string();
        out.insert_or_assign(std::move(key), read_value());
    }
    return out;
}

StringMap Decoder::read_string_map() {
    return read_map<StringMap>("[string map]", [this] { return read_string(); });
}

StringMultimap Decoder::read_string_multimap() {
    return read_map<StringMultimap>("[string multimap]", [this] { return read_string_list(); });
}

Uuid Decoder::read_uuid() {
    Uuid out;
    const auto raw = take(out.bytes.size(), "[uuid]");
    std::copy(raw.begin(), raw.end(), out.bytes.begin());
    return out;
}

Inet Decoder::read_inet() {
    const auto size = read_byte();
    if (ok() && size != 4 && size != 16) fail("[inet] address of " + std::to_string(size) + " bytes, not 4 or 16");
    const auto address = take(size, "[inet] address");
    return Inet{{address.begin(), address.end()}, read_int()};
}

Consistency Decoder::read_consistency() {
    const auto raw = read_short();
    if (raw > max_consistency) fail("unknown [consistency] " + std::to_string(raw));
    return ok() ? static_cast<Consistency>(raw) : Consistency::Any;
}

std::size_t Decoder::read_count(std::size_t min_size, std::string_view what) {
    const auto n = read_int();
    if (n < 0) fail("negative " + std::string(what) + " count " + std::to_string(n));
    const auto count = n < 0 ? 0 : static_cast<std::size_t>(n);
    return fits(count, min_size, what) ? count : 0;
}

bool Decoder::fits(std::size_t count, std::size_t min_size, std::string_view what) {
    if (ok() && min_size != 0 && count > remaining() / min_size)
        fail(std::string(what) + " count " + std::to_string(count) + " cannot fit in the " +
             std::to_string(remaining()) + " bytes left");
    return ok();
}

}  // namespace playstream::cql
